# ruff: noqa: E501  (the expected rows below are data, one row a line)
"""The queries on the hand-made fixture dataset (tests/fixtures/queries), on every backend.

Exact rows for each question; cycle safety by writing cyclic ``via`` and affiliation rows
directly with SQL (the loader refuses them, so only a direct write can make one).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pytest
from sqlalchemy import text

from provenance.datasets import loader
from provenance.queries import agents, claims, contest, figures, outlets, search
from provenance.queries.resolve import resolve_agent, resolve_claim
from provenance.store import database
from provenance.store.chains import MAX_DEPTH
from tests.conftest import BACKENDS, loaded_database

FIXTURE = Path(__file__).parent / "fixtures" / "queries"


@pytest.fixture(scope="module", params=BACKENDS)
def fixture_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database holding the query fixture dataset, shared by the module: read it only."""
    with loaded_database(request.param, tmp_path_factory.mktemp("queries"), [FIXTURE]) as url:
        yield url


@pytest.fixture
def connection(fixture_url: str):
    engine = database.connect(database.Location(fixture_url, "test"))
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def values(answer) -> list[tuple]:
    assert all(list(row) == answer.columns for row in answer.rows)
    return [tuple(row.values()) for row in answer.rows]


SPEAKER_RUIZ = [
    ('ruiz-backed', 'The Crimson Front is backed by Borduria', 'asserts', 'said', 'the Crimson Front is backed by Borduria', '2024-03-01', 'Avalon News Agency', 'avna-1', '2024-03-01', 'first-hand', 'reviewed'),
    ('ruiz-backed', 'The Crimson Front is backed by Borduria', 'asserts', 'said', 'the Crimson Front is backed by Borduria', '2024-03-01', 'Daily Bugle', 'bugle-1', '2024-03-02', 'via Avalon News Agency', 'reviewed'),
    ('ruiz-backed', 'The Crimson Front is backed by Borduria', 'asserts', 'said', 'the Crimson Front is backed by Borduria', '2024-03-01', 'Echo Blog', 'echo-1', '2024-03-03', 'via World Wire via Avalon News Agency', 'reviewed'),
    ('ruiz-injured', 'More than 100 people were injured in the port blast', 'asserts', 'said', None, '2024-03-01', 'Avalon News Agency', 'avna-1', '2024-03-01', 'first-hand', 'reviewed'),
]
SPEAKER_RUIZ_NOTES = ['Ana Ruiz (ruiz): 2 statements, reported in 3 documents']
ROLLUP_AVALON = [
    ('avalon-backed-unreported', 'Government of Avalon', None, 'The Crimson Front is backed by Borduria', 'asserts', 'stated', None, None, None, None, None, None, 'reviewed'),
    ('interior-50', 'Interior Ministry of Avalon', 'part of Government of Avalon', 'At least 50 people died in the port blast', 'asserts', 'said', None, '2024-03-01', 'Avalon News Agency', 'avna-1', '2024-03-01', 'first-hand', 'reviewed'),
    ('interior-60', 'Interior Ministry of Avalon', 'part of Government of Avalon', 'Nearly 60 people died in the port blast', 'asserts', 'citing', None, None, 'World Wire', 'wire-1', '2024-03-02', 'via an unnamed official', 'reviewed'),
    ('ruiz-backed', 'Ana Ruiz', 'works for Press Office of the Interior Ministry, part of Interior Ministry of Avalon, part of Government of Avalon', 'The Crimson Front is backed by Borduria', 'asserts', 'said', 'the Crimson Front is backed by Borduria', '2024-03-01', 'Avalon News Agency', 'avna-1', '2024-03-01', 'first-hand', 'reviewed'),
    ('ruiz-backed', 'Ana Ruiz', 'works for Press Office of the Interior Ministry, part of Interior Ministry of Avalon, part of Government of Avalon', 'The Crimson Front is backed by Borduria', 'asserts', 'said', 'the Crimson Front is backed by Borduria', '2024-03-01', 'Daily Bugle', 'bugle-1', '2024-03-02', 'via Avalon News Agency', 'reviewed'),
    ('ruiz-backed', 'Ana Ruiz', 'works for Press Office of the Interior Ministry, part of Interior Ministry of Avalon, part of Government of Avalon', 'The Crimson Front is backed by Borduria', 'asserts', 'said', 'the Crimson Front is backed by Borduria', '2024-03-01', 'Echo Blog', 'echo-1', '2024-03-03', 'via World Wire via Avalon News Agency', 'reviewed'),
    ('ruiz-injured', 'Ana Ruiz', 'works for Press Office of the Interior Ministry, part of Interior Ministry of Avalon, part of Government of Avalon', 'More than 100 people were injured in the port blast', 'asserts', 'said', None, '2024-03-01', 'Avalon News Agency', 'avna-1', '2024-03-01', 'first-hand', 'reviewed'),
]
ROLLUP_AVALON_NOTES = ['Government of Avalon (avalon) and everyone affiliated to it: 5 statements, reported in 4 documents']
TRACE = [
    ('ruiz-backed', 'Ana Ruiz', 'asserts', 1, 1, 'Avalon News Agency', 'avna-1', '2024-03-01', 'Interior Ministry spokeswoman Ana Ruiz said the Crimson Front is backed by Borduria.', 'first-hand', 'reviewed'),
    ('ruiz-backed', 'Ana Ruiz', 'asserts', 2, 1, 'Daily Bugle', 'bugle-1', '2024-03-02', "Avalon's state agency AvNA quoted Ana Ruiz as saying Borduria backs the Crimson Front.", 'Avalon News Agency', 'reviewed'),
    ('ruiz-backed', 'Ana Ruiz', 'asserts', 2, 2, 'Avalon News Agency', 'avna-1', '2024-03-01', 'Interior Ministry spokeswoman Ana Ruiz said the Crimson Front is backed by Borduria.', 'first-hand', 'reviewed'),
    ('ruiz-backed', 'Ana Ruiz', 'asserts', 3, 1, 'Echo Blog', 'echo-1', '2024-03-03', 'According to World Wire, which cited AvNA, Ruiz said the Front is backed by Borduria.', 'World Wire', 'reviewed'),
    ('ruiz-backed', 'Ana Ruiz', 'asserts', 3, 2, 'World Wire', None, None, None, 'Avalon News Agency', 'reviewed'),
    ('ruiz-backed', 'Ana Ruiz', 'asserts', 3, 3, 'Avalon News Agency', 'avna-1', '2024-03-01', 'Interior Ministry spokeswoman Ana Ruiz said the Crimson Front is backed by Borduria.', 'first-hand', 'reviewed'),
    ('avalon-backed-unreported', 'Government of Avalon', 'asserts', None, None, None, None, None, None, None, 'reviewed'),
    ('petrov-denies', 'Boris Petrov', 'denies', 1, 1, 'Daily Bugle', 'bugle-1', '2024-03-02', "Borduria's spokesman Boris Petrov denied it.", 'first-hand', 'reviewed'),
]
TRACE_NOTES = ['The Crimson Front is backed by Borduria (cf-backed-by-borduria): 3 statements, 4 citation chains; asserts: 1 independent origin in 1 affiliation cluster (Government of Avalon); denies: 1 independent origin in 1 affiliation cluster (Republic of Borduria)', 'first appearance: 2024-03-01 in avna-1 (Avalon News Agency), statement ruiz-backed']
ORIGINS = [
    ('ruiz-backed-avna', 'ruiz-backed', 'Ana Ruiz', 'asserts', 'Avalon News Agency', 'Government of Avalon', 3, 3, 'reviewed'),
    ('petrov-denies@bugle-1', 'petrov-denies', 'Boris Petrov', 'denies', 'Daily Bugle', 'Republic of Borduria', 1, 1, 'reviewed'),
]
ORIGINS_NOTES = ['The Crimson Front is backed by Borduria (cf-backed-by-borduria): asserts: 1 independent origin in 1 affiliation cluster (Government of Avalon); denies: 1 independent origin in 1 affiliation cluster (Republic of Borduria)']
CONTEST = [
    ('for', 'Government of Avalon', 'Ana Ruiz', 'asserts', 'The Crimson Front is backed by Borduria', 'this claim', 'the Crimson Front is backed by Borduria', '2024-03-01', 'Avalon News Agency, Daily Bugle, Echo Blog', 'ruiz-backed', 'reviewed'),
    ('for', 'Government of Avalon', 'Government of Avalon', 'asserts', 'The Crimson Front is backed by Borduria', 'this claim', None, None, None, 'avalon-backed-unreported', 'reviewed'),
    ('against', 'Daily Bugle', 'Daily Bugle', 'asserts', 'The Crimson Front is an enemy of Borduria', 'contradicts', None, None, 'Daily Bugle', 'bugle-enemy', 'reviewed'),
    ('against', 'Republic of Borduria', 'Boris Petrov', 'denies', 'The Crimson Front is backed by Borduria', 'this claim', None, '2024-03-02', 'Daily Bugle', 'petrov-denies', 'reviewed'),
]
CONTEST_NOTES = ['The Crimson Front is backed by Borduria (cf-backed-by-borduria)', 'for: 2 statements from 1 cluster (Government of Avalon)', 'against: 2 statements from 2 clusters (Daily Bugle, Republic of Borduria)']
FIGURES = [
    ('2024-03-01', 'at least 50', 50.0, 'at_least', 'people', 'Interior Ministry of Avalon', 'asserts', 'Avalon News Agency', 'avna-1', 'port-killed-50', 'interior-50', 'reviewed'),
    ('2024-03-02', 'nearly 60', 60.0, 'nearly', 'people', 'Interior Ministry of Avalon', 'asserts', 'World Wire via an unnamed official', 'wire-1', 'port-killed-60', 'interior-60', 'reviewed'),
    ('2024-03-02', '62', 62.0, 'exact', 'people', 'Daily Bugle', 'asserts', 'Daily Bugle', 'bugle-1', 'port-killed-62', 'bugle-62', 'reviewed'),
]
FIGURES_NOTES = ['port-killed: 3 figures in circulation (at least 50, nearly 60, 62) from 2 speakers']
QUANTITIES = [
    ('port-injured', 1, 1, 100.0, 100.0, 'people'),
    ('port-killed', 3, 3, 50.0, 62.0, 'people'),
]
OUTLET_WIRE = [
    ('second-hand', 'yes', 'interior-60', 'Interior Ministry of Avalon', 'Nearly 60 people died in the port blast', 'asserts', 'wire-1', '2024-03-02', 'via an unnamed official', 'Nearly 60 people died in the port blast, an unnamed official said, citing the Interior Ministry.', 'reviewed'),
    ('second-hand', 'no', 'ruiz-backed', 'Ana Ruiz', 'The Crimson Front is backed by Borduria', 'asserts', None, None, 'via Avalon News Agency', None, 'reviewed'),
]
OUTLET_WIRE_NOTES = ['World Wire (world-wire): 2 reports — 0 first-hand, 2 second-hand, 0 own voice; 1 from anonymous sources']
OUTLETS = [
    ('daily-bugle', 'Daily Bugle', 'outlet', 'no', 1, 4, 1, 1, 0, 2),
    ('avna', 'Avalon News Agency', 'news_agency', 'yes', 1, 3, 3, 0, 0, 0),
    ('echo-blog', 'Echo Blog', 'outlet', 'no', 1, 2, 1, 1, 1, 0),
    ('world-wire', 'World Wire', 'news_agency', 'no', 1, 2, 0, 2, 1, 0),
    ('daily-planet', 'Daily Planet', 'outlet', 'no', 0, 0, 0, 0, 0, 0),
]


