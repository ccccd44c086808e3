"""The library's exceptions. The CLI turns them into readable messages and a non-zero exit."""

from __future__ import annotations

from dataclasses import dataclass


class ProvenanceError(Exception):
    """Base class of every error the library raises on purpose."""


class StoreError(ProvenanceError):
    """The database cannot be opened, is not a provenance database, or refused a write."""


class NotFoundError(ProvenanceError):
    """A name or id the user typed matches nothing; ``suggestions`` are the closest names."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: the file, where inside it, and what."""

    file: str
    location: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        where = f"{place}: {self.location}" if self.location else place
        return f"{where}: {self.message}"


class DatasetError(ProvenanceError):
    """The dataset files have problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} found; nothing was written")

    def __str__(self) -> str:
        lines = [str(problem) for problem in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"... and {len(self.problems) - 50} more")
        lines.append(self.args[0])
        return "\n".join(lines)
