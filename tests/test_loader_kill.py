"""A load killed with SIGKILL leaves the database as it was before, or as the load would have left
it: in the middle of its transaction, and at random points from start to end."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from provenance.datasets import loader
from provenance.store import database
from tests.test_loader import FIXTURES, dump

STATEMENTS_PER_DOCUMENT = 400
DOCUMENTS = 25


def write_big_dataset(directory: Path) -> None:
    """Ten thousand statements, each reported by excerpt in one of 25 documents."""
    directory.mkdir()
    lines = [
        "agents:",
        "  - {id: speaker, name: A Speaker, kind: person}",
        "  - {id: paper, name: Paper, kind: outlet}",
        "claims:",
        "  - {id: claim, text: Something happened}",
        "documents:",
    ]
    for d in range(DOCUMENTS):
        sentences = [f"Sentence {d}-{i} was said by the speaker." for i in range(STATEMENTS_PER_DOCUMENT)]
        (directory / f"doc{d}.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
        lines.append(f"  - {{id: doc{d}, file: doc{d}.txt, outlet: paper}}")
    lines.append("statements:")
    for d in range(DOCUMENTS):
        for i in range(STATEMENTS_PER_DOCUMENT):
            lines.append(
                f"  - {{id: s-{d}-{i}, speaker: speaker, claim: claim, reports: "
                f"[{{document: doc{d}, excerpt: 'Sentence {d}-{i} was'}}]}}"
            )
    (directory / "big.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _writing_sqlite(url: str) -> bool:
    """Whether another connection holds the write lock (the load is inside its transaction)."""
    probe = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def _writing_postgres(probe: Engine, application: str) -> bool:
    with probe.connect() as connection:
        return bool(
            connection.execute(
                text(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = :a AND backend_xid IS NOT NULL"
                ),
                {"a": application},
            ).scalar()
        )


def test_sigkill_during_load_leaves_database_unchanged(engine: Engine, db_url: str, tmp_path: Path) -> None:
    loader.load(engine, [FIXTURES / "base.yaml"])
    before = dump(engine)
    big = tmp_path / "big"
    write_big_dataset(big)

    url = db_url
    probe = None
    if db_url.startswith("postgresql"):
        application = "killtest_" + uuid.uuid4().hex[:8]
        url = f"{db_url}&application_name={application}"
        probe = create_engine(database.to_url(os.environ["PROVENANCE_TEST_POSTGRES_URL"]))
    process = subprocess.Popen(
        [sys.executable, "-m", "provenance", "--db", url, "load", str(big), str(FIXTURES / "base.yaml")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    killed = False
    try:
        while process.poll() is None and time.monotonic() < deadline:
            writing = _writing_sqlite(db_url) if probe is None else _writing_postgres(probe, application)
            if writing:
                process.send_signal(signal.SIGKILL)
                killed = True
                break
            time.sleep(0.001)
    finally:
        if process.poll() is None and not killed:
            process.kill()
        process.wait()
        if probe is not None:
            probe.dispose()
    assert killed, "the load finished before its write could be caught; make the dataset bigger"
    assert process.returncode == -signal.SIGKILL
    engine.dispose()
    assert dump(engine) == before


KILLS = 20


def write_variant(directory: Path, round_: int) -> None:
    """A small dataset whose content differs from round to round (records new, changed, removed)."""
    directory.mkdir(exist_ok=True)
    count = 150 + 40 * (round_ % 3)
    sentences = [f"Sentence {i} was said in round {round_ % 2}." for i in range(count)]
    (directory / "doc.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
    lines = [
        "agents:",
        f"  - {{id: speaker, name: Speaker {round_}, kind: person}}",
        "  - {id: paper, name: Paper, kind: outlet}",
        "claims:",
        f"  - {{id: claim, text: Something happened in round {round_}}}",
        "documents:",
        "  - {id: doc, file: doc.txt, outlet: paper}",
        "statements:",
    ]
    for i in range(count):
        lines.append(f"  - {{id: s-{i}, speaker: speaker, claim: claim, reports: "
                     f"[{{document: doc, excerpt: 'Sentence {i} was said'}}]}}")
    (directory / "small.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _integrity(engine: Engine) -> None:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []


#: A child that imports everything a load needs, says so, then loads when told: the kill lands
#: in the load itself, not in the interpreter's start-up.
CHILD = (
    "import sys; import provenance.datasets.loader; from provenance.cli import cli;"
    " print('ready', flush=True); sys.stdin.readline(); cli.main(sys.argv[1:])"
)


def _spawn(db_url: str, data: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", CHILD, "--db", db_url, "load", str(data)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def _start(process: subprocess.Popen[bytes]) -> None:
    assert process.stdout is not None and process.stdin is not None
    assert process.stdout.readline() == b"ready\n"
    process.stdin.write(b"go\n")
    process.stdin.flush()


def test_sigkill_at_random_points_leaves_before_or_after(engine: Engine, db_url: str, tmp_path: Path) -> None:
    """Twenty loads killed at random moments: each time the database passes its integrity check
    and holds what it held before the load, or what the finished load writes (which reloading
    the same files then leaves unchanged)."""
    rng = random.Random(12)
    data = tmp_path / "data"
    write_variant(data, 0)
    process = _spawn(db_url, data)
    _start(process)
    started = time.monotonic()
    assert process.wait(timeout=120) == 0
    duration = time.monotonic() - started  # how long a whole load takes
    outcomes = {"before": 0, "after": 0}
    waiting = _spawn(db_url, data)  # the next child imports while this round is checked
    try:
        for round_ in range(1, KILLS + 1):
            write_variant(data, round_)
            engine.dispose()
            before = dump(engine)
            process, waiting = waiting, None
            _start(process)
            time.sleep(rng.uniform(0.0, 1.1) * duration)
            process.send_signal(signal.SIGKILL)
            process.wait()
            waiting = _spawn(db_url, data)
            engine.dispose()
            _integrity(engine)
            killed = dump(engine)
            loader.load(engine, [data])  # finish the load in-process: what the killed one would have written
            after = dump(engine)
            assert killed in (before, after), f"round {round_}: the database holds half a load"
            outcomes["before" if killed == before else "after"] += 1
    finally:
        if waiting is not None:
            waiting.kill()
            waiting.wait()
    assert sum(outcomes.values()) == KILLS
