"""Model v2 end to end: modality and hedges, expressive acts, several quotes, one passage with
several claims, inferred hops, reporter stances, reposts and republication outside the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import invoke

FIXTURE = Path(__file__).parent / "fixtures" / "v2"


@pytest.fixture
def loaded(db_url: str) -> str:
    result = invoke(db_url, "load", str(FIXTURE))
    assert result.exit_code == 0, result.stderr
    return db_url


def rows(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = [tuple(row) for row in connection.execute(text(sql))]
    engine.dispose()
    return found


def test_everything_is_stored(loaded: str) -> None:
    assert rows(loaded, "SELECT id, kind, claim_id, act, about, modality, hedge FROM statement"
                        " WHERE kind = 'expressive' OR modality <> 'asserted' ORDER BY id") == [
        ("believed-stronger", "claim", "isis-stronger", None, None, "reported_unattributed", "it is believed"),
        ("unsc-condemns", "expressive", None, "condemnation", "the Kerman bombing", "asserted", None),
        ("zelin-wants-war", "claim", "wants-war", None, None, "hedged", "probably"),
    ]
    assert rows(loaded, "SELECT statement_id, position, quote FROM statement_quote ORDER BY position") == [
        ("zelin-wants-war", 0, "They want to see the world burn."),
        ("zelin-wants-war", 1, "They don’t care how it happens."),
    ]
    assert rows(loaded, "SELECT quote FROM statement WHERE id = 'zelin-wants-war'") == [
        ("They want to see the world burn.",)]
    assert rows(loaded, "SELECT id, via_id FROM report WHERE via_inferred") == [
        ("commander-32@daily-article", "commander-32~state-media")]
    assert rows(loaded, "SELECT id, reporter_stance FROM report WHERE reporter_stance IS NOT NULL") == [
        ("headline-us-backed@daily-article.2", "disputes")]
    # One passage, two claims: the headline carries both.
    assert rows(loaded, "SELECT statement_id FROM report WHERE excerpt_start = 0 ORDER BY statement_id") == [
        ("headline-all-arrested",), ("headline-us-backed",)]
    # One text, two documents: the repost is its own document.
    assert rows(loaded, "SELECT id, outlet_id, republishes_id, republishes_url FROM document ORDER BY id") == [
        ("blog-repost", "blog", "daily-article", None),
        ("daily-article", "daily", None, None),
        ("wire-copy", "blog", None, "https://example.com/wire-original"),
    ]
    assert len(set(rows(loaded, "SELECT sha256 FROM document WHERE id <> 'wire-copy'"))) == 1
    copies = rows(loaded, "SELECT document_id, url, outlet_id, published FROM republication")
    assert [(*row[:3], str(row[3])) for row in copies] == [
        ("daily-article", "https://example.org/copy", "blog", "2024-01-05")]
    again = invoke(loaded, "load", str(FIXTURE), "--format", "csv").stdout.splitlines()
    assert again[1:] == ["agents,0,0,8,0", "documents,0,0,3,0", "claims,0,0,5,0", "statements,0,0,6,0"]


def test_queries_show_inferred_hops_hedges_acts_and_reporter_stances(loaded: str) -> None:
    speaker = invoke(loaded, "speaker", "commander", "--format", "csv").stdout
    assert speaker.splitlines()[1].endswith(",via Iranian state media (inferred),reviewed")
    trace = invoke(loaded, "claim", "arrested-32", "--format", "csv").stdout.splitlines()
    assert trace[1].endswith(",Iranian state media (inferred),reviewed")
    trace = invoke(loaded, "claim", "us-backed", "--format", "csv").stdout.splitlines()
    assert ",The Daily (disputes),daily-article," in trace[2]
    believed = invoke(loaded, "speaker", "unattributed", "--format", "csv").stdout.splitlines()[1]
    assert believed.startswith(
        "believed-stronger,ISIS has become more powerful in Afghanistan,asserts (unattributed: it is believed),")
    zelin = invoke(loaded, "claim", "wants-war", "--format", "csv").stdout.splitlines()[1]
    assert zelin.startswith("zelin-wants-war,Aaron Y. Zelin,asserts (hedged: probably),")
    unsc = invoke(loaded, "speaker", "unsc", "--format", "csv").stdout.splitlines()[1]
    assert unsc.startswith("unsc-condemns,the Kerman bombing,condemnation,")
    outlet = invoke(loaded, "outlet", "daily", "--only", "anonymous", "--format", "csv").stdout.splitlines()
    assert len(outlet) == 2 and ",believed-stronger,Unattributed source," in outlet[1]
    found = invoke(loaded, "search", "care how", "--format", "csv").stdout.splitlines()
    assert found[1:] == ["quote,zelin-wants-war,wants-war,Aaron Y. Zelin,,They don’t care how it happens."]
    view = rows(loaded, "SELECT chain, modality, reporter_stance FROM citation_chain"
                        " WHERE statement = 'commander-32'")
    assert view == [("via Iranian state media (inferred)", "asserted", None)]


def test_the_audit_finds_inferred_hops_and_hedges(loaded: str) -> None:
    result = invoke(loaded, "audit", "--rule", "inferred-hop", "--rule", "hedged", "--format", "csv")
    assert result.stdout.splitlines()[1:] == [
        "info,hedged,statement:believed-stronger,claim isis-stronger is reported with no source"
        " («it is believed») by unattributed; in daily-article,"
        "\"{\"\"claim\"\": \"\"isis-stronger\"\", \"\"documents\"\": [\"\"daily-article\"\"],"
        " \"\"hedge\"\": \"\"it is believed\"\", \"\"modality\"\": \"\"reported_unattributed\"\","
        " \"\"speaker\"\": \"\"unattributed\"\"}\"",
        "info,hedged,statement:zelin-wants-war,claim wants-war is hedged («probably») by zelin;"
        " in daily-article,"
        "\"{\"\"claim\"\": \"\"wants-war\"\", \"\"documents\"\": [\"\"daily-article\"\"],"
        " \"\"hedge\"\": \"\"probably\"\", \"\"modality\"\": \"\"hedged\"\", \"\"speaker\"\": \"\"zelin\"\"}\"",
        "info,inferred-hop,report:commander-32@daily-article,daily in daily-article relays statement"
        " commander-32 through Iranian state media (state-media) by inference: the text does not say so,"
        "\"{\"\"document\"\": \"\"daily-article\"\", \"\"reporter\"\": \"\"daily\"\","
        " \"\"statement\"\": \"\"commander-32\"\", \"\"via\"\": \"\"commander-32~state-media\"\","
        " \"\"via_reporter\"\": \"\"state-media\"\"}\"",
    ]
    anonymous = invoke(loaded, "audit", "--rule", "anonymous", "--format", "csv").stdout
    assert "statement:believed-stronger" in anonymous


def test_reports_show_them(loaded: str, tmp_path: Path) -> None:
    assert invoke(loaded, "report", "--all", "--out", str(tmp_path)).exit_code == 0
    document = (tmp_path / "documents" / "daily-article.md").read_text(encoding="utf-8")
    assert ("| 3 | 39 | [Commander of the Guards in Kerman](../speakers/commander.md) |  | asserts |"
            " [32 people were arrested](../claims/arrested-32.md) | second-hand |"
            " via Iranian state media (inferred) |") in document
    assert "| asserts | [The attackers were backed by the United States](../claims/us-backed.md) |" \
           " first-hand, disputes |" in document
    assert "| condemnation | the Kerman bombing | first-hand |" in document
    assert "| asserts (unattributed: it is believed) |" in document
    assert ("| republished at | [https://example.org/copy](https://example.org/copy) by"
            " [A Blog](../speakers/blog.md) on 2024-01-05 (not in the corpus) |") in document
    wire = (tmp_path / "documents" / "wire-copy.md").read_text(encoding="utf-8")
    assert "| republishes | [https://example.com/wire-original](https://example.com/wire-original)" \
           " (not in the corpus) |" in wire
    assert "### Expressive acts (no claim)" in (tmp_path / "speakers" / "unsc.md").read_text(encoding="utf-8")
    claim = (tmp_path / "claims" / "wants-war.md").read_text(encoding="utf-8")
    assert "   > They want to see the world burn.\n   > They don’t care how it happens.\n" in claim
    assert "who *asserts (hedged: probably)*" in claim
    inferred = (tmp_path / "claims" / "arrested-32.md").read_text(encoding="utf-8")
    assert "1. ← [Iranian state media](../speakers/state-media.md) (inferred hop: the text does not say so)" \
        in inferred
    assert "  n2 -.->|\"inferred\"| n3\n" in inferred and "a dotted arrow, a hop the curator inferred." in inferred


@pytest.mark.parametrize(("record", "message"), [
    ("{id: s, speaker: a, kind: expressive, act: condolence, claim: c}",
     "statements[0]: Value error, an expressive statement makes no claim: drop 'claim'"),
    ("{id: s, speaker: a}", "statements[0]: Value error, a statement needs a 'claim'"),
    ("{id: s, speaker: a, kind: expressive}",
     "statements[0]: Value error, an expressive statement needs its 'act'"),
    ("{id: s, speaker: a, claim: c, hedge: reportedly}",
     "statements[0]: Value error, a 'hedge' needs modality: hedged or reported_unattributed"),
    ("{id: s, speaker: a, claim: c, modality: doubtful}", "statements[0].modality: Input should be"),
    ("{id: s, speaker: a, claim: c, reports: [{reporter: a, via: [{agent: b, guessed: true}]}]}",
     "statements[0].reports[0].via[0]"),
])
def test_bad_v2_records_get_located_errors(tmp_path: Path, record: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("agents: [{id: a, name: A, kind: person}, {id: b, name: B, kind: outlet}]\n"
                    "claims: [{id: c, text: C}]\n"
                    f"statements:\n  - {record}\n", encoding="utf-8")
    result = invoke(str(tmp_path / "x.db"), "load", str(path))
    assert result.exit_code == 1
    assert message in result.stderr, result.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_document_republishes_one_thing(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("documents:\n  - {id: d, text: T, republishes: e, republishes_url: 'https://x'}\n"
                    "  - {id: e, text: T}\n", encoding="utf-8")
    result = invoke(str(tmp_path / "x.db"), "load", str(path))
    assert result.exit_code == 1
    assert "documents[0]: Value error, give 'republishes' (a document of the corpus) or" in result.stderr
