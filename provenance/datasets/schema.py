"""The generated JSON Schema of dataset files (``schema/dataset.schema.json``)."""

from __future__ import annotations

import json

from provenance.datasets.format import json_schema


def render_schema() -> str:
    """The schema as stable, pretty-printed JSON text."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
