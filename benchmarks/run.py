"""Benchmark: a synthetic provenance graph of N statements, loaded and asked, beside raw SQL.

    python benchmarks/run.py --n 1000000 [--postgres URL] [--json out.json] [--workdir /tmp]

In one run, on the same generated data (:mod:`benchmarks.generate`), per backend:

- **load**: :func:`provenance.datasets.loader.load_datasets` on the generator's stream of chunks (what
  ``provenance load`` does after reading and validating the files: generating the data, YAML
  parsing and pydantic validation are *not* measured — the time spent inside the generator is
  taken out) against the same rows (read back from the loaded database, in insertion order)
  written by the bare driver's ``executemany`` into the same schema (same DDL, indexes included)
  in one transaction, in batches of 20,000 rows, timing only the ``executemany`` calls and the
  commit;
- **queries**: p50/p95 of speaker (with roll-up), claim trace, contest and figures, on hot (most
  popular) and cold keys, through the library against hand-written SQL (:mod:`benchmarks.rawsql`)
  through the bare driver;
- **audit**: one full :func:`provenance.audit.run_audit`;
- **cli** (SQLite): ``python -m provenance --db X speaker <hot>`` in a fresh process against
  ``python -c "import sqlmodel"``;
- **memory** (peak RSS of this process after the load, and at the end) and **database size**.

Ratios are "how many times raw": load throughput ``provenance / raw`` (target ≥ 0.5), query
latency ``provenance / raw`` (target ≤ 2). Tests never assert timings.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from benchmarks import rawsql  # noqa: E402
from benchmarks.generate import Stats, stream  # noqa: E402
from provenance.datasets.loader import load_datasets  # noqa: E402
from provenance.store import database  # noqa: E402
from provenance.store.models import TABLES_IN_WRITE_ORDER  # noqa: E402

TARGETS = {
    "load_ratio": ">= 0.5", "query_ratio": "<= 2", "cli_seconds": "< 1", "audit_seconds": "< 30",
    "peak_rss_mb": "< 1536",
}


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# -- raw baseline -------------------------------------------------------------------------------
BATCH = 20_000


class Timed:
    """An iterator that adds up the time spent producing its items."""

    def __init__(self, items: Iterator[Any]) -> None:
        self.items = items
        self.seconds = 0.0

    def __iter__(self) -> Iterator[Any]:
        while True:
            started = time.perf_counter()
            try:
                item = next(self.items)
            except StopIteration:
                self.seconds += time.perf_counter() - started
                return
            self.seconds += time.perf_counter() - started
            yield item


def _batches(reader: Any) -> Iterator[list[Any]]:
    while batch := reader.fetchmany(BATCH):
        yield batch


def _via_first(batches: Iterator[list[Any]], columns: list[str]) -> Iterator[list[Any]]:
    """Reports grouped by statement (read in statement order), each group via-first."""
    statement, ident, via = (columns.index(name) for name in ("statement_id", "id", "via_id"))
    group: list[Any] = []
    for batch in batches:
        out: list[Any] = []
        for row in batch:
            if group and group[0][statement] != row[statement]:
                out.extend(_ordered(group, ident, via))
                group = []
            group.append(row)
        yield out
    if group:
        yield _ordered(group, ident, via)


def _ordered(group: list[Any], ident: int, via: int) -> list[Any]:
    by_id = {row[ident]: row for row in group}
    ordered: list[Any] = []
    placed: set[str] = set()
    for row in group:
        chain = []
        while row is not None and row[ident] not in placed:
            placed.add(row[ident])
            chain.append(row)
            row = by_id.get(row[via])
        ordered.extend(reversed(chain))
    return ordered


def raw_load(source: Any, target: Any, placeholder: str, postgres: bool) -> tuple[float, dict[str, int]]:
    """Copy every table from the loaded database into the raw one by ``executemany``.

    Rows are read in insertion order on SQLite (``rowid``), so that foreign keys hold row by
    row; PostgreSQL's physical order need not be the insertion order, so there reports are
    read by statement and put via-first. Only the ``executemany`` calls and the commit are
    timed. Returns the seconds and the rows per table.
    """
    cursor = target.cursor()
    seconds = 0.0
    counts: dict[str, int] = {}
    for model in TABLES_IN_WRITE_ORDER:
        table = model.__table__
        names = [column.name for column in table.columns]
        columns = ", ".join(names)
        marks = ", ".join([placeholder] * len(table.columns))
        insert = f"INSERT INTO {table.name} ({columns}) VALUES ({marks})"
        order = ("statement_id" if table.name == "report" else "ctid") if postgres else "rowid"
        if not postgres and table.dialect_options["sqlite"]["with_rowid"] is False:
            order = ", ".join(column.name for column in table.primary_key.columns)  # no rowid
        reader = source.cursor(name=f"read_{table.name}") if postgres else source.cursor()
        reader.execute(f"SELECT {columns} FROM {table.name} ORDER BY {order}")
        batches = _batches(reader)
        if postgres and table.name == "report":
            batches = _via_first(batches, names)
        counts[table.name] = 0
        for batch in batches:
            counts[table.name] += len(batch)
            started = time.perf_counter()
            cursor.executemany(insert, batch)
            seconds += time.perf_counter() - started
        reader.close()
    started = time.perf_counter()
    target.commit()
    if postgres:  # the loader refreshes the planner's statistics after a big load; so does raw
        cursor.execute("ANALYZE " + ", ".join(model.__table__.name for model in TABLES_IN_WRITE_ORDER))
        target.commit()
    return seconds + time.perf_counter() - started, counts


# -- one backend --------------------------------------------------------------------------------
class Backend:
    """A database pair (loaded by provenance; loaded raw) on SQLite or in PostgreSQL schemas."""

    def __init__(self, name: str, workdir: Path, postgres: str | None = None) -> None:
        self.name = name
        self.postgres = postgres
        tag = uuid.uuid4().hex[:8]
        if postgres:
            self.base = database.to_url(postgres)
            self.schemas = [f"bench_{tag}", f"bench_raw_{tag}"]
            admin = create_engine(self.base)
            with admin.begin() as connection:
                for schema in self.schemas:
                    connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            admin.dispose()
            sep = "&" if "?" in self.base else "?"
            self.url, self.raw_url = (
                f"{self.base}{sep}options={quote('-csearch_path=' + schema)}" for schema in self.schemas
            )
        else:
            self.paths = [workdir / f"bench-{tag}.db", workdir / f"bench-raw-{tag}.db"]
            self.url, self.raw_url = (f"sqlite:///{path}" for path in self.paths)

    def engine(self, url: str) -> Any:
        return database.connect(database.Location(url, "benchmark"))

    def raw_connection(self) -> Any:
        """A bare DB-API connection to the raw database."""
        if self.postgres:
            import psycopg

            return psycopg.connect(self.postgres, options=f"-csearch_path={self.schemas[1]}")
        connection = sqlite3.connect(self.paths[1])
        connection.execute("PRAGMA foreign_keys = ON")
        return connection

    def query_connection(self) -> tuple[Any, str]:
        """A bare DB-API connection to the database provenance loaded, and its paramstyle."""
        if self.postgres:
            import psycopg

            return psycopg.connect(self.postgres, options=f"-csearch_path={self.schemas[0]}"), "pyformat"
        return sqlite3.connect(self.paths[0]), "named"

    def size_mb(self) -> float:
        if self.postgres:
            engine = create_engine(self.base)
            with engine.connect() as connection:
                size = connection.execute(text(
                    "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = :s AND c.relkind IN ('r', 't', 'm')"),
                    {"s": self.schemas[0]}).scalar()
            engine.dispose()
            return float(size or 0) / 2**20
        return self.paths[0].stat().st_size / 2**20

    def drop(self) -> None:
        if self.postgres:
            admin = create_engine(self.base)
            with admin.begin() as connection:
                for schema in self.schemas:
                    connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()
        else:
            for path in self.paths:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(str(path) + suffix).unlink(missing_ok=True)


def _timed(function: Any, repeats: int) -> list[float]:
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - started)
    return seconds


def bench_queries(backend: Backend, keys: dict[str, dict[str, str]], repeats: int) -> list[dict[str, Any]]:
    """p50/p95 of each question through the library and through hand-written SQL."""
    from provenance.queries.agents import speaker
    from provenance.queries.claims import trace
    from provenance.queries.contest import contest
    from provenance.queries.figures import figures
    from provenance.queries.resolve import resolve_agent, resolve_claim

    engine = backend.engine(backend.url)
    raw, paramstyle = backend.query_connection()
    results = []
    with engine.connect() as connection:
        library = {
            "speaker": lambda key: speaker(connection, resolve_agent(connection, key), rollup=True),
            "trace": lambda key: trace(connection, resolve_claim(connection, key)),
            "contest": lambda key: contest(connection, resolve_claim(connection, key)),
            "figures": lambda key: figures(connection, key),
        }
        for question, ask in library.items():
            for temperature in ("hot", "cold"):
                key = keys[question][temperature]
                rows = len(ask(key).rows)  # warm-up, and the size of the answer
                raw_rows = len(rawsql.run(raw, question, key, paramstyle))
                ours = _timed(lambda ask=ask, key=key: ask(key), repeats)
                theirs = _timed(lambda question=question, key=key: rawsql.run(raw, question, key, paramstyle),
                                repeats)
                p50, p95 = _percentile(ours, 0.5), _percentile(ours, 0.95)
                r50, r95 = _percentile(theirs, 0.5), _percentile(theirs, 0.95)
                results.append({
                    "question": question, "key": f"{temperature} {key}", "rows": rows,
                    "raw_rows": raw_rows, "p50_ms": p50 * 1000, "p95_ms": p95 * 1000,
                    "raw_p50_ms": r50 * 1000, "raw_p95_ms": r95 * 1000,
                    "ratio_p50": p50 / r50 if r50 else None, "ratio_p95": p95 / r95 if r95 else None,
                })
                connection.rollback()
    raw.close()
    engine.dispose()
    return results


def bench_backend(backend: Backend, n: int, args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"backend": backend.name}
    engine = backend.engine(backend.url)
    rss_before = _rss_mb()
    files, stats = stream(n, args.seed)
    timed = Timed(files)
    started = time.perf_counter()
    summary = load_datasets(engine, iter(timed))
    load_seconds = time.perf_counter() - started - timed.seconds
    out["generate_seconds"] = timed.seconds
    out["generated"] = {**stats.counts, "max_chain_depth": stats.max_chain_depth}
    _progress(f"{backend.name}: generated {n:,} statements in {timed.seconds:.1f} s and loaded"
              f" them in {load_seconds:.1f} s more; peak RSS {_peak_mb():,.0f} MB")
    out["peak_rss_mb"] = _peak_mb()
    out["rss_before_load_mb"] = rss_before
    engine.dispose()
    statements = summary.counts["statement"]["new"]
    keys = _keys(stats)

    # The raw baseline writes the very rows the loader wrote, into the same DDL.
    raw_engine = backend.engine(backend.raw_url)
    database.ensure_schema(raw_engine)
    raw_engine.dispose()
    source, _ = backend.query_connection()
    connection = backend.raw_connection()
    try:
        raw_seconds, counts = raw_load(source, connection, "%s" if backend.postgres else "?",
                                       bool(backend.postgres))
    finally:
        connection.close()
        source.close()
    _progress(f"{backend.name}: raw load in {raw_seconds:.1f} s")
    total_rows = sum(counts.values())
    reports = counts["report"]
    out["load"] = {
        "statements": statements, "reports": reports, "rows": total_rows,
        "seconds": load_seconds, "raw_seconds": raw_seconds,
        "statements_per_s": statements / load_seconds, "reports_per_s": reports / load_seconds,
        "rows_per_s": total_rows / load_seconds, "raw_rows_per_s": total_rows / raw_seconds,
        "ratio": raw_seconds / load_seconds,
    }
    out["queries"] = bench_queries(backend, keys, args.repeats)

    _progress(f"{backend.name}: queries done; audit (limit {args.audit_timeout:.0f} s)")
    out["audit"] = bench_audit(backend.url, args.audit_timeout)
    if not backend.postgres:
        out["cli"] = bench_cli(backend.paths[0], keys["speaker_cli"]["hot"])
        out["cli_typical"] = bench_cli(backend.paths[0], keys["speaker_cli"]["typical"])
        if not args.no_commands:
            out["commands"] = bench_commands(backend.paths[0], keys, args.workdir, args.audit_timeout)
    out["db_size_mb"] = backend.size_mb()
    out["peak_rss_end_mb"] = _peak_mb()
    return out


def _keys(stats: Stats) -> dict[str, dict[str, str]]:
    return {
        # typical: a department of the busiest government (its own subtree, not the whole tree)
        "speaker": {"hot": stats.hot_org, "cold": stats.cold_speaker, "typical": f"{stats.hot_org}.0.0"},
        "search": {"hot": "attack"},
        "speaker_cli": {"hot": stats.hot_speaker, "typical": stats.typical_speaker},
        "trace": {"hot": stats.hot_claim, "cold": stats.cold_claim, "typical": "c-99"},
        "contest": {"hot": stats.hot_claim, "cold": stats.cold_claim},
        "figures": {"hot": stats.hot_quantity, "cold": stats.cold_quantity},
        "outlet": {"hot": "outlet-0", "typical": "outlet-9"},
    }


#: The busiest and a typical key of each question, found by SQL in any provenance database
#: (``--db``): the claim, speaker, quantity and outlet with the most statements or documents, and
#: the one ranked 100th (10th for outlets); the government whose tree said the most.
KEY_SQL = {
    "claim": "SELECT claim_id FROM statement WHERE claim_id IS NOT NULL GROUP BY claim_id"
             " ORDER BY COUNT(*) DESC, claim_id LIMIT 1 OFFSET :rank",
    "speaker": "SELECT speaker_id FROM statement GROUP BY speaker_id ORDER BY COUNT(*) DESC, speaker_id"
               " LIMIT 1 OFFSET :rank",
    "quantity": "SELECT c.quantity_key FROM claim c JOIN statement s ON s.claim_id = c.id"
                " WHERE c.quantity_key IS NOT NULL GROUP BY c.quantity_key"
                " ORDER BY COUNT(*) DESC, c.quantity_key LIMIT 1 OFFSET :rank",
    "outlet": "SELECT outlet_id FROM document WHERE outlet_id IS NOT NULL GROUP BY outlet_id"
              " ORDER BY COUNT(*) DESC, outlet_id LIMIT 1 OFFSET :rank",
    "organisation": """
