"""``provenance load``: validate dataset files completely, then write them in one transaction.

Loading is idempotent: each top-level record carries a checksum of what it wrote, so unchanged
records are skipped, changed ones are replaced (with their aliases, affiliations, tags,
relations and reports), and records that a reloaded file no longer holds are removed.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import BigInteger, Column, Connection, Engine, MetaData, String, Table, insert, select, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from provenance.datasets.files import (
    MAX_DATASET_BYTES,
    FileProblem,
    ParsedFile,
    find_dataset_roots,
    line_of,
    parse_dataset,
    read_text,
    shown_path,
)
from provenance.datasets.format import Dataset
from provenance.datasets.plan import KINDS, Existing, LoadState, Plan, build_plan, is_unchanged
from provenance.errors import DatasetError, Problem, StoreError
from provenance.store import claim_index, database
from provenance.store.models import TABLES_IN_WRITE_ORDER
from provenance.store.passages import FINGERPRINT, fingerprints

#: A progress callback: ``progress(done, total, what)``.
Progress = Callable[[int, int, str], None]
TABLES = {model.__tablename__: model.__table__ for model in TABLES_IN_WRITE_ORDER}
COUNTS = ("new", "changed", "unchanged", "removed")
CHILD_TABLES = {
    "agent": [("agent_alias", "agent_id"), ("affiliation", "agent_id")],
    "document": [("document_author", "document_id"), ("republication", "document_id")],
    "claim": [("claim_tag", "claim_id"), ("claim_relation", "claim_id")],
    "statement": [("report", "statement_id"), ("statement_quote", "statement_id")],
}


@dataclass
class LoadSummary:
    """What a load found and did, per kind of record."""

    files: list[str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    dry_run: bool = False
    warnings: list[Problem] = field(default_factory=list)  # near-duplicate names

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


def read_files(paths: list[Path], root: Path | None = None,
               progress: Progress | None = None) -> tuple[list[ParsedFile], list[Problem]]:
    """Find, read, parse and validate dataset files; every problem of every file is reported.

    ``root`` is the dataset's folder (see :func:`~provenance.datasets.files.find_dataset_roots`).
    ``progress(done, total, "reading files")`` is called as each file starts and at the end.
    """
    found, problems = find_dataset_roots(paths, root)
    parsed: list[ParsedFile] = []
    for done, (path, folder) in enumerate(found.items()):
        if progress is not None:
            progress(done, len(found), "reading files")
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
        parsed.append(ParsedFile(path=path, shown=shown, dataset=dataset, lines=lines, root=folder))
    if progress is not None:
        progress(len(found), len(found), "reading files")
    return parsed, problems


def _in_chunks(values: Iterable[Any], size: int = 500) -> Iterator[list[Any]]:
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _references(files: list[ParsedFile]) -> dict[str, set[str]]:
    """Every id the files refer to, per kind."""
    refs: dict[str, set[str]] = {"agent": set(), "document": set(), "claim": set()}
    agents, documents, claims = refs["agent"], refs["document"], refs["claim"]
    for file in files:
        dataset = file.dataset
        for agent in dataset.agents:
            agents.update(link.to for link in agent.affiliations)
        for doc in dataset.documents:
            if doc.outlet:
                agents.add(doc.outlet)
            if doc.republishes:
                documents.add(doc.republishes)
            agents.update(copy.outlet for copy in doc.republished_at if copy.outlet)
        for claim in dataset.claims:
            claims.update(relation.claim for relation in claim.relations)
        for statement in dataset.statements:
            agents.add(statement.speaker)
            if statement.claim:
                claims.add(statement.claim)
            for report in statement.reports:
                if report.document:
                    documents.add(report.document)
                if report.reporter:
                    agents.add(report.reporter)
                agents.update(report.via_agents())
    return refs


def _existing(connection: Connection, files: list[ParsedFile], state: LoadState,
              empty: dict[str, bool]) -> Existing:
    """What the database holds about the ids this chunk defines and refers to.

    Looked up by id through the load's own connection, so records written by earlier chunks of
    the load count as held; a table that was empty when the load began is not searched for
    records of this chunk's (earlier chunks' records are in ``state``).
    """
    existing = Existing()
    # Databases written before sources were dataset-relative hold the file's absolute path:
    # such a record is the same file's, and takes the new source when the load writes.
    legacy = {file.legacy_source: file.source for file in files if file.legacy_source != file.source}
    sources = sorted(({file.source for file in files} - state.sources) | legacy.keys())
    for kind in KINDS:
        table = TABLES[kind]
        ids = {record.id for file in files for record in getattr(file.dataset, kind + "s")}
        if empty[kind]:
            continue
        for chunk in _in_chunks(ids):
            rows = connection.execute(
                select(table.c.id, table.c.source, table.c.checksum).where(table.c.id.in_(chunk)))
            for record_id, source, checksum in rows:
                if source in legacy:
                    source = existing.moved[kind][record_id] = legacy[source]
                existing.records[kind][record_id] = (source, checksum)
        for chunk in _in_chunks(sources):
            rows = connection.execute(select(table.c.id).where(table.c.source.in_(chunk)))
            existing.stale[kind].update(
                row[0] for row in rows if row[0] not in ids and row[0] not in state.origin[kind]
            )
    refs = _references(files)
    for kind, wanted in refs.items():
        if empty[kind]:
            continue
        table = TABLES[kind]
        own = {record.id for file in files for record in getattr(file.dataset, kind + "s")}
        wanted = wanted - own - state.defined[kind]
        for chunk in _in_chunks(wanted):
            existing.known[kind].update(
                row[0] for row in connection.execute(select(table.c.id).where(table.c.id.in_(chunk)))
            )
        existing.known[kind] -= state.stale[kind] | existing.stale[kind]
    if any(file.dataset.agents for file in files):
        affiliation = TABLES["affiliation"]
        existing.affiliations = [
            (row[0], row[1])
            for row in connection.execute(select(affiliation.c.agent_id, affiliation.c.parent_id))
        ]
    document = TABLES["document"]
    if any(file.dataset.documents for file in files):
        existing.republishes = dict(
            connection.execute(
                select(document.c.id, document.c.republishes_id).where(
                    document.c.republishes_id.is_not(None)
                )
            ).all()
        )
    own = {doc.id for file in files for doc in file.dataset.documents}
    gone = state.stale["document"] | existing.stale["document"]
    wanted = {
        report.document
        for file in files
        for statement in file.dataset.statements
        for report in statement.reports
        if report.document and report.document not in own and report.document not in gone
    }
    for doc_id in wanted & state.unwritten_texts.keys():
        existing.documents[doc_id] = state.unwritten_texts[doc_id]
    for chunk in _in_chunks(wanted - state.unwritten_texts.keys()):
        rows = connection.execute(
            select(document.c.id, document.c.text, document.c.outlet_id).where(
                document.c.id.in_(chunk)
            )
        )
        existing.documents.update({row[0]: (row[1], row[2]) for row in rows})
    return existing


def _write(connection: Connection, plan: Plan, existing: Existing) -> None:
    """Write one planned chunk: replace its changed records, then remove its stale ones (after,
    so that a changed statement no longer points at a claim the files dropped when it goes)."""
    for kind, moved in existing.moved.items():  # old absolute sources become dataset-relative
        by_source: dict[str, list[str]] = {}
        for record_id, source in moved.items():
            by_source.setdefault(source, []).append(record_id)
        table = TABLES[kind]
        for source, ids in by_source.items():
            for chunk in _in_chunks(ids):
                connection.execute(table.update().where(table.c.id.in_(chunk)).values(source=source))
    known = existing.records
    for kind in KINDS:
        before = known[kind]
        changed = [
            record
            for record in plan.records[kind].values()
            if not before or not is_unchanged(record, before.get(record.id))
        ]
        if not changed:
            continue
        if before:
            ids = [record.id for record in changed if record.id in before]
            for child, column in CHILD_TABLES[kind]:
                database.delete_where_in(connection, TABLES[child], column, ids)
        parents = []
        for record in _parents_first(kind, changed):
            for row in record.rows[kind]:
                row["source"] = record.source
                row["checksum"] = record.checksum
                parents.append(row)
        if before:
            database.upsert(connection, TABLES[kind], parents)
        else:  # none of them is in the database: a plain insert
            database.insert_rows(connection, TABLES[kind], parents)
        del parents
        for child, _ in CHILD_TABLES[kind]:
            database.insert_rows(
                connection, TABLES[child], [row for r in changed for row in r.rows[child]]
            )
        if kind == "document":
            _write_fingerprints(connection, changed, replace=bool(before))
    for kind in reversed(KINDS):
        database.delete_where_in(connection, TABLES[kind], "id", sorted(plan.stale[kind]))


#: The fingerprints of one load, appended as the chunks are written and merged into
#: ``passage_fingerprint`` at its end in key order: inserting each chunk's hashes straight into
#: a table keyed by hash touched pages all over it (0.19x raw sqlite3 at a million statements).
STAGING = Table("passage_fingerprint_staging", MetaData(), Column("hash", BigInteger),
                Column("document_id", String(120)), prefixes=["TEMPORARY"])


def _write_fingerprints(connection: Connection, documents: list[Any], *, replace: bool) -> None:
    """The passage fingerprints of the written documents, staged (their old ones removed)."""
    if replace:
        ids = [record.id for record in documents]
        database.delete_where_in(connection, FINGERPRINT, "document_id", ids)
    rows: list[dict[str, Any]] = []
    for record in documents:
        row = record.rows["document"][0]
        rows += ({"hash": value, "document_id": row["id"]} for value in fingerprints(row["text"]))
        if len(rows) >= 50_000:
            database.insert_rows(connection, STAGING, rows)
            rows = []
    database.insert_rows(connection, STAGING, rows)


def _merge_fingerprints(connection: Connection) -> None:
    """The staged fingerprints into ``passage_fingerprint``, in key order, in one statement."""
    connection.execute(insert(FINGERPRINT).from_select(
        ["hash", "document_id"],
        select(STAGING.c.hash, STAGING.c.document_id).order_by(STAGING.c.hash, STAGING.c.document_id)))
    STAGING.drop(connection)


def _update_claim_index(connection: Connection, plan: Plan, existing: Existing) -> None:
    """The claims' full-text index follows the claims written, in the same transaction."""
    before = existing.records["claim"]
    written = [(record.id, record.rows["claim"][0]["text"]) for record in plan.records["claim"].values()
               if not before or not is_unchanged(record, before.get(record.id))]
    claim_index.update(connection, written, [*plan.stale["claim"], *(i for i, _ in written if i in before)])


