import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

/* Small screens: every table cell carries its column's header as data-label, so
   app.css can stack each row as a block with the header beside each value (a cell
   across the whole row, such as an empty table's message, carries none).
   A table marked sg-table--keep keeps its columns. */
function labelTableCells(table) {
  const headerRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
  if (!headerRow) return;
  const labels = [];
  for (const cell of headerRow.cells) {
    const text = cell.textContent.replace(/\s+/g, " ").trim();
    for (let i = 0; i < (cell.colSpan || 1); i += 1) labels.push(text);
  }
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      let column = 0;
      for (const cell of row.cells) {
        const label = labels[column];
        // A cell across the whole row ("No runs yet.") is not one column's value.
        const wholeRow = labels.length > 1 && (cell.colSpan || 1) >= labels.length;
        if (label && !wholeRow && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
        column += cell.colSpan || 1;
      }
    }
  }
  table.classList.add("sg-table--stacked");
}

for (const table of document.querySelectorAll("table.govuk-table:not(.sg-table--keep)")) {
  labelTableCells(table);
}