WITH RECURSIVE up(agent_id, top_id, depth) AS (
  SELECT a.id, a.id, 0 FROM agent a
  WHERE a.kind = 'government' AND NOT EXISTS (SELECT 1 FROM affiliation f WHERE f.agent_id = a.id)
  UNION SELECT f.agent_id, u.top_id, u.depth + 1 FROM affiliation f JOIN up u ON f.parent_id = u.agent_id
  WHERE u.depth < 8
)
SELECT u.top_id FROM statement s JOIN up u ON u.agent_id = s.speaker_id
GROUP BY u.top_id ORDER BY COUNT(*) DESC, u.top_id LIMIT 1 OFFSET :rank""",
    "department": """
SELECT f.agent_id FROM affiliation f JOIN affiliation g ON g.agent_id = f.parent_id
WHERE g.parent_id = :top ORDER BY f.agent_id LIMIT 1""",
}


def keys_in(path: Path) -> dict[str, dict[str, str]]:
    """:func:`_keys` for a database on disk, found by SQL (:data:`KEY_SQL`)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def key(name: str, rank: int = 0, **params: str) -> str:
        found = connection.execute(KEY_SQL[name], {"rank": rank, **params}).fetchone()
        if found is None:
            raise SystemExit(f"{path}: no {name} to ask about")
        return found[0]

    try:
        top = key("organisation")
        department = connection.execute(KEY_SQL["department"], {"top": top}).fetchone()
        claim, quantity = key("claim"), key("quantity")
        return {
            "speaker": {"hot": top, "typical": department[0] if department else key("speaker", 99)},
            "search": {"hot": "attack"},
            "speaker_cli": {"hot": key("speaker"), "typical": key("speaker", 99)},
            "trace": {"hot": claim, "typical": key("claim", 99)},
            "contest": {"hot": claim},
            "figures": {"hot": quantity},
            "outlet": {"hot": key("outlet"), "typical": key("outlet", 9)},
        }
    finally:
        connection.close()


