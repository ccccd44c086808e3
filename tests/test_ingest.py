"""Ingest: text and saved HTML pages become documents; duplicates and republications are spotted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from provenance.articles.ingest import IngestOptions, ingest, slug
from provenance.datasets import loader
from provenance.errors import DatasetError
from provenance.store import database
from tests.conftest import SEEDS, invoke
from tests.test_loader import FIXTURES, dump

HTML = Path(__file__).parent / "fixtures" / "ingest" / "oan-page.html"
OAN_TEXT = SEEDS / "articles" / "oan-2024-01-04-isis-takes-responsibility.txt"


def test_html_page_gives_text_and_metadata(engine, tmp_path: Path) -> None:
    loader.load(engine, [FIXTURES / "base.yaml"])
    (tmp_path / "agents.yaml").write_text(
        "agents:\n  - {id: oan, name: One America News Network, kind: outlet, aliases: [OAN]}\n",
        encoding="utf-8",
    )
    loader.load(engine, [tmp_path / "agents.yaml"])
    [result] = ingest(engine, [HTML], IngestOptions())
    assert (result.document, result.status, result.outlet, str(result.published)) == (
        "oan-page",
        "new",
        "oan",
        "2024-01-04",
    )
    assert result.title == "ISIS Takes Responsibility For Iran Bombings, At Least 84 People Killed"
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT d.text, d.url, a.name FROM document d JOIN document_author a ON a.document_id = d.id"
                " WHERE d.id = 'oan-page'"
            )
        ).one()
    assert "<p>" not in row[0] and "Trending" not in row[0] and "All rights reserved" not in row[0]
    assert "“They are kind of like the Joker." in row[0]
    assert row[1].startswith("https://www.oann.com/")
    assert row[2] == "Brooke Mallory"


def test_same_text_twice_is_one_document_and_near_copy_is_flagged(engine, tmp_path: Path) -> None:
    first = ingest(engine, [OAN_TEXT], IngestOptions(published=None))
    assert [r.status for r in first] == ["new"]
    copy = tmp_path / "copy-elsewhere.txt"
    shutil.copy(OAN_TEXT, copy)
    [again] = ingest(engine, [copy], IngestOptions())
    assert (again.status, again.document) == ("duplicate", "oan-2024-01-04-isis-takes-responsibility")
    [page] = ingest(engine, [HTML], IngestOptions())
    assert page.status == "new"
    assert page.likely_republication_of == "oan-2024-01-04-isis-takes-responsibility"
    assert page.similarity is not None and page.similarity >= 0.8
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM document")).scalar() == 2


def test_options_override_and_cli_output(db_url: str, tmp_path: Path) -> None:
    article = tmp_path / "note.md"
    article.write_text("# A short note\n\nThe prosecutor said 32 people were arrested.\n", encoding="utf-8")
    result = invoke(
        db_url,
        "ingest",
        str(article),
        "--title",
        "Override",
        "--published",
        "2024-01-06",
        "--author",
        "A. Writer",
        "--id",
        "my-note",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].endswith(",my-note,new,,2024-01-06,Override,61,,")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("blob.html", b"\x00\x01binary", "looks binary"),
        ("empty.txt", b"", "is empty"),
        (
            "page.html",
            b"<html><head><title>x</title></head><body><script>var a;</script></body></html>",
            "no article text could be found",
        ),
        ("latin.txt", "Caf\xe9".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_articles_are_refused_and_nothing_is_stored(
    db_url: str, engine, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    loader.load(engine, [FIXTURES / "base.yaml"])
    before = dump(engine)
    (tmp_path / "good.txt").write_text("A good article.\n", encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    result = invoke(db_url, "ingest", str(tmp_path))
    assert result.exit_code == 1
    assert name in result.stderr and message in result.stderr
    assert dump(engine) == before


def test_an_id_taken_by_a_curated_document_is_refused(engine, tmp_path: Path) -> None:
    loader.load(engine, [FIXTURES / "base.yaml"])
    other = tmp_path / "daily-article.txt"
    other.write_text("Different text.\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="already taken by a document from"):
        ingest(engine, [other], IngestOptions())


def test_unsupported_file_is_refused(engine, tmp_path: Path) -> None:
    (tmp_path / "data.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(DatasetError, match="not a .txt, .md or .html file"):
        ingest(engine, [tmp_path / "data.pdf"], IngestOptions())


def test_slug() -> None:
    assert (
        slug("Iran Claims All ‘U.S.-Backed’ ISIS Terrorists") == "iran-claims-all-us-backed-isis-terrorists"
    )
    assert slug("???") == "document"


def test_store_location_unused_warning_free(tmp_path: Path) -> None:
    assert database.resolve(str(tmp_path / "x.db")).origin == "--db"