def test_speakers_counts_statements_and_reports(connection):
    rows = values(agents.speakers(connection))
    assert rows[:3] == [
        ("daily-bugle", "Daily Bugle", "outlet", 2, 4),
        ("avalon-interior", "Interior Ministry of Avalon", "government_body", 2, 0),
        ("ruiz", "Ana Ruiz", "person", 2, 0),
    ]
    assert len(rows) == 13
    assert values(agents.speakers(connection, kind="anonymous")) == [
        ("unnamed-official", "an unnamed official", "anonymous", 1, 1)
    ]


def test_speaker(connection):
    answer = agents.speaker(connection, resolve_agent(connection, "ruiz"))
    assert answer.columns == [*agents.SPEAKER_COLUMNS, "review"]
    assert values(answer) == SPEAKER_RUIZ
    assert answer.notes == SPEAKER_RUIZ_NOTES


def test_speaker_rollup_goes_three_levels_deep(connection):
    answer = agents.speaker(connection, resolve_agent(connection, "avalon"), rollup=True)
    assert answer.columns == [*agents.ROLLUP_COLUMNS, "review"]
    assert values(answer) == ROLLUP_AVALON
    assert answer.notes == ROLLUP_AVALON_NOTES


def test_trace_follows_converging_chains_to_the_first_hand_report(connection):
    answer = claims.trace(connection, resolve_claim(connection, "cf-backed-by-borduria"))
    assert answer.columns == [*claims.TRACE_COLUMNS, "review"]
    assert values(answer) == TRACE
    assert answer.notes == TRACE_NOTES


