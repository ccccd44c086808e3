"""The claims' full-text index: matching, upkeep by the loader, and the CLI's use of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance.datasets import loader
from provenance.errors import DatasetError
from provenance.store import database
from provenance.store.claim_index import match_claims, score
from tests.conftest import invoke


def _ids(url: str, words: str) -> list[str]:
    engine = database.connect(database.Location(url, "test"))
    try:
        with engine.connect() as connection:
            return [match.id for match in match_claims(connection, words, 3)]
    finally:
        engine.dispose()


def test_match_claims_ranks_the_claim_a_text_expresses_first(seeded_url: str) -> None:
    assert _ids(seeded_url, "ISIS is US-backed")[0] == "isis-backed-by-us"
    assert _ids(seeded_url, "the United States was involved in the Kerman bombing")[0] == (
        "us-involved-in-kerman-bombing")
    assert _ids(seeded_url, "at least 84 people were killed")[:2] == [
        "kerman-killed-at-least-84", "kerman-killed-84"]
    assert _ids(seeded_url, "zzz qqq") == []


def test_numbers_must_agree() -> None:
    assert score("84 people were killed", "84 people were killed in Kerman") > score(
        "103 people were killed", "84 people were killed in Kerman")


def test_contest_and_search_find_a_claim_by_its_words(seeded_url: str) -> None:
    result = invoke(seeded_url, "contest", "ISIS is US-backed", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "The Islamic State (ISIS) is backed by the United States." in result.stdout
    result = invoke(seeded_url, "search", "ISIS is US-backed", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("related claim,isis-backed-by-us,")


def test_the_loader_keeps_the_index_in_its_transaction(db_url: str, tmp_path: Path) -> None:
    data = tmp_path / "claims.yaml"
    data.write_text("claims:\n  - {id: port-blast, text: A blast destroyed the port of Szohod}\n",
                    encoding="utf-8")
    engine = database.connect(database.Location(db_url, "test"))
    loader.load(engine, [data])
    assert _ids(db_url, "port blast Szohod") == ["port-blast"]
    data.write_text("claims:\n  - {id: port-blast, text: A fire gutted the harbour of Klow}\n",
                    encoding="utf-8")
    loader.load(engine, [data])
    assert _ids(db_url, "port blast Szohod") == []
    assert _ids(db_url, "harbour fire Klow") == ["port-blast"]
    data.write_text("claims:\n  - {id: port-blast, text: Nothing new here}\n"
                    "statements:\n  - {id: s, speaker: nobody, claim: port-blast}\n", encoding="utf-8")
    with pytest.raises(DatasetError):
        loader.load(engine, [data])
    assert _ids(db_url, "harbour fire Klow") == ["port-blast"]  # a refused load changes nothing
    data.write_text("claims: []\n", encoding="utf-8")
    loader.load(engine, [data])
    assert _ids(db_url, "harbour fire Klow") == []
    engine.dispose()


def test_numbers_agree_whatever_their_thousands_separators() -> None:
    from provenance.store.claim_index import numbers

    assert numbers("1,200 were hurt and 84.5 tonnes, not 89") == {"1200", "84.5", "89"}
    assert numbers("no figure here") == set()
