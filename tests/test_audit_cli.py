"""``provenance audit``: output formats, --rule, --fail-on, scopes; and the seed dataset's audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from provenance.audit import RULES, run_audit
from provenance.cli.audit import RULE_IDS
from provenance.datasets import loader
from provenance.store.database import Location, connect
from tests.conftest import invoke

FIXTURES = Path(__file__).parent / "fixtures" / "audit"


@pytest.fixture
def loaded(engine: Engine, db_url: str) -> str:
    loader.load(engine, [FIXTURES / "base.yaml", FIXTURES / "chains.yaml"])
    return db_url


def test_cli_knows_every_rule() -> None:
    assert list(RULE_IDS) == list(RULES)


def test_table_output_and_summary(loaded: str) -> None:
    result = invoke(loaded, "audit", "--rule", "date-anomaly")
    assert result.exit_code == 0
    assert result.stdout == (
        "severity    rule          subject                          message\n"
        "----------  ------------  -------------------------------  " + "-" * 100 + "\n"
        "error       date-anomaly  report:minister-arrests@daily-2  document daily-2, published"
        " 2024-01-04, reports statement minister-arrests made later, on 2024-01-06\n"
    )
    assert result.stderr == "1 finding: 1 error, 0 warnings, 0 info\n"


def test_json_output_has_evidence(loaded: str) -> None:
    result = invoke(loaded, "audit", "--format", "json", "--rule", "unsourced", "--rule", "anonymous")
    rows = json.loads(result.stdout)
    assert [row["rule"] for row in rows] == ["anonymous", "anonymous", "unsourced", "unsourced"]
    assert rows[0]["evidence"]["documents"] == ["daily-2"]
    assert {row["subject"] for row in rows} >= {"statement:minister-no-report", "claim:nobody-says"}


def test_csv_and_markdown(loaded: str) -> None:
    csv = invoke(loaded, "audit", "--format", "csv", "--rule", "unsourced").stdout.splitlines()
    assert csv[0] == "severity,rule,subject,message,evidence"
    assert len(csv) == 3
    markdown = invoke(loaded, "audit", "--format", "markdown", "--rule", "unsourced").stdout
    assert markdown.startswith("| severity")
    assert "statement:minister-no-report" in markdown


@pytest.mark.parametrize(("threshold", "code"), [("error", 1), ("warning", 1), ("info", 1)])
def test_fail_on(loaded: str, threshold: str, code: int) -> None:
    result = invoke(loaded, "audit", "--fail-on", threshold)
    assert result.exit_code == code
    assert "failing:" in result.stderr


def test_fail_on_below_threshold_passes(loaded: str) -> None:
    assert invoke(loaded, "audit", "--rule", "unsourced", "--fail-on", "error").exit_code == 0
    assert invoke(loaded, "audit", "--rule", "contested", "--fail-on", "info").exit_code == 0


def test_no_findings(loaded: str) -> None:
    result = invoke(loaded, "audit", "--rule", "circular-citation")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith("no findings\n0 findings")


def test_scopes_and_bad_options(loaded: str) -> None:
    claim = invoke(loaded, "audit", "--claim", "nobody-says", "--format", "jsonl")
    assert [json.loads(line)["subject"] for line in claim.stdout.splitlines()] == ["claim:nobody-says"]
    both = invoke(loaded, "audit", "--claim", "nobody-says", "--document", "daily-2")
    assert both.exit_code == 2
    unknown = invoke(loaded, "audit", "--document", "daily-22")
    assert unknown.exit_code == 1
    assert "no document with id 'daily-22'" in unknown.stderr and "daily-2" in unknown.stderr
    assert invoke(loaded, "audit", "--rule", "nope").exit_code == 2


# ---------------------------------------------------------------- the seed dataset


@pytest.fixture(scope="module")
def seed_findings(seeded_url: str) -> list:
    engine = connect(Location(seeded_url, "test"))
    try:
        return run_audit(engine)
    finally:
        engine.dispose()


def _subjects(findings: list, rule: str) -> dict:
    return {f.subject: f for f in findings if f.rule == rule}


def test_seed_evidence_is_intact(seed_findings: list) -> None:
    assert [f.message for f in seed_findings if f.severity == "error"] == []


def test_seed_zelin_quote_shared_by_media_line_and_oan(seed_findings: list) -> None:
    shared = [f for f in seed_findings if f.rule == "common-source"]
    pairs = {tuple(f.evidence["documents"]) for f in shared}
    assert ("oan-2024-01-04-isis-takes-responsibility",
            "themedialine-2024-01-04-islamic-state-claims-responsibility") in pairs
    passages = [p["text"] for f in shared for p in f.evidence["passages"]]
    assert any("They are kind of like the Joker" in p and p.count(" ") >= 20 for p in passages)


def test_seed_death_tolls_disagree(seed_findings: list) -> None:
    tolls = [f for f in seed_findings if f.rule == "conflicting-figures" and f.severity == "warning"]
    assert tolls, "the death tolls (73, 84, 89, nearly 100, 103) must be found disagreeing"
    values = {figure["value"] for f in tolls for figure in f.evidence["figures"]}
    assert {84, 89, 103} <= values


def test_seed_irna_anonymous_sources(seed_findings: list) -> None:
    anonymous = [f for f in seed_findings if f.rule == "anonymous"]
    irna = [f for f in anonymous if "irna" in f.evidence.get("first_hand_reporters", [])]
    assert len(irna) >= 2


def test_seed_unverified_hops_through_mehr_and_presstv(seed_findings: list) -> None:
    reporters = {f.evidence["reporter"] for f in seed_findings
                 if f.rule == "unverified-hop" and f.severity == "warning"}
    assert {"mehr-news-agency", "presstv", "irna"} <= reporters


def test_seed_isis_us_backed_single_cluster(seed_findings: list) -> None:
    origins = _subjects(seed_findings, "single-origin")
    backed = [f for subject, f in origins.items() if "us-backed" in subject or "backed-by-us" in subject]
    assert backed and backed[0].evidence["cluster"] == ["government-of-iran"]
