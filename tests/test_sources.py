"""What extract drafts from: bad input gets a located error, a non-zero exit, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance.datasets import files
from tests.conftest import invoke


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"  \n", "empty.txt: is empty"),
        ("blob.txt", b"\x00\x01binary", "blob.txt: looks binary"),
        ("latin.txt", "caf\u00e9".encode("latin-1"), "latin.txt:1: is not valid UTF-8"),
        ("page.html", b"<html><body></body></html>", "page.html: no article text could be found"),
        ("notes.pdf", b"%PDF", "notes.pdf: not a .txt, .md or .html file"),
    ],
)
def test_bad_articles_are_refused_with_their_place(tmp_path: Path, name: str, content: bytes,
                                                  message: str) -> None:
    (tmp_path / name).write_bytes(content)
    out = tmp_path / "draft.yaml"
    result = invoke(str(tmp_path / "none.db"), "extract", str(tmp_path / name), "--out", str(out))
    assert result.exit_code == 1
    assert message in result.stderr
    assert not out.exists() and not (tmp_path / "none.db").exists()


def test_an_oversized_article_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_TEXT_BYTES", 100)
    monkeypatch.setattr(files.read_text, "__kwdefaults__", {"limit": 100})
    (tmp_path / "big.txt").write_text("Officials said it was big. " * 10, encoding="utf-8")
    result = invoke(str(tmp_path / "none.db"), "extract", str(tmp_path / "big.txt"))
    assert result.exit_code == 1
    assert "big.txt: is too large" in result.stderr


def test_an_unknown_document_id_is_refused(seeded_url: str) -> None:
    result = invoke(seeded_url, "extract", "no-such-document")
    assert result.exit_code == 1
    assert "'no-such-document' is neither a file nor a stored document" in result.stderr


def test_a_draft_edited_into_nonsense_is_refused_whole(seeded_copy: str, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Interior Minister Ahmad Vahidi said 84 people were killed.\n", encoding="utf-8")
    draft = tmp_path / "a.yaml"
    assert invoke(seeded_copy, "extract", str(article), "--outlet", "breitbart", "--out",
                  str(draft)).exit_code == 0
    text = draft.read_text(encoding="utf-8")
    draft.write_text(text.replace("stance: asserts", "stance: shouts").replace(
        "speaker: ahmad-vahidi", "speaker: nobody-at-all"), encoding="utf-8")
    before = invoke(seeded_copy, "stats", "--format", "json").stdout
    result = invoke(seeded_copy, "load", str(draft))
    assert result.exit_code == 1
    assert "a.yaml:" in result.stderr and "stance" in result.stderr
    assert invoke(seeded_copy, "stats", "--format", "json").stdout == before
    draft.write_text("statements: [[nonsense\n", encoding="utf-8")
    result = invoke(seeded_copy, "load", str(draft))
    assert result.exit_code == 1 and "a.yaml:" in result.stderr
    assert invoke(seeded_copy, "stats", "--format", "json").stdout == before
