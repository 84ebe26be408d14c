"""An import problem: which table, row and cell is wrong and why, in Vietnamese and English."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation


def message_bilingual(*, message) -> dict[str, str]:
    """Render a lazily translated message in both interface languages."""
    rendered = {}
    for language in ("vi", "en"):
        with translation.override(language):
            rendered[language] = str(message)
    return rendered


@dataclass(frozen=True)
class ImportProblem:
    table: str
    row: int
    column: object  # a header as written, or a lazily translated label
    message: object  # a lazy translation

    def as_dict(self) -> dict:
        return {"table": self.table, "row": self.row, "column": str(self.column),
                **message_bilingual(message=self.message)}

    def location(self) -> str:
        parts = [self.table] if self.table else []
        if self.row:
            parts.append(f"dòng/row {self.row}")
        if self.column:
            parts.append(f"cột/column “{self.column}”")
        return ", ".join(parts)

    def as_text(self) -> str:
        both = message_bilingual(message=self.message)
        where = self.location()
        prefix = f"{where}: " if where else ""
        return f"{prefix}{both['vi']}\n    {both['en']}"


class PlanImportFailed(Exception):
    """Nothing was written; `problems` says what to fix."""

    def __init__(self, problems: list[ImportProblem]):
        super().__init__("; ".join(problem.as_text() for problem in problems))
        self.problems = problems
