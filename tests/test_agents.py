"""Mentions matched to known agents, with the confidence and the candidates recorded."""

from __future__ import annotations

from provenance.articles.agents import KnownAgents, anonymous_of


def _known() -> KnownAgents:
    known = KnownAgents()
    for agent_id, name, kind in [("irna", "Islamic Republic News Agency", "news_agency"),
                                 ("mehdi-bakhshi", "Mehdi Bakhshi", "person"),
                                 ("reza-bakhshi", "Reza Bakhshi", "person"),
                                 ("ahmad-vahidi", "Ahmad Vahidi", "person"),
                                 ("echo-source", "An unnamed source of Echo", "anonymous")]:
        known.kinds[agent_id], known.names[agent_id] = kind, name
        known.add_alias(name.lower(), agent_id)
    known.add_alias("irna", "irna")
    known.wikidata["Q1370924"] = "irna"
    known.documents["echo-source"] = {"echo-1"}
    return known


def _found(known: KnownAgents, words: str) -> tuple[str | None, float, str]:
    match = known.match(words)
    return match.id, match.confidence, match.method


def test_match_by_alias_tail_surname_wikidata_and_fuzzy() -> None:
    known = _known()
    assert _found(known, "the official news agency IRNA") == ("irna", 0.9, "tail")
    assert _found(known, "IRNA") == ("irna", 1.0, "alias")
    assert _found(known, "Q1370924") == ("irna", 1.0, "wikidata")
    assert _found(known, "Vahidi") == ("ahmad-vahidi", 0.85, "surname")
    fuzzy = known.match("Ahmad Vahidy")
    assert (fuzzy.id, fuzzy.method) == ("ahmad-vahidi", "fuzzy") and 0.9 <= fuzzy.confidence < 1


def test_an_ambiguous_match_lists_its_candidates() -> None:
    match = _known().match("Bakhshi")
    assert (match.id, match.method, match.candidates) == (None, "ambiguous",
                                                          ("mehdi-bakhshi", "reza-bakhshi"))


def test_anonymous_sources_are_reused_only_in_their_own_document() -> None:
    known = _known()
    assert anonymous_of(known, "an unnamed source", "echo-1") == "echo-source"
    assert anonymous_of(known, "an unnamed source", "other-article") is None


def test_an_alias_that_keeps_its_article_matches_whole() -> None:
    known = _known()
    known.kinds["kerman-commander"] = "person"
    known.add_alias("the commander of the guards in kerman", "kerman-commander")
    assert _found(known, "The commander of the Guards in Kerman") == ("kerman-commander", 1.0, "alias")


def test_words_recorded_as_an_alias_are_that_agent_not_an_anonymous_source() -> None:
    from provenance.articles.drafts import Drafter
    from provenance.articles.mentions import split_mention

    known = _known()
    known.kinds["iranian-authorities"] = "group"
    known.add_alias("iranian officials", "iranian-authorities")
    drafter = Drafter(known)
    assert split_mention("Iranian officials").anonymous
    assert drafter.agent(split_mention("Iranian officials"), "doc") == ("iranian-authorities", [])
    assert drafter.agent(split_mention("Israeli officials"), "doc")[0] == "doc-anonymous-israeli-officials"


def test_tv_is_television() -> None:
    known = _known()
    known.kinds["irib"] = "outlet"
    known.add_alias("state television", "irib")
    assert _found(known, "state TV") == ("irib", 1.0, "alias")