AUDIT = """
import json, sys, time
from provenance.store import database
from provenance.audit import RULES
from provenance.audit.context import AuditContext, Scope
from provenance.audit.findings import sort_findings
engine = database.connect(database.Location(sys.argv[1], "benchmark"))
seconds, cpu, findings = {}, {}, {}
with engine.connect() as connection:
    context = AuditContext(connection, Scope())
    started, clock = time.perf_counter(), time.process_time()
    context.chain()
    seconds["citation forest"] = time.perf_counter() - started
    cpu["citation forest"] = time.process_time() - clock
    for rule in RULES.values():
        started, clock = time.perf_counter(), time.process_time()
        found = rule.check(context)
        findings[rule.id] = sum(1 for _ in (found if rule.streamed else sort_findings(list(found))))
        seconds[rule.id] = time.perf_counter() - started
        cpu[rule.id] = time.process_time() - clock
    context.close()
print(json.dumps({"seconds": sum(seconds.values()), "cpu_seconds": sum(cpu.values()),
                  "findings": sum(findings.values()),
                  "rules": {rule: {"seconds": seconds[rule], "cpu_seconds": cpu[rule],
                                   "findings": findings.get(rule)} for rule in seconds}}))
"""


def bench_audit(url: str, limit: float) -> dict[str, Any]:
    """One full audit pass, rule by rule (their times add up to the whole), in a child process so
    that a slow audit cannot stall the run."""
    try:
        done = subprocess.run([sys.executable, "-c", AUDIT, url], capture_output=True, text=True,
                              timeout=limit)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "findings": None, "timed_out_after": limit}
    if done.returncode != 0:
        raise SystemExit(f"the audit failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


MEASURED = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
try:
    done = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          timeout=float(sys.argv[1]))
    code, error = done.returncode, done.stderr.decode()[-500:]