def test_origins_count_converging_chains_once(connection):
    answer = claims.origins(connection, resolve_claim(connection, "backed by Borduria"))
    assert values(answer) == ORIGINS
    assert answer.notes == ORIGINS_NOTES


def test_origin_of_an_anonymous_speaker_is_clustered_by_its_reporter(connection):
    answer = claims.origins(connection, resolve_claim(connection, "Borduria paid"))
    assert values(answer) == [
        ("source-paid@echo-1", "source-paid", "an unnamed official", "asserts", "Echo Blog",
         "Echo Blog", 1, 1, "reviewed")
    ]


def test_claims_filters(connection):
    every = values(claims.claims(connection))
    assert [row[0] for row in every] == [
        "borduria-paid-cf", "cf-backed-by-borduria", "cf-enemy-of-borduria", "port-injured-100",
        "port-killed-50", "port-killed-60", "port-killed-62",
    ]
    assert values(claims.claims(connection, contested=True, tag="port-blast")) == [
        ("cf-backed-by-borduria", "The Crimson Front is backed by Borduria",
         "attribution, port-blast", 3, 2, 1, 0, "yes"),
        ("cf-enemy-of-borduria", "The Crimson Front is an enemy of Borduria", "port-blast",
         1, 1, 0, 0, "yes"),
    ]
    by_ruiz = claims.claims(connection, speaker=resolve_agent(connection, "Ana Ruiz"))
    assert [row["claim"] for row in by_ruiz.rows] == ["cf-backed-by-borduria", "port-injured-100"]
    killed = claims.claims(connection, quantity="port-killed")
    assert [row["claim"] for row in killed.rows] == ["port-killed-50", "port-killed-60", "port-killed-62"]


