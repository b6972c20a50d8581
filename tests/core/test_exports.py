"""Downloads never hand a spreadsheet a formula to run."""

import csv
import io

from openpyxl import load_workbook

from safeguarding.core.exports import csv_response, neutralised, xlsx_response
from safeguarding.core.tables import Table


def test_text_that_a_spreadsheet_would_run_is_neutralised_but_numbers_are_not():
    assert neutralised('=HYPERLINK("http://x","click")') == '\'=HYPERLINK("http://x","click")'
    assert neutralised("+44 cmd") == "'+44 cmd"
    assert neutralised("@SUM(A1)") == "'@SUM(A1)"
    assert neutralised("-3") == "-3"
    assert neutralised("-2.5") == "-2.5"
    assert neutralised(-3) == -3
    assert neutralised("Northshire") == "Northshire"


def test_csv_and_xlsx_downloads_carry_neutralised_cells():
    table = Table("T", ["name", "value"], [["=1+1", -4], ["safe", "-4"]])
    rows = list(csv.reader(io.StringIO(csv_response("t", [table]).content.decode())))
    assert rows == [["name", "value"], ["'=1+1", "-4"], ["safe", "-4"]]
    sheet = load_workbook(io.BytesIO(xlsx_response("t", [table]).content)).active
    assert sheet["A2"].value == "'=1+1" and sheet["B2"].value == -4
