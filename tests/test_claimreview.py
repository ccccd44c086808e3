# ruff: noqa: E501  (expected outputs are data, one output line a line)
"""``provenance import claimreview``: ClaimReview JSON-LD in every shape, matched to claims and
stored as verdicts (both backends); the verdict in ``claim``, ``contest`` and the claim report;
located errors that write nothing; re-imports that change nothing; proposals for what matches no
claim; the matching itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from provenance.datasets import loader
from provenance.export.claimreview import read_reviews
from provenance.export.matching import confident, match_claims
from provenance.store import database
from tests.conftest import ROOT, SEEDS, invoke

FIXTURE = ROOT / "tests" / "fixtures" / "export" / "claimreview-isis.json"
SHOWN = "tests/fixtures/export/claimreview-isis.json"

IMPORT_TABLE = (
    'source                                                                  reviewer            rating    claim                score  outcome    candidates\n'
    '----------------------------------------------------------------------  ------------------  --------  -----------------  -------  ---------  ------------\n'
    'tests/fixtures/export/claimreview-isis.json#dataFeedElement[0].item[0]  Example Fact Check  False     isis-backed-by-us     97.5  {outcome}\n'
)
NOTE = "fact-check: False (Example Fact Check, 2024-01-12) https://factcheck.example.org/2024/01/isis-us-backed\n"
CONTEST_STDERR = (
    "The Islamic State (ISIS) is backed by the United States. (isis-backed-by-us)\n"
    "for: 6 statements from 1 cluster (Government of the Islamic Republic of Iran)\n"
    "against: 4 statements from 3 clusters (Breitbart News, Government of the United States, One America News Network)\n"
    "questions: 1 statement from 1 cluster (Breitbart News)\n" + NOTE
)
CLAIM_STDERR = (
    "The Islamic State (ISIS) is backed by the United States. (isis-backed-by-us): 3 statements, 3 citation chains;"
    " asserts: 2 independent origins in 1 affiliation cluster (Government of the Islamic Republic of Iran);"
    " denies: 1 independent origin in 1 affiliation cluster (Breitbart News)\n"
    "first appearance: 2024-01-08 in breitbart-2024-01-08-iran-claims-isis-arrests (Breitbart News (distances)), statement iran-headline-isis-us-backed\n"
    + NOTE
)
REPORT_SECTION = (
    "## Fact-checks\n\n"
    "| verdict | fact-checker | reviewed on | review |\n"
    "| --- | --- | --- | --- |\n"
    "| False | Example Fact Check | 2024-01-12 | [review](https://factcheck.example.org/2024/01/isis-us-backed) |\n"
    "\n## Statements\n"
)


def rows(db: str, sql: str) -> list[tuple]:
    engine = database.connect(database.Location(db, "test"))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


@pytest.fixture
def seeded(db_url: str) -> str:
    """A private database of each backend holding the seeds (this test writes to it)."""
    engine = database.connect(database.Location(db_url, "test"))
    loader.load(engine, [SEEDS])
    engine.dispose()
    return db_url


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def review(claim: str = "The Islamic State is backed by the United States", **changes: Any) -> dict[str, Any]:
    found = json.loads(FIXTURE.read_text(encoding="utf-8"))["dataFeedElement"][0]["item"][0]
    found["claimReviewed"] = claim
    found.update(changes)
    return {key: value for key, value in found.items() if value is not None}


def test_the_isis_fact_check_becomes_a_verdict_on_isis_backed_by_us(
    seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke(seeded, "import", "claimreview", SHOWN)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == IMPORT_TABLE.format(outcome="new")
    assert result.stderr == "1 review: 1 new, 0 changed, 0 unchanged, 0 proposed\n"
    stored = rows(seeded, "SELECT claim_id, reviewer, reviewer_id, rating_value, best_rating, worst_rating,"
                          " rating_alternate_name, reviewed_on, url, claim_reviewed, match_score, source FROM verdict")
    assert [tuple(str(v) if v is not None else None for v in row) for row in stored] == [(
        "isis-backed-by-us", "Example Fact Check", None, "1", "5", "1", "False", "2024-01-12",
        "https://factcheck.example.org/2024/01/isis-us-backed", "The Islamic State is backed by the United States",
        "97.5", f"{SHOWN}#dataFeedElement[0].item[0]")]

    claim = invoke(seeded, "claim", "isis-backed-by-us")
    assert claim.stderr == CLAIM_STDERR
    contest = invoke(seeded, "contest", "isis-backed-by-us")
    assert contest.stderr == CONTEST_STDERR
    counter = invoke(seeded, "contest", "us-brought-down-isis-caliphate")
    assert counter.stderr.endswith(
        "fact-check on isis-backed-by-us: False (Example Fact Check, 2024-01-12)"
        " https://factcheck.example.org/2024/01/isis-us-backed\n")
    report = invoke(seeded, "report", "--claim", "isis-backed-by-us", "--out", str(tmp_path / "reports"))
    assert report.exit_code == 0, report.stderr
    page = (tmp_path / "reports" / "claims" / "isis-backed-by-us.md").read_text(encoding="utf-8")
    assert REPORT_SECTION in page

    before = rows(seeded, "SELECT * FROM verdict")
    again = invoke(seeded, "import", "claimreview", SHOWN)
    assert again.stdout == IMPORT_TABLE.format(outcome="unchanged")
    assert again.stderr == "1 review: 0 new, 0 changed, 1 unchanged, 0 proposed\n"
    assert rows(seeded, "SELECT * FROM verdict") == before


def test_no_verdict_no_note(seeded_url: str) -> None:
    assert NOTE not in invoke(seeded_url, "claim", "isis-backed-by-us").stderr
    assert "fact-check" not in invoke(seeded_url, "contest", "isis-backed-by-us").stderr


@pytest.mark.parametrize("shape", ["object", "list", "graph", "feed-single-item"])
def test_every_shape_is_read(tmp_path: Path, shape: str) -> None:
    one = review()
    data = {
        "object": {"@context": "https://schema.org", **one},
        "list": [one, review("Obama founded ISIS", url="https://factcheck.example.org/obama")],
        "graph": {"@context": "https://schema.org",
                  "@graph": [{"@type": "Organization", "name": "Example Fact Check"}, one]},
        "feed-single-item": {"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": one}]},
    }[shape]
    reviews = read_reviews([write_json(tmp_path / "reviews.json", data)])
    assert reviews[0].texts == ["The Islamic State is backed by the United States"]
    assert (reviews[0].reviewer, reviews[0].rating, str(reviews[0].reviewed_on)) == ("Example Fact Check", "False", "2024-01-12")
    assert len(reviews) == (2 if shape == "list" else 1)


def test_bad_files_get_located_errors_and_change_nothing(seeded_copy: str, tmp_path: Path) -> None:
    folder = tmp_path / "reviews"
    folder.mkdir()
    write_json(folder / "a-good.json", [review()])
    write_json(folder / "b-partial.json", [
        review("Obama founded ISIS"),
        review(author={"@type": "Organization"}, reviewRating={"@type": "Rating"}, datePublished="12 Jan 2024"),
    ])
    (folder / "c-broken.json").write_text('{"@type": "ClaimReview",\n "url": }', encoding="utf-8")
    write_json(folder / "d-other.json", {"@type": "NewsArticle"})
    result = invoke(seeded_copy, "import", "claimreview", str(folder))
    assert (result.exit_code, result.stdout) == (1, "")
    shown = folder.as_posix()
    assert result.stderr == (
        f"Error: {shown}/b-partial.json: [1].author: the reviewer is missing: give author.name (the fact-checking organization)\n"
        f"{shown}/b-partial.json: [1].reviewRating: the verdict is missing: give reviewRating.alternateName (e.g. \"False\") or reviewRating.ratingValue\n"
        f"{shown}/b-partial.json: [1].datePublished: not a date: '12 Jan 2024' (expected YYYY-MM-DD)\n"
        f"{shown}/c-broken.json:2: not valid JSON: Expecting value\n"
        f"{shown}/d-other.json: (top level): not a ClaimReview (found 'NewsArticle'); expected a ClaimReview, a list of them, an @graph or a DataFeed with dataFeedElement\n"
        "5 problems found; nothing was written\n"
    )
    assert rows(seeded_copy, "SELECT COUNT(*) FROM verdict") == [(0,)]


def test_a_review_matching_no_claim_is_proposed_then_matched_once_loaded(
    seeded_copy: str, tmp_path: Path
) -> None:
    source = write_json(tmp_path / "creation.json", review("ISIS is a US creation", url="https://factcheck.example.org/creation"))
    drafts = tmp_path / "proposed.yaml"
    result = invoke(seeded_copy, "import", "claimreview", str(source), "--proposals", str(drafts))
    assert result.exit_code == 0, result.stderr
    line = result.stdout.splitlines()[2]
    assert line.startswith(f"{source.as_posix()}#(top level)  Example Fact Check  False")
    assert line.endswith("  proposed   isis-is-israels-creation (82.6), us-partner-in-isis-terrorism (50.3), obama-founder-of-isis (50)")
    assert result.stderr == (
        "1 review: 0 new, 0 changed, 0 unchanged, 1 proposed\n"
        f"1 matched no claim confidently: written to {drafts}\n")
    assert rows(seeded_copy, "SELECT COUNT(*) FROM verdict") == [(0,)]
    written = drafts.read_text(encoding="utf-8")
    assert "  - id: isis-is-a-us-creation\n    text: \"ISIS is a US creation\"\n    tags: [fact-checked]\n" in written
    assert "# closest claims: isis-is-israels-creation (82.6)" in written
    loaded = invoke(seeded_copy, "load", str(drafts))
    assert loaded.exit_code == 0, loaded.stderr
    again = invoke(seeded_copy, "import", "claimreview", str(source))
    assert again.exit_code == 0, again.stderr
    assert rows(seeded_copy, "SELECT claim_id, match_score FROM verdict") == [("isis-is-a-us-creation", 100.0)]


def test_our_own_schema_org_export_imports_by_claim_id(seeded_copy: str, tmp_path: Path) -> None:
    assert invoke(seeded_copy, "import", "claimreview", str(FIXTURE)).exit_code == 0
    exported = tmp_path / "claims.jsonld"
    assert invoke(seeded_copy, "export", "--format", "schema-org", "--out", str(exported)).exit_code == 0
    graph = json.loads(exported.read_text(encoding="utf-8"))["@graph"]
    verdict = [node for node in graph if node["@type"] == "ClaimReview"]
    assert [v["itemReviewed"] for v in verdict] == [{"@id": "urn:provenance:claim:isis-backed-by-us"}]
    again = invoke(seeded_copy, "import", "claimreview", str(exported))
    assert again.exit_code == 0, again.stderr
    # the same review (same URL, reviewer, wording, date) found by its claim's id; only its source moved
    assert again.stderr == "1 review: 0 new, 1 changed, 0 unchanged, 0 proposed\n"
    assert rows(seeded_copy, "SELECT claim_id, match_score, source FROM verdict") == [
        ("isis-backed-by-us", 100.0, f"{exported.as_posix()}#@graph[165]")]  # after 104 claims, 6 documents, 55 agents


def test_matching_ranks_words_and_checks_figures(seeded_url: str) -> None:
    engine = database.connect(database.Location(seeded_url, "test"))
    with engine.connect() as connection:
        isis = match_claims(connection, "the islamic state is backed by the U.S.")
        killed = match_claims(connection, "84 people were killed in the Kerman bombing")
        vague = match_claims(connection, "ISIS")
    engine.dispose()
    assert confident(isis).id == "isis-backed-by-us"
    assert confident(killed).id == "kerman-killed-84"
    assert "kerman-killed-89" not in [c.id for c in killed[:2]]
    assert confident(vague) is None
    assert [c.score for c in isis] == sorted((c.score for c in isis), reverse=True)


def test_import_needs_a_database_with_claims(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "none.db"), "import", "claimreview", str(FIXTURE))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"Error: no database at {tmp_path / 'none.db'}")
    assert not (tmp_path / "none.db").exists()


def test_a_verdict_goes_with_its_claim(seeded: str) -> None:
    """Removing a claim (as a reload without it does) removes its verdicts: ON DELETE CASCADE."""
    assert invoke(seeded, "import", "claimreview", str(FIXTURE)).exit_code == 0
    engine = database.connect(database.Location(seeded, "test"))
    with engine.begin() as connection:
        for sql in ("DELETE FROM claim_relation WHERE claim_id = :c OR other_id = :c",
                    "DELETE FROM statement WHERE claim_id = :c", "DELETE FROM claim WHERE id = :c"):
            connection.execute(text(sql), {"c": "isis-backed-by-us"})
    engine.dispose()
    assert rows(seeded, "SELECT COUNT(*) FROM verdict") == [(0,)]


def test_scores_are_shown_as_percentages_and_judged_exactly_at_the_bounds() -> None:
    from provenance.export.matching import percent
    from provenance.store.claim_index import ClaimMatch

    def match(claim: str, shown: float) -> ClaimMatch:  # as the matcher makes them
        return ClaimMatch(claim, claim, round(shown, 1) / 100)

    assert [percent(match("a", p)) for p in (92.5, 82.6, 85.0, 100.0, 0.1)] == [92.5, 82.6, 85.0, 100.0, 0.1]
    assert confident([match("a", 85.0)]).id == "a"  # the threshold itself is confident
    assert confident([match("a", 84.9)]) is None
    assert confident([match("a", 88.0), match("b", 85.0)]).id == "a"  # a margin of exactly 3
    assert confident([match("a", 87.9), match("b", 85.0)]) is None
    assert confident([match("a", 90.3), match("b", 87.3)]).id == "a"
