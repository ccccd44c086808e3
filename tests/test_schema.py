"""The JSON Schema in schema/ is generated from the dataset models and must not be stale."""

from __future__ import annotations

import json

import pytest

from provenance.datasets.schema import render_schema
from tests.conftest import ROOT, invoke

SCHEMA_FILE = ROOT / "schema" / "dataset.schema.json"


def test_schema_file_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render_schema(), (
        "schema/dataset.schema.json is stale: run `provenance schema --out schema/dataset.schema.json`"
    )


def test_schema_validates_the_seed_files() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads(render_schema())
    for path in sorted((ROOT / "seeds").glob("*.yaml")):
        jsonschema.validate(
            json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str)), schema
        )


def test_schema_command_prints_and_writes(tmp_path) -> None:
    result = invoke(str(tmp_path / "unused.db"), "schema")
    assert result.exit_code == 0
    assert result.stdout == render_schema()
    out = tmp_path / "schema.json"
    result = invoke(str(tmp_path / "unused.db"), "schema", "--out", str(out))
    assert out.read_text(encoding="utf-8") == render_schema()
    assert result.stderr == f"wrote {out}\n"
