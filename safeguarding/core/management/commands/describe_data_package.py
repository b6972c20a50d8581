from django.core.management.base import BaseCommand

from safeguarding.core.datapackage import REGISTRY

KIND_TEXT = {
    "str": "text",
    "date": "date (YYYY-MM-DD)",
    "time": "time (HH:MM)",
    "datetime": "local date and time (YYYY-MM-DDTHH:MM:SS)",
    "int": "whole number",
    "decimal": "number",
    "bool": "true or false",
    "choice": "code",
    "ref": "reference",
    "refs": "references, separated by ;",
}


def partner_text(spec) -> str:
    if spec.partner is None:
        return "Partner tokens may not send this file."
    text = f"A partner token may send only rows whose `{spec.partner.column}` is its own organisation"
    if spec.partner.stored_owner:
        text += ", and none that would change another organisation's record"
    if spec.partner.note:
        text += f"; {spec.partner.note}"
    return text + "."


def describe() -> str:
    lines = []
    for spec in REGISTRY:
        lines += [
            f"### `{spec.name}`",
            "",
            spec.description,
            "",
            partner_text(spec),
            "",
            "| column | type | required | meaning or allowed codes |",
            "| --- | --- | --- | --- |",
        ]
        for c in spec.columns:
            meaning = c.help
            if c.kind == "choice":
                meaning = ", ".join(f"`{v}`" for v in c.choices)
            elif c.kind == "refs" and c.choices:
                meaning = "any of " + ", ".join(f"`{v}`" for v in c.choices) + ", separated by ;"
            elif c.kind in ("ref", "refs"):
                meaning = f"the key of a {c.ref.replace('_', ' ')}" + (f"; {c.help}" if c.help else "")
            lines.append(f"| `{c.name}` | {KIND_TEXT[c.kind]} | {'yes' if c.required else 'no'} | {meaning} |")
        lines.append("")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print the data package's files and columns as Markdown (the reference part of docs/data-package.md)."

    def handle(self, *args, **options):
        self.stdout.write(describe())
