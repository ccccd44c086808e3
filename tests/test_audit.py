"""The audit rules, each on a small dataset that triggers it and on one that must not.

``base.yaml`` triggers nothing; each other fixture file (or one SQL change to the database, as
someone writing to the tables directly would) triggers one family of rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from provenance.audit import RULES, Finding, Severity, passages, run_audit
from provenance.audit.figures import interval
from provenance.datasets import loader
from provenance.errors import NotFoundError, ProvenanceError

FIXTURES = Path(__file__).parent / "fixtures" / "audit"


def load(engine: Engine, *names: str) -> Engine:
    loader.load(engine, [FIXTURES / "base.yaml", *(FIXTURES / f"{name}.yaml" for name in names)])
    return engine


def by_subject(findings: list[Finding], rule: str) -> dict[str, Finding]:
    return {f.subject: f for f in findings if f.rule == rule}


def sql(engine: Engine, statement: str, **params: object) -> None:
    with engine.begin() as connection:
        connection.execute(text(statement), params)


@pytest.mark.parametrize("rule", list(RULES))
def test_clean_dataset_triggers_no_rule(engine: Engine, rule: str) -> None:
    load(engine)
    assert run_audit(engine, rules=[rule]) == []


def test_evidence_moved_text_and_stale_hash(engine: Engine) -> None:
    load(engine)
    sql(engine, "UPDATE document SET text = 'Updated. ' || text WHERE id = 'daily-1'")
    found = by_subject(run_audit(engine, rules=["evidence"]), "evidence")
    assert set(found) == {"document:daily-1", "report:minister-84@daily-1"}
    assert found["document:daily-1"].severity is Severity.error
    moved = found["report:minister-84@daily-1"]
    assert moved.evidence["reanchor_at"] == 9 and moved.evidence["start"] == 0
    assert "re-anchor there" in moved.message


def test_evidence_excerpt_gone_or_misplaced(engine: Engine) -> None:
    load(engine)
    sql(engine, "UPDATE report SET excerpt_start = excerpt_start + 1, excerpt_end = excerpt_end + 1"
                " WHERE id = 'analyst-84@courier-1'")
    sql(engine, "UPDATE report SET excerpt = 'words that are nowhere' WHERE id = 'minister-84@daily-1'")
    found = by_subject(run_audit(engine, rules=["evidence"]), "evidence")
    assert set(found) == {"report:analyst-84@courier-1", "report:minister-84@daily-1"}
    shifted = found["report:analyst-84@courier-1"].evidence
    assert shifted["reanchor_at"] == shifted["start"] - 1
    assert "no longer anywhere in the text" in found["report:minister-84@daily-1"].message


def test_unsourced_statement_and_claim(engine: Engine) -> None:
    found = by_subject(run_audit(load(engine, "chains"), rules=["unsourced"]), "unsourced")
    assert set(found) == {"statement:minister-no-report", "claim:nobody-says"}
    assert found["statement:minister-no-report"].severity is Severity.warning
    assert found["claim:nobody-says"].severity is Severity.info


def test_anonymous_speaker_and_anonymous_hop(engine: Engine) -> None:
    found = by_subject(run_audit(load(engine, "chains"), rules=["anonymous"]), "anonymous")
    assert set(found) == {"statement:source-suicide", "report:tipster-gas~tipster"}
    speaker = found["statement:source-suicide"].evidence
    assert speaker["first_hand_reporters"] == ["agency"] and speaker["documents"] == ["daily-2"]
    assert found["report:tipster-gas~tipster"].evidence["documents"] == ["daily-2"]


def test_unverified_hops_one_finding_per_intermediary(engine: Engine) -> None:
    found = by_subject(run_audit(load(engine, "origins"), rules=["unverified-hop"]), "unverified-hop")
    assert list(found) == ["report:minister-foreign~agency"]
    hop = found["report:minister-foreign~agency"]
    assert hop.evidence["documents"] == ["courier-2", "daily-3"]
    assert hop.severity is Severity.warning


def test_unverified_hops_along_a_chain(engine: Engine) -> None:
    found = by_subject(run_audit(load(engine, "chains"), rules=["unverified-hop"]), "unverified-hop")
    assert set(found) == {"report:source-suicide~agency", "report:tipster-gas~tipster",
                          "report:tipster-gas~tipster~agency"}
    assert found["report:tipster-gas~tipster~agency"].evidence["via"] == "tipster-gas~tipster"


def test_circular_citation_written_with_sql(engine: Engine) -> None:
    load(engine, "origins")
    sql(engine, "UPDATE report SET via_id = 'minister-foreign@daily-3' WHERE id = 'minister-foreign~agency'")
    findings = run_audit(engine)  # every rule copes with the loop
    found = by_subject(findings, "circular-citation")
    assert list(found) == ["report:minister-foreign@daily-3"]
    loop = found["report:minister-foreign@daily-3"]
    assert loop.severity is Severity.error
    assert loop.evidence["cycle"] == ["minister-foreign@daily-3", "minister-foreign~agency"]
    assert loop.evidence["feeding_reports"] == ["minister-foreign@courier-2"]
    scoped = run_audit(engine, document="courier-2", rules=["circular-citation"])
    assert [f.subject for f in scoped] == ["report:minister-foreign@daily-3"]


def test_single_origin_one_report_and_one_cluster(engine: Engine) -> None:
    found = by_subject(run_audit(load(engine, "origins"), rules=["single-origin"]), "single-origin")
    assert set(found) == {"claim:foreign-backed", "claim:planned-abroad"}
    assert "one first-hand report" in found["claim:foreign-backed"].message
    assert found["claim:planned-abroad"].evidence["cluster"] == ["gov-x"]


def test_single_origin_needs_two_chains(engine: Engine) -> None:
    load(engine, "chains")  # the agency's report of the source reaches one document only
    assert run_audit(engine, rules=["single-origin"]) == []


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [
        ((84, "exact"), (89, "exact"), False),
        ((84, "at_least"), (89, "exact"), True),
        ((100, "nearly"), (89, "exact"), False),
        ((100, "nearly"), (91, "exact"), True),
        ((100, "nearly"), (103, "at_least"), False),
        ((280, "more_than"), (284, "exact"), True),
        ((280, "more_than"), (280, "exact"), False),
        ((300, "about"), (330, "exact"), True),
        ((50, "less_than"), (50, "at_least"), False),
    ],
)
def test_figure_intervals(first: tuple[int, str], second: tuple[int, str], agree: bool) -> None:
    assert interval(*first).meets(interval(*second)) is agree
    assert interval(*second).meets(interval(*first)) is agree


def test_conflicting_figures(engine: Engine) -> None:
    findings = run_audit(load(engine, "figures"), rules=["conflicting-figures"])
    found = by_subject(findings, "conflicting-figures")
    killed = found["quantity:market-killed"]
    assert killed.severity is Severity.warning
    assert ["killed-84", "killed-89"] in killed.evidence["disagreeing"]
    assert killed.evidence["spread"] == {"low": 84, "high": 100}
    givers = {g["speaker"] for f in killed.evidence["figures"] for g in f["given_by"]}
    assert givers == {"minister", "analyst", "gov-x", "think-tank"}
    injured = found["quantity:market-injured"]
    assert injured.severity is Severity.info and injured.evidence["disagreeing"] == []


def test_date_anomaly(engine: Engine) -> None:
    found = by_subject(run_audit(load(engine, "chains"), rules=["date-anomaly"]), "date-anomaly")
    assert list(found) == ["report:minister-arrests@daily-2"]
    assert found["report:minister-arrests@daily-2"].severity is Severity.error


def test_common_source_passage_and_offsets(engine: Engine) -> None:
    found = by_subject(run_audit(load(engine, "passages"), rules=["common-source"]), "common-source")
    # The Herald republishes the Courier and the Sentinel cites it: only the Gazette is undisclosed.
    assert list(found) == ["document:courier-1"]
    evidence = found["document:courier-1"].evidence
    assert evidence["documents"] == ["courier-1", "gazette-1"]
    passage = evidence["passages"][0]
    assert passage["words"] == 14
    with engine.connect() as connection:
        texts = dict(connection.execute(text("SELECT id, text FROM document")).all())
    for document in ("courier-1", "gazette-1"):
        start, end = passage[document]
        assert texts[document][start:end] == passage["text"]


def test_contested(engine: Engine) -> None:
    found = by_subject(run_audit(load(engine, "figures"), rules=["contested"]), "contested")
    assert set(found) == {"claim:accident", "claim:bomb"}
    accident = found["claim:accident"].evidence
    assert accident["denied_by"] == ["minister"]
    assert accident["contradicted_by"] == [{"claim": "bomb", "asserted_by": ["minister"]}]


def test_scope_by_claim_and_document(engine: Engine) -> None:
    load(engine, "chains", "figures")
    claim = run_audit(engine, claim="killed-84")
    assert {f.subject for f in claim} == {"statement:minister-no-report", "quantity:market-killed"}
    document = run_audit(engine, document="daily-2")
    assert {f.rule for f in document} == {"anonymous", "unverified-hop", "date-anomaly"}
    assert all(f.subject != "statement:minister-no-report" for f in document)


def test_findings_in_stable_order(engine: Engine) -> None:
    load(engine, "chains", "figures", "passages")
    findings = run_audit(engine)
    assert findings == sorted(findings, key=Finding.sort_key)
    assert [f.severity for f in findings][0] is Severity.error
    assert run_audit(engine) == findings


def test_unknown_ids_and_rules(engine: Engine) -> None:
    load(engine)
    with pytest.raises(NotFoundError) as error:
        run_audit(engine, claim="killed-48")
    assert "killed-84" in error.value.suggestions
    with pytest.raises(NotFoundError):
        run_audit(engine, document="nope")
    with pytest.raises(ProvenanceError, match="unknown audit rule"):
        run_audit(engine, rules=["spelling"])


NEAR = ("Some analysts were cautious. Aaron Y. Zelin, a senior {0} at the Washington Institute {1} Near"
        " East Policy, {2}")
QUOTE = " “They want to see the world burn, and they do not care how it happens,” he said."


def test_common_source_near_duplicate_and_missing_fingerprints(engine: Engine) -> None:
    """Two unlinked documents sharing a quote word for word and a sentence nearly (two words
    differ), written to the tables directly, so without fingerprints: the audit computes them."""
    load(engine)
    for number, (job, of, rest) in enumerate([("scholar", "for", "said the account was the group's."),
                                              ("fellow", "of", "notes the statement matches its views.")]):
        outlet = ["daily", "courier"][number]
        sql(engine, "INSERT INTO document (id, outlet_id, language, text, sha256, source, checksum,"
            " outlet_inferred, published_inferred, authors_inferred, title_inferred)"
            " VALUES (:id, :outlet, 'en', :text, :sha, 'test', 'x', false, false, false, false)",
            id=f"near-{number}", outlet=outlet, text=NEAR.format(job, of, rest) + QUOTE,
            sha=f"sha256:{number}")
    found = by_subject(run_audit(engine, rules=["common-source"]), "common-source")
    assert list(found) == ["document:near-0"]
    passage, quote = found["document:near-0"].evidence["passages"]
    assert (passage["words"], passage["differing_words"]) == (18, 2)
    assert passage["texts"]["near-1"] == (
        "Some analysts were cautious. Aaron Y. Zelin, a senior fellow at the Washington Institute of"
        " Near East Policy")
    assert (quote["words"], "differing_words" in quote) == (17, False)
    assert "18-word passage, 2 word(s) differing" in found["document:near-0"].message
    with engine.connect() as connection:  # computed for the audit only: not kept
        assert connection.execute(text("SELECT COUNT(*) FROM passage_fingerprint"
                                       " WHERE document_id LIKE 'near-%'")).scalar() == 0


def test_near_duplicate_needs_twelve_identical_words_and_few_differing() -> None:
    def compare(first: str, second: str) -> list[tuple[int, int, int, int]]:
        return passages._passages(passages._Document(first), passages._Document(second))

    zelin = NEAR.format("scholar", "for", "said so.")
    assert compare(zelin, NEAR.format("fellow", "of", "notes it.")) == [(0, 0, 18, 2)]
    eleven = "Aaron Y. Zelin, a senior {} at the Washington Institute, said so."
    assert compare(eleven.format("scholar"), eleven.format("fellow")) == []  # 11 identical words
    loose = "one two three four five six {} eight {} ten eleven twelve thirteen fourteen fifteen"
    assert compare(loose.format("seven", "nine"), loose.format("x", "y")) == []  # one in five differ
    assert compare(loose.format("seven", "nine"), loose.format("seven", "y"))[0][2:] == (15, 1)


def test_an_audit_is_not_scoped_to_a_speaker(engine: Engine) -> None:
    from provenance.audit.context import AuditContext
    from provenance.store.scope import Scope

    with engine.connect() as connection, pytest.raises(ValueError, match="not a speaker"):
        AuditContext(connection, Scope(speaker="someone"))