def test_contest_sets_counter_claims_side_by_side(connection):
    answer = contest.contest(connection, resolve_claim(connection, "cf-backed-by-borduria"))
    assert values(answer) == CONTEST
    assert answer.notes == CONTEST_NOTES


def test_contest_from_the_other_side_swaps_positions(connection):
    answer = contest.contest(connection, resolve_claim(connection, "enemy of Borduria"))
    positions = {(row["statement"], row["position"]) for row in answer.rows}
    assert positions == {
        ("bugle-enemy", "for"), ("petrov-denies", "for"),
        ("ruiz-backed", "against"), ("avalon-backed-unreported", "against"),
    }


def test_figures_timeline(connection):
    answer = figures.figures(connection, "port-killed")
    assert values(answer) == FIGURES
    assert answer.notes == FIGURES_NOTES
    assert values(figures.quantities(connection)) == QUANTITIES


def test_outlets(connection):
    assert values(outlets.outlets(connection)) == OUTLETS
    answer = outlets.outlet(connection, resolve_agent(connection, "world wire"))
    assert values(answer) == OUTLET_WIRE
    assert answer.notes == OUTLET_WIRE_NOTES


STREAMED = {
    "speaker": (lambda c: agents.speaker(c, resolve_agent(c, "ruiz")), SPEAKER_RUIZ, SPEAKER_RUIZ_NOTES),
    "rollup": (lambda c: agents.speaker(c, resolve_agent(c, "avalon"), rollup=True), ROLLUP_AVALON,
               ROLLUP_AVALON_NOTES),
    "trace": (lambda c: claims.trace(c, resolve_claim(c, "cf-backed-by-borduria")), TRACE, TRACE_NOTES),
    "origins": (lambda c: claims.origins(c, resolve_claim(c, "backed by Borduria")), ORIGINS, ORIGINS_NOTES),
    "contest": (lambda c: contest.contest(c, resolve_claim(c, "cf-backed-by-borduria")), CONTEST, CONTEST_NOTES),
    "figures": (lambda c: figures.figures(c, "port-killed"), FIGURES, FIGURES_NOTES),
    "outlet": (lambda c: outlets.outlet(c, resolve_agent(c, "world wire")), OUTLET_WIRE, OUTLET_WIRE_NOTES),
    "outlets": (lambda c: outlets.outlets(c), OUTLETS, []),
    "quantities": (lambda c: figures.quantities(c), QUANTITIES, []),
}


