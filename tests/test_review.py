"""The `unreviewed` audit rule: draft statements and placeholder agents are findings."""

from __future__ import annotations

from pathlib import Path

from provenance.audit import run_audit
from provenance.datasets import loader

DRAFT = """\
agents:
  - {id: daily, name: The Daily, kind: outlet}
  - {id: unresolved-doc-he, name: he, kind: person}
  - {id: minister, name: The Minister, kind: person}
  - {id: did-not-immediately, name: did not immediately, kind: group, description: Proposed by provenance extract; check its kind and identity.}
documents:
  - {id: doc, text: "The minister said 32 were arrested. He said more would follow.", outlet: daily}
claims:
  - {id: arrested-32, text: 32 people were arrested}
  - {id: more-arrests, text: More arrests will follow}
statements:
  - {id: s1, speaker: minister, claim: arrested-32, reports: [{document: doc, excerpt: The minister said 32 were arrested}]}
  - id: s2
    speaker: unresolved-doc-he
    claim: more-arrests
    method: extracted
    review_status: draft
    reports: [{document: doc, excerpt: He said more would follow}]
"""


def test_drafts_and_placeholders_are_findings(engine, tmp_path: Path) -> None:
    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    loader.load(engine, [tmp_path / "draft.yaml"])
    findings = run_audit(engine, rules=["unreviewed"])
    assert [(f.severity.value, f.subject, f.evidence.get("statements")) for f in findings] == [
        ("error", "agent:unresolved-doc-he", ["s2"]),
        ("warning", "agent:did-not-immediately", None),
        ("warning", "statement:s2", None),
    ]
    assert run_audit(engine, claim="arrested-32", rules=["unreviewed"]) == []


def test_answers_mark_drafts_and_reviewed_only_leaves_them_out(db_url: str, tmp_path: Path) -> None:
    from provenance.store import database
    from tests.conftest import invoke

    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    loader.load(database.connect(database.Location(db_url, "test")), [tmp_path / "draft.yaml"])
    result = invoke(db_url, "speaker", "unresolved-doc-he", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"statement": "s2 (draft)"' in result.stdout
    result = invoke(db_url, "--reviewed-only", "speaker", "unresolved-doc-he", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "s2" not in result.stdout
    result = invoke(db_url, "--reviewed-only", "speaker", "minister", "--format", "csv")
    assert result.stdout.splitlines()[1].startswith("s1,")  # reviewed statements stay
    result = invoke(db_url, "--reviewed-only", "audit", "--rule", "unreviewed", "--format", "json")
    assert result.exit_code == 0 and "statement:s2" not in result.stdout
