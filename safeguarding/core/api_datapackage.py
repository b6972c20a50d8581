"""POST a data package as JSON: the same files, checks and guarantees as
`safeguarding import`, for partner systems that send records."""

from typing import Any

from ninja import Router, Schema, Status
from pydantic import Field

from safeguarding.core.datapackage import PackageError, import_files

router = Router(tags=["Data package"])


class PackageIn(Schema):
    files: dict[str, list[dict[str, Any]]] = Field(
        description="File name (e.g. meetings.csv) to its rows, each row an object of column to value, "
        "with the columns of docs/data-package.md.",
        examples=[
            {
                "meetings.csv": [
                    {
                        "group": "executive-board",
                        "date": "2026-01-15",
                        "starts_at": "10:00",
                        "mode": "hybrid",
                        "status": "held",
                        "agenda": "Welcome|Data report",
                    }
                ]
            }
        ],
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


@router.post(
    "/data-package",
    summary="Create or update records from a data package",
    description="Every row of every file is checked first; if anything is wrong the response lists each "
    "problem with its file, row and column, and nothing is written. Sending the same package twice changes nothing.",
    response={200: dict, 422: dict},
)
def post_package(request, payload: PackageIn):
    files = {name: [{k: _text(v) for k, v in row.items()} for row in rows] for name, rows in payload.files.items()}
    try:
        report = import_files(files, actor=request.api_token)
    except PackageError as error:
        return Status(
            422,
            {
                "detail": "The data package is not valid; nothing was written.",
                "errors": [{"field": p.file, "message": str(p)} for p in error.problems],
            },
        )
    return Status(200, {"detail": "Imported.", "counts": report.counts})