@pytest.mark.parametrize("name", STREAMED)
def test_answers_stream_from_the_cursor_and_tally_their_notes(connection, name):
    """Iterating an answer reads its rows one by one, once, without keeping them; the notes,
    tallied as they passed, are those of the answer read whole."""
    query, expected, notes = STREAMED[name]
    answer = query(connection)
    rows = iter(answer)
    first = next(rows)
    assert tuple(first.values()) == expected[0] and list(first) == answer.columns
    assert [tuple(row.values()) for row in rows] == expected[1:]
    assert answer.notes == notes
    with pytest.raises(RuntimeError, match="streamed once already"):
        next(iter(answer))
    kept = query(connection)
    assert kept.notes == notes  # reading the notes first reads the rows, and keeps them
    assert values(kept) == expected and values(kept) == expected


def test_search_counts_its_matches_as_they_stream(connection):
    answer = search.search(connection, "borduria")
    assert sum(1 for _ in answer) == 10
    assert answer.notes == ["10 matches for 'borduria'"]


@pytest.mark.parametrize(("name", "rollup"), [("avalon", True), ("ruiz", False), ("world wire", False)])
def test_a_speaker_page_is_the_first_rows_of_the_whole_answer(connection, name, rollup):
    agent = resolve_agent(connection, name)
    whole = agents.speaker(connection, agent, rollup=rollup)
    rows, notes = whole.rows, whole.notes
    for limit in range(1, len(rows) + 2):
        page = agents.speaker(connection, agent, rollup=rollup, limit=limit)
        shown = list(islice(page, limit))
        assert shown == rows[:limit]
        assert page.rest is not None and page.rest() == len(rows) - len(shown)
        assert page.notes == notes


def test_search_cut_to_a_page_ranks_in_sql_and_counts_every_match(connection):
    whole = search.search(connection, "borduria").rows
    assert [row["found_in"] for row in whole] == sorted(
        (row["found_in"] for row in whole), key=["claim", "quote", "excerpt"].index)
    claims_found = [row["text"] for row in whole if row["found_in"] == "claim"]
    assert [len(t) for t in claims_found] == sorted(len(t) for t in claims_found)  # shortest first
    page = search.search(connection, "borduria", limit=3)
    assert list(islice(page, 3)) == whole[:3]
    assert page.rest is not None and page.rest() == len(whole) - 3
    assert page.notes == [f"{len(whole)} matches for 'borduria'"]
    assert search.search(connection, "borduria", limit=50).rows == whole


@pytest.mark.parametrize(
    ("only", "expected"),
    [
        ("first-hand", ["petrov-denies"]),
        ("second-hand", ["ruiz-backed"]),
        ("own-voice", ["bugle-62", "bugle-enemy"]),
        ("anonymous", []),
    ],
)
def test_outlet_only(connection, only, expected):
    answer = outlets.outlet(connection, resolve_agent(connection, "daily-bugle"), only=only)
    assert [row["statement"] for row in answer.rows] == expected


def test_outlet_anonymous_speaker_or_hop(connection):
    echo = outlets.outlet(connection, resolve_agent(connection, "echo"), only="anonymous")
    assert [row["statement"] for row in echo.rows] == ["source-paid"]  # anonymous speaker
    wire = outlets.outlet(connection, resolve_agent(connection, "world-wire"), only="anonymous")
    assert [row["statement"] for row in wire.rows] == ["interior-60"]  # anonymous hop


