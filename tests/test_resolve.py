"""Names as people type them, resolved to agents, claims and quantities on every backend."""

from __future__ import annotations

import pytest

from provenance.errors import NotFoundError
from provenance.queries.resolve import AmbiguousError, resolve_agent, resolve_claim, resolve_quantity
from provenance.store import database
from tests.test_queries import fixture_url  # noqa: F401  (the shared module-scoped database)


@pytest.fixture
def connection(fixture_url: str):  # noqa: F811
    engine = database.connect(database.Location(fixture_url, "test"))
    with engine.connect() as connection:
        yield connection
    engine.dispose()


@pytest.mark.parametrize(
    ("typed", "agent"),
    [
        ("ruiz", "ruiz"),  # the id
        ("Ana Ruiz", "ruiz"),  # the name
        ("ANA RUÍZ", "ruiz"),  # case and accents
        ("Anna Ruis", "ruiz"),  # a transliteration, through an alias
        ("b. petrov", "petrov"),  # punctuation
        ("Borís Petróv", "petrov"),
        ("Front Ecarlate", "crimson-front"),  # another name, accent dropped
        ("cf", "crimson-front"),
        ("avalon interior", "avalon-interior"),  # the id with spaces
        ("bugle", "daily-bugle"),  # one word of one agent's name
        ("  AvNA ", "avna"),
    ],
)
def test_agent_names_as_typed(connection, typed, agent):
    assert resolve_agent(connection, typed).id == agent


def test_agent_not_found_suggests_the_closest(connection):
    with pytest.raises(NotFoundError) as raised:
        resolve_agent(connection, "Rooiz")
    assert str(raised.value) == "no agent named 'Rooiz'"
    assert raised.value.suggestions == ["Ana Ruiz (ruiz)"]
    with pytest.raises(NotFoundError) as raised:
        resolve_agent(connection, "Petrof")
    assert raised.value.suggestions == ["Boris Petrov (petrov)"]


def test_agent_nothing_close_suggests_nothing(connection):
    with pytest.raises(NotFoundError) as raised:
        resolve_agent(connection, "zzzzqqq")
    assert raised.value.suggestions == []


def test_ambiguous_agent_lists_candidates(connection):
    with pytest.raises(AmbiguousError) as raised:
        resolve_agent(connection, "daily")
    assert raised.value.candidates == ["Daily Bugle (daily-bugle)", "Daily Planet (daily-planet)"]
    assert "Give the id" in str(raised.value)


@pytest.mark.parametrize(
    ("typed", "claim"),
    [
        ("cf-backed-by-borduria", "cf-backed-by-borduria"),
        ("the crimson front is BACKED by borduria", "cf-backed-by-borduria"),
        ("backed by Borduria", "cf-backed-by-borduria"),  # a unique part of the text
        ("CRIMSON-front is backed by Borduria!", "cf-backed-by-borduria"),  # folded comparison
        ("enemy", "cf-enemy-of-borduria"),
        ("cf enemy of borduria", "cf-enemy-of-borduria"),  # the id with spaces
    ],
)
def test_claims_as_typed(connection, typed, claim):
    assert resolve_claim(connection, typed).id == claim


def test_claim_ambiguous_and_not_found(connection):
    with pytest.raises(AmbiguousError) as raised:
        resolve_claim(connection, "port blast")
    assert [c.split(" (")[-1] for c in raised.value.candidates] == [
        "port-injured-100)", "port-killed-50)", "port-killed-60)", "port-killed-62)",
    ]
    with pytest.raises(NotFoundError) as missing:
        resolve_claim(connection, "front backed by bordurian")
    assert missing.value.suggestions == [
        "The Crimson Front is backed by Borduria (cf-backed-by-borduria)"
    ]
    with pytest.raises(NotFoundError):
        resolve_claim(connection, "   ")


def test_like_wildcards_are_literal(connection):
    with pytest.raises(NotFoundError):
        resolve_claim(connection, "%")
    with pytest.raises(NotFoundError):
        resolve_claim(connection, "Cr_mson Front")


def test_quantities(connection):
    assert resolve_quantity(connection, "port-killed") == "port-killed"
    assert resolve_quantity(connection, "Port Killed") == "port-killed"
    assert resolve_quantity(connection, "injured") == "port-injured"
    with pytest.raises(AmbiguousError):
        resolve_quantity(connection, "port")
    with pytest.raises(NotFoundError) as missing:
        resolve_quantity(connection, "port-kiled")
    assert missing.value.suggestions[0] == "port-killed"


def test_a_scope_of_names_as_typed(fixture_url):  # noqa: F811
    from provenance.queries.resolve import resolve_scope
    from provenance.store.scope import EVERYTHING, Scope

    engine = database.connect(database.Location(fixture_url, "test"))
    try:
        assert resolve_scope(engine, claim="backed by Borduria") == Scope(claim="cf-backed-by-borduria")
        assert resolve_scope(engine, speaker="Ana Ruiz") == Scope(speaker="ruiz")
        assert resolve_scope(engine, document="avna-1") == Scope(document="avna-1")
        assert resolve_scope(engine) == EVERYTHING and EVERYTHING.everything
        with pytest.raises(NotFoundError):
            resolve_scope(engine, speaker="nobody at all")
    finally:
        engine.dispose()
