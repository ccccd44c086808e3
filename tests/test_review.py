# ruff: noqa: E501  (the expected outputs are data, one output line a line)
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


DRAFT_OUTPUTS = {
    "table": (
        "statement    speaker    stance      chain    hop  reporter    document    published    excerpt                    cites\n"
        "-----------  ---------  --------  -------  -----  ----------  ----------  -----------  -------------------------  ----------\n"
        "s2 (draft)   he         asserts         1      1  The Daily   doc                      He said more would follow  first-hand\n"),
    "markdown": (
        "| statement   | speaker   | stance   | chain   | hop   | reporter   | document   | published   | excerpt                   | cites      |\n"
        "|-------------|-----------|----------|---------|-------|------------|------------|-------------|---------------------------|------------|\n"
        "| s2 (draft)  | he        | asserts  | 1       | 1     | The Daily  | doc        |             | He said more would follow | first-hand |\n"),
    "json": (
        '[\n  {"statement": "s2", "speaker": "he", "stance": "asserts", "chain": 1, "hop": 1, "reporter": "The Daily",'
        ' "document": "doc", "published": null, "excerpt": "He said more would follow", "cites": "first-hand",'
        ' "review": "draft"}\n]\n'),
    "csv": (
        "statement,speaker,stance,chain,hop,reporter,document,published,excerpt,cites,review\n"
        "s2,he,asserts,1,1,The Daily,doc,,He said more would follow,first-hand,draft\n"),
}


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
    # Ids stay ids: the review status is a field of its own, which tables and markdown fold
    # into the statement's cell (a database with no draft shows what it always did).
    for fmt, expected in DRAFT_OUTPUTS.items():
        result = invoke(db_url, "claim", "more-arrests", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == expected, fmt
    result = invoke(db_url, "speaker", "minister", "--format", "markdown")
    assert "| s1 " in result.stdout and "draft" not in result.stdout
    result = invoke(db_url, "claim", "more-arrests", "--columns", "review,speaker")
    assert result.stdout.splitlines()[2] == "draft     he"  # asked for, it is a column
    result = invoke(db_url, "claim", "more-arrests", "--columns", "speaker,stance")
    assert result.stdout.splitlines()[2] == "he (draft)  asserts"  # no statement cell: the first one
    result = invoke(db_url, "--reviewed-only", "speaker", "unresolved-doc-he", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "s2" not in result.stdout
    result = invoke(db_url, "--reviewed-only", "speaker", "minister", "--format", "csv")
    assert result.stdout.splitlines()[1].startswith("s1,")  # reviewed statements stay
    result = invoke(db_url, "--reviewed-only", "audit", "--rule", "unreviewed", "--format", "json")
    assert result.exit_code == 0 and "statement:s2" not in result.stdout


def test_reports_mark_draft_statements(db_url: str, tmp_path: Path) -> None:
    from provenance.store import database
    from tests.conftest import invoke

    (tmp_path / "draft.yaml").write_text(DRAFT, encoding="utf-8")
    loader.load(database.connect(database.Location(db_url, "test")), [tmp_path / "draft.yaml"])
    for option, name in (("--claim", "more-arrests"), ("--speaker", "unresolved-doc-he"), ("--claim", "arrested-32")):
        result = invoke(db_url, "report", option, name, "--out", str(tmp_path / "reports"))
        assert result.exit_code == 0, result.stderr
    claim = (tmp_path / "reports" / "claims" / "more-arrests.md").read_text(encoding="utf-8")
    assert "| `s2` (draft) | [he](../speakers/unresolved-doc-he.md) |  | asserts | paraphrase |" in claim
    assert "**Chain 1** — The Daily ← **he**, who *asserts* (statement `s2` (draft))" in claim
    speaker = (tmp_path / "reports" / "speakers" / "unresolved-doc-he.md").read_text(encoding="utf-8")
    assert "| `s2` (draft) | asserts |" in speaker
    reviewed = (tmp_path / "reports" / "claims" / "arrested-32.md").read_text(encoding="utf-8")
    assert "| `s1` | [The Minister](../speakers/minister.md) |" in reviewed and "(draft)" not in reviewed
