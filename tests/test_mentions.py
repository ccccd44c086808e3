"""A mention split into name, role and kind; mentions that point back are marked."""

from __future__ import annotations

import pytest

from provenance.articles.mentions import split_mention


@pytest.mark.parametrize(
    ("words", "name", "role", "kind", "refers_back"),
    [
        ("State Department spokesperson Matthew Miller, at a separate briefing with reporters",
         "Matthew Miller", "State Department spokesperson", "person", None),
        ("Iran’s Foreign Ministry spokesman Nasser Kanaani", "Nasser Kanaani",
         "Iran’s Foreign Ministry spokesman", "person", None),
        ("Aaron Y. Zelin, a senior scholar at the Washington Institute", "Aaron Y. Zelin",
         "senior scholar", "person", None),
        ("The head of Kerman's emergency services, Mohammad Saberi", "Mohammad Saberi",
         "head of Kerman's emergency services", "person", None),
        ("the official news agency IRNA", "IRNA", None, "news_agency", None),
        ("Iran's state-run Mehr News Agency", "Mehr News Agency", None, "news_agency", None),
        ("An Israeli official, speaking on condition of anonymity", "Israeli official", None,
         "anonymous", None),
        ("US officials", "US officials", None, "anonymous", None),
        ("Regional experts", "Regional experts", None, "anonymous", None),
        ("the Islamic State group", "Islamic State group", None, "armed_group", None),
        ("the United States", "United States", None, "government", None),
        ("he", "he", None, "person", "pronoun"),
        ("The minister", "minister", None, "person", "role"),
        ("Miller", "Miller", None, "person", "surname"),
        ("the organization", "organization", None, "group", "group"),
        ("by Mehr", "Mehr", None, "news_agency", None),
    ],
)
def test_split_mention(words: str, name: str, role: str | None, kind: str,
                       refers_back: str | None) -> None:
    mention = split_mention(words)
    assert (mention.name, mention.role, mention.kind, mention.refers_back) == (
        name, role, kind, refers_back)


def test_an_honorific_is_not_part_of_the_name() -> None:
    putin = split_mention("Mr Putin")
    assert (putin.text, putin.name, putin.refers_back) == ("Mr Putin", "Putin", "surname")
    roe = split_mention("Dr. Jane Roe")
    assert (roe.text, roe.name, roe.refers_back) == ("Dr. Jane Roe", "Jane Roe", None)


def test_a_capitalised_body_is_named_not_pointing_back() -> None:
    assert split_mention("The Iranian Intelligence Ministry").refers_back is None
    assert split_mention("the ministry").refers_back == "group"


def test_collective_sources_honorifics_and_a_relay_in_the_tail() -> None:
    assert [split_mention(m).kind for m in ("Authorities", "local media", "emergency officials")] == [
        "anonymous"] * 3
    sharma = split_mention("Chief medical officer Dr. Arun Sharma")
    assert (sharma.name, sharma.role, sharma.kind) == ("Arun Sharma", "Chief medical officer", "person")
    spokesman = split_mention("Afghanistan's Interior Ministry's spokesman Tariq Arian, DPA news agency")
    assert (spokesman.name, spokesman.kind) == ("Tariq Arian", "person")
