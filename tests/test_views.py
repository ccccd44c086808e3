"""The SQL views people browse with sqlite3 or psql: exact rows on the loader's fixture dataset."""

from __future__ import annotations

from sqlalchemy import text

from provenance.datasets import loader
from tests.test_loader import FIXTURES


def test_views_answer_in_plain_sql(engine) -> None:
    loader.load(engine, [FIXTURES / "base.yaml"])
    with engine.connect() as connection:
        chains = connection.execute(
            text(
                "SELECT statement, speaker, reporter, chain, intermediaries, anonymous_source, complete, first_hand_report"
                " FROM citation_chain ORDER BY statement"
            )
        ).all()
        overview = connection.execute(
            text("SELECT statement, speaker, stance, documents FROM statement_overview ORDER BY statement")
        ).all()
    assert [tuple(row) for row in chains] == [
        (
            "bakhshi-32-arrested",
            "Mehdi Bakhshi",
            "The Daily",
            "via Mehr News Agency",
            1,
            0,
            1,
            "bakhshi-32-arrested~mehr",
        ),
        (
            "source-suicide-bomber",
            "an unidentified source",
            "The Daily",
            "via Islamic Republic News Agency",
            1,
            1,
            1,
            "source-suicide-bomber~irna",
        ),
        (
            "us-denies-role",
            "United States government",
            "The Daily",
            "first-hand",
            0,
            0,
            1,
            "us-denies-role@daily-article",
        ),
    ]
    assert [tuple(row) for row in overview] == [
        ("bakhshi-32-arrested", "Mehdi Bakhshi", "asserts", 1),
        ("source-suicide-bomber", "an unidentified source", "asserts", 1),
        ("us-denies-role", "United States government", "denies", 1),
    ]
