"""Property-based fuzzing of ``provenance load`` with Hypothesis.

Datasets are generated valid, then mutated (fields dropped, retyped or pointed at nothing,
records duplicated, the file cut short, bytes inserted, aliases, byte-order marks, binary) and
loaded through the CLI into a copy of a database that already holds a dataset. Whatever comes in:

- exit 0, and the database holds exactly the records the file defines besides those it held; or
- exit 1 with an error that names the file, and the database file byte-for-byte as it was;
- never a traceback (an exception escaping the command fails the test).

The default profile runs a few dozen examples; ``PROVENANCE_FUZZ=deep`` runs thousands.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from provenance.datasets import loader
from provenance.store import database
from tests.conftest import invoke
from tests.test_files import BOMB
from tests.test_loader import FIXTURES

settings.register_profile("default", max_examples=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("PROVENANCE_FUZZ", "default")
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

IDS = [f"x{i}" for i in range(8)]
KINDS = ["person", "government", "outlet", "news_agency", "anonymous"]
NAME = st.text(st.characters(categories=["L", "M", "N", "Zs"]), min_size=1, max_size=12).filter(
    lambda s: s.strip())
JUNK = st.one_of(st.none(), st.integers(), st.booleans(), st.text(max_size=8),
                 st.lists(st.text(max_size=4), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=1))


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, Any]:
    """A valid dataset: agents, inline documents, claims, statements whose excerpts are in the text."""
    ids = iter(draw(st.permutations(IDS)))
    agents = [{"id": f"a-{next(ids)}", "name": draw(NAME), "kind": draw(st.sampled_from(KINDS))}
              for _ in range(draw(st.integers(1, 3)))]
    outlet = agents[0]["id"]
    documents, sentences = [], []
    for _ in range(draw(st.integers(1, 2))):
        doc_id = f"d-{next(ids)}"
        lines = [f"Line {doc_id} {i} says {draw(NAME)}." for i in range(draw(st.integers(1, 4)))]
        documents.append({"id": doc_id, "text": "\n".join(lines), "outlet": outlet})
        sentences += [(doc_id, line[: line.index(" says")]) for line in lines]
    claims = [{"id": f"c-{next(ids)}", "text": draw(NAME)} for _ in range(draw(st.integers(1, 2)))]
    statements = []
    for number in range(draw(st.integers(0, 3))):
        doc_id, excerpt = draw(st.sampled_from(sentences))
        statements.append({
            "id": f"s-{number}", "speaker": draw(st.sampled_from(agents))["id"],
            "claim": draw(st.sampled_from(claims))["id"],
            "reports": [{"document": doc_id, "excerpt": excerpt}],
        })
    return {"agents": agents, "documents": documents, "claims": claims, "statements": statements}


def _records(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [record for kind in ("agents", "documents", "claims", "statements") for record in data[kind]]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[bytes, str, bool]:
    """(file content, suffix, whether it is the valid dataset unchanged)."""
    data = draw(datasets())
    mutations = draw(st.lists(st.sampled_from(
        ["drop", "retype", "dangling", "duplicate", "truncate", "insert", "bom", "bomb", "binary", "json"]),
        max_size=3))
    for mutation in mutations:
        records = _records(data)
        record = draw(st.sampled_from(records))
        if mutation == "drop":
            record.pop(draw(st.sampled_from(sorted(record))))
        elif mutation == "retype":
            record[draw(st.sampled_from(sorted(record)))] = draw(JUNK)
        elif mutation == "dangling":
            fields = [key for key in ("outlet", "speaker", "claim") if key in record]
            if fields:
                record[draw(st.sampled_from(fields))] = "nothing-here"
        elif mutation == "duplicate":
            kind = draw(st.sampled_from(["agents", "documents", "claims"]))
            data[kind].append(dict(data[kind][0]))
    suffix = ".json" if "json" in mutations else ".yaml"
    content = (json.dumps(data, ensure_ascii=False) if suffix == ".json"
               else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)).encode("utf-8")
    for mutation in mutations:
        if mutation == "truncate":
            content = content[: draw(st.integers(0, len(content)))]
        elif mutation == "insert":
            at = draw(st.integers(0, len(content)))
            piece = draw(st.sampled_from(["&a ", "*a", "\t", ": ", "- ", "[", "{", "\\u202e", "'", '"', "\n  "]))
            content = content[:at] + piece.encode("utf-8") + content[at:]
        elif mutation == "bom":
            content = "\ufeff".encode() + content
        elif mutation == "bomb":
            content = BOMB.encode("utf-8")
        elif mutation == "binary":
            at = draw(st.integers(0, len(content)))
            content = content[:at] + draw(st.sampled_from([b"\x00", b"\xff\xfe", b"\xc3"])) + content[at:]
    valid = set(mutations) <= {"bom", "json"} and mutations.count("bom") <= 1  # one mark is allowed
    return content, suffix, valid


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    """A SQLite file holding the loader's base dataset, copied for every example."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "template.db"
        engine = database.connect(database.Location(f"sqlite:///{path}", "test"))
        loader.load(engine, [FIXTURES / "base.yaml"])
        engine.dispose()
        yield path


def _ids(path: Path) -> dict[str, set[str]]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return {kind: set(connection.execute(text(f"SELECT id FROM {kind}")).scalars())
                    for kind in ("agent", "document", "claim", "statement")}
    finally:
        engine.dispose()


#: Found by the deep profile: libyaml takes a trailing tab that PyYAML's own parser refuses.
TRAILING_TAB = (
    b"agents:\n- {id: a-x0, name: A, kind: person}\ndocuments:\n- {id: d-x1, text: 'Line d-x1 0 says A.',"
    b" outlet: a-x0}\nclaims:\n- {id: c-x2, text: A}\nstatements:\n- id: s-0\n  speaker: a-x0\n"
    b"  claim: c-x2\n  reports:\n  - document: d-x1\n    excerpt: Line d-x1 0\t\n"
)


@settings(settings.get_profile(PROFILE))
@example(case=(TRAILING_TAB, ".yaml", False))
@example(case=(BOMB.encode("utf-8"), ".yaml", False))
@given(case=mutated())
def test_any_dataset_loads_whole_or_is_refused_with_a_located_error(template: Path, case: tuple[bytes, str, bool]) -> None:
    content, suffix, valid = case
    with tempfile.TemporaryDirectory() as directory:
        db = Path(directory) / "fuzz.db"
        shutil.copy(template, db)
        before_bytes = db.read_bytes()
        before = _ids(db)
        dataset = Path(directory) / "data" / f"fuzzed{suffix}"
        dataset.parent.mkdir()
        dataset.write_bytes(content)
        result = invoke(str(db), "load", str(dataset))  # an exception escaping it fails the test
        if result.exit_code == 0:
            decoded = content.decode("utf-8").removeprefix("\ufeff")
            # The loader's parser: libyaml's, which accepts a few things PyYAML's own does not.
            data = json.loads(decoded) if suffix == ".json" else yaml.load(decoded, Loader=SAFE_LOADER)
            after = _ids(db)
            for kind in after:
                defined = {record["id"] for record in data.get(kind + "s") or []}
                assert after[kind] == before[kind] | defined, kind
        else:
            assert not valid, result.stderr
            assert result.exit_code == 1, result.stderr
            first = result.stderr.splitlines()[0]
            assert first.startswith("Error: ") and "fuzzed" in first, result.stderr
            assert "Traceback" not in result.stderr
            assert db.read_bytes() == before_bytes
            wal = db.with_name(db.name + "-wal")
            assert not wal.exists() or wal.stat().st_size == 0
