"""``provenance load``: validate dataset files completely, then write them in one transaction.

Loading is idempotent: each top-level record carries a checksum of what it wrote, so unchanged
records are skipped, changed ones are replaced (with their aliases, affiliations, tags,
relations and reports), and records that a reloaded file no longer holds are removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError, IntegrityError

from provenance import store
from provenance.dataset import Dataset
from provenance.errors import DatasetError, Problem, StoreError
from provenance.files import (
    MAX_DATASET_BYTES,
    FileProblem,
    find_dataset_files,
    line_of,
    parse_dataset,
    read_text,
    shown_path,
)
from provenance.models import TABLES_IN_WRITE_ORDER
from provenance.plan import KINDS, Existing, ParsedFile, Plan, build_plan

TABLES = {model.__tablename__: model.__table__ for model in TABLES_IN_WRITE_ORDER}
CHILD_TABLES = {
    "agent": [("agent_alias", "agent_id"), ("affiliation", "agent_id")],
    "document": [("document_author", "document_id")],
    "claim": [("claim_tag", "claim_id"), ("claim_relation", "claim_id")],
    "statement": [("report", "statement_id")],
}


@dataclass
class LoadSummary:
    """What a load found and did, per kind of record."""

    files: list[str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    dry_run: bool = False

    def rows(self) -> list[dict[str, Any]]:
        return [{"records": kind + "s", **self.counts[kind]} for kind in KINDS]

    @property
    def changed(self) -> bool:
        return any(c["new"] or c["changed"] or c["removed"] for c in self.counts.values())


def _location(loc: tuple[Any, ...]) -> str:
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _validation_problems(parsed_file: str, error: ValidationError,
                         lines: Callable[[tuple[Any, ...]], int | None] | None) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(step for step in item["loc"] if not str(step).startswith("function-"))
        message = item["msg"]
        if item["type"] not in ("missing", "extra_forbidden") and "input" in item:
            shown = repr(item["input"])
            message += f" (got {shown[:60] + '…' if len(shown) > 60 else shown})"
        if item["type"] == "extra_forbidden":
            message = "unknown field (check its spelling)"
        problems.append(
            Problem(parsed_file, _location(loc), message, line=lines(loc) if lines else None)
        )
    return problems


def read_files(paths: list[Path]) -> tuple[list[ParsedFile], list[Problem]]:
    """Find, read, parse and validate dataset files; every problem of every file is reported."""
    found, problems = find_dataset_files(paths)
    parsed: list[ParsedFile] = []
    for path in found:
        shown = shown_path(path)
        try:
            content = read_text(path, shown_as=shown, limit=MAX_DATASET_BYTES)
            data, root = parse_dataset(content, shown_as=shown, is_json=path.suffix == ".json")
        except FileProblem as error:
            problems.append(error.problem)
            continue
        lines = (lambda loc, root=root: line_of(root, loc)) if root is not None else None
        if not isinstance(data, dict):
            problems.append(Problem(shown, "", "the top level must be a mapping with agents,"
                                    " documents, claims and/or statements"))
            continue
        try:
            dataset = Dataset.model_validate(data)
        except ValidationError as error:
            problems.extend(_validation_problems(shown, error, lines))
            continue
        parsed.append(ParsedFile(path=path, shown=shown, dataset=dataset, lines=lines))
    return parsed, problems


def _existing(engine: Engine, referenced_documents: set[str]) -> Existing:
    existing = Existing()
    with engine.connect() as connection:
        for kind in KINDS:
            table = TABLES[kind]
            rows = connection.execute(select(table.c.id, table.c.source, table.c.checksum))
            existing.records[kind] = {row[0]: (row[1], row[2]) for row in rows}
        affiliation = TABLES["affiliation"]
        existing.affiliations = [
            (row[0], row[1])
            for row in connection.execute(select(affiliation.c.agent_id, affiliation.c.parent_id))
        ]
        document = TABLES["document"]
        existing.republishes = dict(
            connection.execute(
                select(document.c.id, document.c.republishes_id).where(
                    document.c.republishes_id.is_not(None)
                )
            ).all()
        )
        wanted = sorted(referenced_documents)
        for start in range(0, len(wanted), 500):
            rows = connection.execute(
                select(document.c.id, document.c.text, document.c.outlet_id).where(
                    document.c.id.in_(wanted[start : start + 500])
                )
            )
            existing.documents.update({row[0]: (row[1], row[2]) for row in rows})
    return existing


def _write(engine: Engine, plan: Plan, existing: Existing) -> None:
    with engine.begin() as connection:
        for kind in reversed(KINDS):
            store.delete_where_in(connection, TABLES[kind], "id", sorted(plan.stale[kind]))
        for kind in KINDS:
            changed = [
                record
                for record in plan.records[kind].values()
                if existing.records[kind].get(record.id) != (record.source, record.checksum)
            ]
            if not changed:
                continue
            ids = [record.id for record in changed]
            for child, column in CHILD_TABLES[kind]:
                store.delete_where_in(connection, TABLES[child], column, ids)
            parents = [
                {**row, "source": record.source, "checksum": record.checksum}
                for record in _parents_first(kind, changed)
                for row in record.rows[kind]
            ]
            store.upsert(connection, TABLES[kind], parents)
            for child, _ in CHILD_TABLES[kind]:
                store.insert_rows(
                    connection, TABLES[child], [row for r in changed for row in r.rows[child]]
                )


def _parents_first(kind: str, records: list[Any]) -> list[Any]:
    """Documents that republish another document come after it, so the foreign key holds."""
    if kind != "document":
        return records
    by_id = {record.id: record for record in records}
    ordered: list[Any] = []
    placed: set[str] = set()

    def place(record: Any) -> None:
        if record.id in placed:
            return
        placed.add(record.id)
        parent = by_id.get(record.rows["document"][0]["republishes_id"])
        if parent is not None:
            place(parent)
        ordered.append(record)

    for record in records:
        place(record)
    return ordered


def load(engine: Engine, paths: list[Path], *, dry_run: bool = False, adopt: bool = False) -> LoadSummary:
    """Validate every file under ``paths``, then write them all in one transaction.

    Raises :class:`DatasetError` listing every problem (and writes nothing) when any file is bad.
    """
    parsed, problems = read_files(paths)
    if problems:
        raise DatasetError(problems)
    return load_datasets(engine, parsed, dry_run=dry_run, adopt=adopt)


def load_datasets(
    engine: Engine, parsed: list[ParsedFile], *, dry_run: bool = False, adopt: bool = False
) -> LoadSummary:
    """Check already-validated datasets against each other and the database, then write them.

    The bulk path under :func:`load`, also used by ``ingest`` and the benchmarks. Each
    :class:`ParsedFile` is one source: a reload of the same source replaces what it said.
    """
    store.ensure_schema(engine)
    referenced = {
        report.document
        for file in parsed
        for statement in file.dataset.statements
        for report in statement.reports
        if report.document
    }
    existing = _existing(engine, referenced)
    plan = build_plan(parsed, existing, adopt=adopt)
    if plan.problems:
        raise DatasetError(plan.problems)
    summary = LoadSummary(
        files=[file.shown for file in parsed],
        counts={kind: plan.count(kind, existing) for kind in KINDS},
        dry_run=dry_run,
    )
    if not dry_run:
        try:
            _write(engine, plan, existing)
        except IntegrityError as error:
            stale = ", ".join(
                f"{kind} {record_id!r}"
                for kind in KINDS
                for record_id in sorted(plan.stale[kind])[:5]
            )
            detail = f" (removing records no longer in the files: {stale})" if stale else ""
            raise StoreError(
                f"the database refused the load{detail}: {error.orig}; nothing was written"
            ) from None
        except DatabaseError as error:
            raise StoreError(f"the load failed: {error.orig}; nothing was written") from None
    return summary
