"""benchmarks/output.py runs every case at a small N (no timing assertions), so it cannot rot."""

from __future__ import annotations

import pytest

from benchmarks import output


@pytest.mark.parametrize("case", output.CASES)
def test_every_case_runs(case: str) -> None:
    result = output.run_case(case, 300)
    assert result["case"] == case
    assert result["seconds"] >= 0 and result["peak_mb"] > 0


def test_rows_are_made_as_they_are_asked_for() -> None:
    rows = output.rows(10**9)  # a billion rows would not fit: they must come one at a time
    first = next(rows)
    assert list(first) == output.COLUMNS
    assert next(rows)["statement"] == "statement-0"
