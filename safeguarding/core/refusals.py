"""One way to refuse a file (issue 15, item 3): ``FileRefused`` with its problems.

A problem names where it is (file, row, column) and what is wrong, as fields, so a page
lists them, the API returns them as ``{"field", "message"}`` without taking text apart, and
the command line prints them. Each area's refusal (records, returns, data packages,
e-learning completions) is a ``FileRefused``, so one ``except`` catches them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    file: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where = f"{where}, row {self.row}" if where else f"row {self.row}"
        if self.column:
            where = f"{where}, column {self.column}" if where else f"column {self.column}"
        return f"{where}: {self.message}" if where else self.message


def as_problem(problem: Problem | str) -> Problem:
    """A problem written as text (a whole-file one, say) is a problem with no place."""
    return problem if isinstance(problem, Problem) else Problem(message=problem)


class FileRefused(Exception):
    """A file, or a batch of records, not accepted: nothing from it was stored."""

    def __init__(self, problems: Iterable[Problem | str]):
        self.problems = [as_problem(p) for p in problems]
        super().__init__(self.summary())

    @property
    def errors(self) -> list[str]:
        """The problems as the sentences a person reads."""
        return [str(p) for p in self.problems]

    def summary(self) -> str:
        return "\n".join(self.errors)
