"""A load killed with SIGKILL in the middle of its write leaves the database as it was before."""

from __future__ import annotations

import os
import signal
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
    return Path(url.removeprefix("sqlite:///") + "-journal").exists()


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