def _parents_first(kind: str, records: list[Any]) -> list[Any]:
    """Documents that republish another document come after it, so the foreign key holds."""
    if kind != "document":
        return records
    by_id = {record.id: record for record in records}
    ordered: list[Any] = []
    placed: set[str] = set()
    for record in records:
        chain = []  # this document, then the ones it republishes, not placed yet
        while record is not None and record.id not in placed:
            placed.add(record.id)
            chain.append(record)
            record = by_id.get(record.rows["document"][0]["republishes_id"])
        ordered.extend(reversed(chain))
    return ordered


@contextmanager
def _paused_gc() -> Iterator[None]:
    """No cyclic garbage collection during a load.

    A load makes millions of objects and keeps many (the ids it has seen, a chunk's rows), which
    makes every full collection walk them all again: a quarter of the load's time at a million
    statements, for almost no cycles (the rows are plain dicts and tuples). Reference counting
    still frees what the load drops; the collector runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(engine: Engine, paths: list[Path], *, dry_run: bool = False, adopt: bool = False,
         root: Path | None = None, progress: Progress | None = None) -> LoadSummary:
    """Validate every file under ``paths``, then write them all in one transaction.

    ``root`` is the dataset's folder: the text files it names must lie inside it, and records
    remember their file relative to it. By default, each directory given, or a file's folder.
    Raises :class:`DatasetError` listing every problem (and writes nothing) when any file is bad.
    ``progress(done, total, what)`` hears how the reading, then the writing, goes.
    """
    parsed, problems = read_files(paths, root, progress)
    if problems:
        raise DatasetError(problems)
    return load_datasets(engine, parsed, dry_run=dry_run, adopt=adopt, progress=progress)


def load_datasets(
    engine: Engine, parsed: Iterable[ParsedFile], *, dry_run: bool = False, adopt: bool = False,
    progress: Progress | None = None,
) -> LoadSummary:
    """Check already-validated datasets against each other and the database, then write them.

    The bulk path under :func:`load`, also used by ``ingest`` and the benchmarks. Each
    :class:`ParsedFile` is one source: a reload of the same source replaces what it said.

    A list (or tuple) is planned as a whole: its files may refer to each other in any order.
    Any other iterable is a stream of chunks, one file each, planned and written one after
    another so that only one chunk's rows are held at a time: a file may refer to what it or an
    earlier file defines, or to what the database holds. Either way the load is one
    transaction: when any file has a problem, every problem of every file is reported and
    nothing is written. A dry run does the whole load and then rolls it back.

    ``progress(done, total, "writing")`` counts the files planned and written (for a list; a
    stream's total is what has come so far, plus one).
    """
    chunks: Iterable[list[ParsedFile]] = (
        [list(parsed)] if isinstance(parsed, (list, tuple)) else ([file] for file in parsed)
    )
    state = LoadState()
    summary = LoadSummary(files=[], dry_run=dry_run,
                          counts={kind: dict.fromkeys(COUNTS, 0) for kind in KINDS})
    problems: list[Problem] = []
    try:
        # The write lock comes first: what the plan reads cannot change under it.
        with _paused_gc(), database.writing(engine) as connection, database.bulk_load(connection):
            database.ensure_schema(connection)
            empty = {
                kind: connection.execute(select(TABLES[kind].c.id).limit(1)).first() is None
                for kind in KINDS
            }
            STAGING.drop(connection, checkfirst=True)  # left by a failed load on this connection
            STAGING.create(connection)
            total = len(parsed) if isinstance(parsed, (list, tuple)) else None
            for files in chunks:
                _advance(progress, len(summary.files), total, "writing")
                summary.files.extend(file.shown for file in files)
                existing = _existing(connection, files, state, empty)
                plan = build_plan(files, existing, adopt=adopt, state=state)
                summary.warnings.extend(plan.warnings)
                if plan.problems or problems:
                    problems.extend(plan.problems)
                    state.unwritten_texts.update(
                        (record.id, (record.rows["document"][0]["text"],
                                     record.rows["document"][0]["outlet_id"]))
                        for record in plan.records["document"].values()
                    )
                    continue
                for kind in KINDS:
                    for name, value in plan.count(kind, existing).items():
                        summary.counts[kind][name] += value
                _write(connection, plan, existing)
                _update_claim_index(connection, plan, existing)
                del plan, existing
            _advance(progress, len(summary.files), len(summary.files), "writing")
            if problems or dry_run:
                connection.rollback()
            else:
                _merge_fingerprints(connection)
    except IntegrityError as error:
        stale = ", ".join(
            f"{kind} {record_id!r}" for kind in KINDS for record_id in sorted(state.stale[kind])[:5]
        )
        detail = f" (removing records no longer in the files: {stale})" if stale else ""
        raise StoreError(
            f"the database refused the load{detail}: {error.orig}; nothing was written"
        ) from None
    except DatabaseError as error:
        raise StoreError(f"the load failed: {error.orig}; nothing was written") from None
    if problems:
        raise DatasetError(problems)
    if not dry_run:
        _refresh_statistics(engine, summary)
    return summary


def _advance(progress: Progress | None, done: int, total: int | None, what: str) -> None:
    if progress is not None:
        progress(done, done + 1 if total is None else total, what)


#: After a load this large, PostgreSQL's planner gets fresh statistics at once.
ANALYZE_AFTER_RECORDS = 1000


def _refresh_statistics(engine: Engine, summary: LoadSummary) -> None:
    """ANALYZE the tables after a big load on PostgreSQL: without statistics its planner picks
    full scans for the chain queries until autovacuum comes round (SQLite needs nothing)."""
    written = sum(c["new"] + c["changed"] for c in summary.counts.values())
    if engine.dialect.name != "postgresql" or written < ANALYZE_AFTER_RECORDS:
        return
    with engine.begin() as connection:
        connection.execute(text("ANALYZE " + ", ".join(TABLES)))