def test_search_is_case_insensitive_and_literal(connection):
    answer = search.search(connection, "BORDURIA PAID")
    assert values(answer) == [
        ("claim", "borduria-paid-cf", "borduria-paid-cf", None, None, "Borduria paid the Crimson Front"),
        ("excerpt", "source-paid@echo-1", "borduria-paid-cf", "an unnamed official", "echo-1",
         "A source said Borduria paid the Front."),
    ]
    assert search.search(connection, "100%").rows == []
    assert search.search(connection, "_").rows == []
    assert [row["found_in"] for row in search.search(connection, "backed by").rows] == [
        "claim", "quote", "excerpt", "excerpt",
    ]


# -- cycles written directly into the database ------------------------------------------------


@pytest.fixture
def cyclic(engine):
    loader.load(engine, [FIXTURE])
    with engine.begin() as connection:
        # avna's first-hand report now cites echo's, which cites the wire's, which cites avna's.
        connection.execute(text(
            "UPDATE report SET via_id = 'ruiz-backed@echo-1' WHERE id = 'ruiz-backed-avna'"
        ))
        # the government of Avalon is now part of Ana Ruiz's press office: a loop of four.
        connection.execute(text(
            "INSERT INTO affiliation (agent_id, parent_id, relation)"
            " VALUES ('avalon', 'avalon-press-office', 'part_of')"
        ))
    with engine.connect() as connection:
        yield connection


def test_chains_stop_at_a_citation_cycle(cyclic):
    answer = claims.trace(cyclic, resolve_claim(cyclic, "cf-backed-by-borduria"))
    ruiz = [row for row in answer.rows if row["statement"] == "ruiz-backed"]
    chains = {}
    for row in ruiz:
        chains.setdefault(row["chain"], []).append((row["hop"], row["reporter"], row["cites"]))
    assert chains == {
        1: [(1, "Avalon News Agency", "Echo Blog"), (2, "Echo Blog", "World Wire"),
            (3, "World Wire", "cut: citation cycle or too deep")],
        2: [(1, "Daily Bugle", "Avalon News Agency"), (2, "Avalon News Agency", "Echo Blog"),
            (3, "Echo Blog", "World Wire"), (4, "World Wire", "cut: citation cycle or too deep")],
        3: [(1, "Echo Blog", "World Wire"), (2, "World Wire", "Avalon News Agency"),
            (3, "Avalon News Agency", "cut: citation cycle or too deep")],
    }
    speaker = agents.speaker(cyclic, resolve_agent(cyclic, "ruiz"))
    cut = " (cut: citation cycle or too deep)"
    assert [row["chain"] for row in speaker.rows if row["statement"] == "ruiz-backed"] == [
        "via Echo Blog via World Wire" + cut,
        "via Avalon News Agency via Echo Blog via World Wire" + cut,
        "via World Wire via Avalon News Agency" + cut,
    ]
    assert "no first-hand report recorded" not in answer.notes[0]


def test_rollup_and_clusters_survive_an_affiliation_cycle(cyclic):
    answer = agents.speaker(cyclic, resolve_agent(cyclic, "avalon"), rollup=True)
    assert len({row["statement"] for row in answer.rows}) == 5
    assert {row["speaker"] for row in answer.rows} == {
        "Government of Avalon", "Interior Ministry of Avalon", "Ana Ruiz",
    }
    found = contest.contest(cyclic, resolve_claim(cyclic, "cf-backed-by-borduria"))
    clusters = {row["statement"]: row["cluster"] for row in found.rows}
    assert clusters["ruiz-backed"] == "Ana Ruiz"  # no root in a loop: the agent is its own cluster
    assert clusters["petrov-denies"] == "Republic of Borduria"


def test_depth_cap_stops_a_long_chain(engine):
    loader.load(engine, [FIXTURE])
    depth = MAX_DEPTH + 10
    with engine.begin() as connection:
        for n in reversed(range(depth)):  # innermost first, so each via exists
            via = f"'deep-{n + 1}'" if n + 1 < depth else "NULL"
            connection.execute(text(
                f"INSERT INTO report (id, statement_id, reporter_id, via_id)"
                f" VALUES ('deep-{n}', 'bugle-62', 'world-wire', {via})"
            ))
    with engine.connect() as connection:  # rows stream from the cursor: read them while it is open
        rows = figures.figures(connection, "port-killed").rows
    deep = [row for row in rows if row["reported_by"] and "cut" in row["reported_by"]]
    assert len(deep) == 1
    assert deep[0]["reported_by"].count(" via ") == MAX_DEPTH - 1
