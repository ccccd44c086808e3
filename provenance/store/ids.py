"""Lists of ids in text SQL: ``IN (...)`` written a chunk at a time, the same on SQLite and
PostgreSQL (SQLite caps a statement's variables)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

#: Ids one statement names at a time in ``IN (...)``.
IN_CHUNK = 500


def id_batches(ids: Sequence[Any], size: int = IN_CHUNK) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(":k0, :k1, …", {"k0": …})`` for each run of ``size`` ids: the marks and values of an
    ``IN (...)`` written in text SQL, on both backends."""
    for start in range(0, len(ids), size):
        chunk = ids[start:start + size]
        yield (", ".join(f":k{i}" for i in range(len(chunk))),
               {f"k{i}": value for i, value in enumerate(chunk)})