except subprocess.TimeoutExpired:
    code, error = None, "timed out"
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": time.perf_counter() - started, "returncode": code, "error": error,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime,
                  "peak_rss_mb": usage.ru_maxrss / 1024}))
"""


def command_list(keys: dict[str, dict[str, str]], out: Path, *,
                 audit: bool = True) -> list[tuple[str, list[str], str]]:
    """(label, arguments, target kind) of each command measured end to end."""
    commands = [
        ("audit (table)", ["audit"], "audit"),
        ("audit --format jsonl", ["audit", "--format", "jsonl"], "audit"),
        ("audit --format json", ["audit", "--format", "json"], "audit"),
        ("audit --format csv", ["audit", "--format", "csv"], "audit"),
        ("audit --format markdown", ["audit", "--format", "markdown"], "audit"),
    ] if audit else []
    claim, typical_claim = keys["trace"]["hot"], keys["trace"].get("typical")
    commands += [
        (f"report --claim {claim} (busiest)", ["report", "--claim", claim, "--out", str(out)], "report"),
        (f"speaker {keys['speaker']['hot']} --rollup (busiest)",
         ["speaker", keys["speaker"]["hot"], "--rollup"], "busiest"),
        (f"speaker {keys['speaker']['typical']} --rollup (typical)",
         ["speaker", keys["speaker"]["typical"], "--rollup"], "typical"),
        (f"speaker {keys['speaker_cli']['hot']} (busiest)",
         ["speaker", keys["speaker_cli"]["hot"]], "busiest"),
        (f"speaker {keys['speaker_cli']['typical']} (typical)",
         ["speaker", keys["speaker_cli"]["typical"]], "typical"),
        (f"claim {claim} (busiest)", ["claim", claim], "busiest"),
        *([(f"claim {typical_claim} (typical)", ["claim", typical_claim], "typical")]
          if typical_claim else []),
        (f"claim {claim} --origins (busiest)", ["claim", claim, "--origins"], "busiest"),
        (f"contest {claim} (busiest)", ["contest", claim], "busiest"),
        (f"figures {keys['figures']['hot']} (busiest)", ["figures", keys["figures"]["hot"]], "busiest"),
        ("figures (every quantity)", ["figures"], "busiest"),
        (f"outlet {keys['outlet']['hot']} (busiest)", ["outlet", keys["outlet"]["hot"]], "busiest"),
        (f"outlet {keys['outlet']['typical']} (typical)", ["outlet", keys["outlet"]["typical"]], "typical"),
        ("outlets", ["outlets"], "busiest"),
        ("speakers", ["speakers"], "busiest"),
        ("claims", ["claims"], "busiest"),
        (f"search {keys['search']['hot']}", ["search", keys["search"]["hot"]], "busiest"),
    ]
    return commands


def bench_commands(path: Path, keys: dict[str, dict[str, str]], workdir: Path,
                   limit: float, *, audit: bool = True) -> list[dict[str, Any]]:
    """Each command end to end in a fresh process (output to /dev/null): wall and CPU seconds
    (user + system, which other work on the machine inflates less) and peak RSS."""
    out = workdir / f"reports-{uuid.uuid4().hex[:8]}"
    results = []
    for label, argv, kind in command_list(keys, out, audit=audit):
        command = [sys.executable, "-m", "provenance", "--db", str(path), *argv]
        done = subprocess.run([sys.executable, "-c", MEASURED, str(limit), *command],
                              capture_output=True, text=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        results.append({"command": label, "kind": kind, **figures})
        _progress(f"cli: {label}: {figures['seconds']:.2f} s ({figures['cpu_seconds']:.2f} s CPU),"
                  f" {figures['peak_rss_mb']:,.0f} MB"
                  + (f" (exit {figures['returncode']}: {figures['error'][-200:]})"
                     if figures["returncode"] else ""))
    shutil.rmtree(out, ignore_errors=True)
    return results


def commands_table(commands: list[dict[str, Any]]) -> str:
    """The end-to-end figures of :func:`bench_commands` as a table."""
    from tabulate import tabulate

    targets = {"audit": "<= 30 s, <= 1536 MB", "report": "<= 3 s", "busiest": "<= 3 s", "typical": "<= 1 s"}
    return tabulate(
        [[c["command"],
          f"{c['seconds']:.2f}" + ("" if c["returncode"] == 0 else f" (exit {c['returncode']})"),
          f"{c['cpu_seconds']:.2f}", f"{c['peak_rss_mb']:,.0f}", targets[c["kind"]]] for c in commands],
        headers=["command, fresh process", "seconds", "CPU s", "peak MB", "target"])


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def bench_cli(path: Path, speaker: str, repeats: int = 3) -> dict[str, Any]:
    """One query end to end in a fresh process, against importing sqlmodel."""
    command = [sys.executable, "-m", "provenance", "--db", str(path), "speaker", speaker]
    floor = [sys.executable, "-c", "import sqlmodel"]

    def run(argv: list[str]) -> float:
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr}")
        return time.perf_counter() - started

    seconds = min(run(command) for _ in range(repeats))
    floor_seconds = min(run(floor) for _ in range(repeats))
    return {"command": f"python -m provenance --db DB speaker {speaker}", "seconds": seconds,
            "import_sqlmodel_seconds": floor_seconds}


# -- output -------------------------------------------------------------------------------------
def table(results: dict[str, Any]) -> str:
    from tabulate import tabulate

    lines = [f"N = {results['n']:,} statements (seed {results['seed']}), generated as a stream"
             " of validated datasets: generation, YAML parsing and validation are not measured.",
             ""]
    for backend in results["backends"]:
        load = backend["load"]
        summary = [
            ["load: statements/s", f"{load['statements_per_s']:,.0f}", "", ""],
            ["load: reports/s", f"{load['reports_per_s']:,.0f}", "", ""],
            ["load: rows/s (raw executemany)", f"{load['rows_per_s']:,.0f}",
             f"{load['raw_rows_per_s']:,.0f}", ""],
            ["load: seconds (raw)", f"{load['seconds']:.1f}", f"{load['raw_seconds']:.1f}", ""],
            ["load: throughput ratio to raw", f"{load['ratio']:.2f}", "", TARGETS["load_ratio"]],
            ["audit: full pass, s",
             f"{backend['audit']['seconds']:.2f}" if backend["audit"]["seconds"] is not None
             else f"> {backend['audit']['timed_out_after']:.0f} (stopped)",
             f"{backend['audit']['findings']} findings", TARGETS["audit_seconds"]],
            ["generated in, s (not measured)", f"{backend['generate_seconds']:.1f}", "", ""],
            ["peak RSS after load, MB", f"{backend['peak_rss_mb']:,.0f}",
             f"{backend['rss_before_load_mb']:,.0f} before load", TARGETS["peak_rss_mb"]],
            ["peak RSS at the end, MB", f"{backend['peak_rss_end_mb']:,.0f}", "",
             TARGETS["peak_rss_mb"]],
            ["database size, MB", f"{backend['db_size_mb']:,.0f}", "", ""],
        ]
        for key, label in (("cli", "hottest"), ("cli_typical", "100th")):
            if key in backend:
                cli = backend[key]
                summary.append([f"cli: speaker ({label}: {cli['command'].split()[-1]}), fresh process, s",
                                f"{cli['seconds']:.2f}",
                                f"{cli['import_sqlmodel_seconds']:.2f} (import sqlmodel)",
                                TARGETS["cli_seconds"]])
        lines += [f"## {backend['backend']}",
                  tabulate(summary, headers=["figure", "provenance", "raw / reference", "target"]),
                  ""]
        if backend["audit"].get("rules"):
            lines.append(tabulate(
                [[rule, f"{figures['seconds']:.2f}", f"{figures.get('cpu_seconds', 0):.2f}",
                  figures["findings"]]
                 for rule, figures in backend["audit"]["rules"].items()],
                headers=["audit rule", "seconds", "CPU s (others' load aside)", "findings"]))
            lines.append("")
        if backend.get("commands"):
            lines += [commands_table(backend["commands"]), ""]
        lines.append(tabulate(
            [[q["question"], q["key"], q["rows"], f"{q['p50_ms']:.1f}", f"{q['p95_ms']:.1f}",
              f"{q['raw_p50_ms']:.1f}", f"{q['raw_p95_ms']:.1f}", f"{q['ratio_p50']:.2f}",
              f"{q['ratio_p95']:.2f}"] for q in backend["queries"]],
            headers=["query", "key", "rows", "p50 ms", "p95 ms", "raw p50", "raw p95",
                     "ratio p50", "ratio p95 (target <= 2)"]))
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="Statements to generate.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", help="Also run on PostgreSQL (schemas created and dropped).")
    parser.add_argument("--postgres-n", type=int, help="N for PostgreSQL (default: --n).")
    parser.add_argument("--no-sqlite", action="store_true", help="Only PostgreSQL.")
    parser.add_argument("--repeats", type=int, default=5, help="Runs of each query.")
    parser.add_argument("--audit-timeout", type=float, default=180.0,
                        help="Seconds the full audit may take before it is reported as timed out.")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp"))
    parser.add_argument("--json", type=Path, help="Write the results as JSON here.")
    parser.add_argument("--keep", action="store_true", help="Keep the databases.")
    parser.add_argument("--no-commands", action="store_true",
                        help="Skip the end-to-end command figures (audit, report, queries as the CLI).")
    parser.add_argument("--db", type=Path, help="Only the end-to-end command figures, on this existing"
                        " SQLite database (read only; keys found by SQL).")
    parser.add_argument("--no-audit", action="store_true", help="With --db: leave out the audit commands.")
    args = parser.parse_args(argv)
    if args.db is not None:
        if not args.db.is_file():
            parser.error(f"--db {args.db}: no such SQLite database file")
        return commands_on(args)

    results: dict[str, Any] = {"n": args.n, "seed": args.seed, "targets": TARGETS, "backends": []}
    runs = [] if args.no_sqlite else [("sqlite", None, args.n)]
    if args.postgres:
        runs.append(("postgresql", args.postgres, args.postgres_n or args.n))
    started = time.perf_counter()
    for name, postgres, n in runs:
        backend = Backend(name, args.workdir, postgres)
        try:
            outcome = bench_backend(backend, n, args)
            outcome["n"] = n
            results["backends"].append(outcome)
        finally:
            if not args.keep:
                backend.drop()
    results["total_seconds"] = time.perf_counter() - started
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return results


def commands_on(args: argparse.Namespace) -> dict[str, Any]:
    """``--db``: every command end to end on an existing database, as :func:`bench_commands`."""
    keys = keys_in(args.db)
    _progress(f"keys: {json.dumps(keys)}")
    results = {"db": str(args.db), "keys": keys, "load_average": os.getloadavg(),
               "commands": bench_commands(args.db, keys, args.workdir, args.audit_timeout,
                                          audit=not args.no_audit)}
    results["load_average_after"] = os.getloadavg()
    print(f"{args.db}: load average {results['load_average'][0]:.1f} before,"
          f" {results['load_average_after'][0]:.1f} after\n")
    print(commands_table(results["commands"]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return results


if __name__ == "__main__":
    main()
