"""The shared output layer: exact output in every format, and escaping of hostile text."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from provenance.output import emit, emit_document, escape_markdown

ROWS = [
    {"id": "a", "count": 3, "when": dt.date(2024, 1, 3), "value": 84.0, "note": None},
    {"id": "b|c", "count": 10, "when": None, "value": 2.5, "note": "line one\nline two"},
]


def render(fmt: str, rows=ROWS, **options) -> str:
    out = io.StringIO()
    emit(rows, fmt, out=out, **options)
    return out.getvalue()


def test_table() -> None:
    assert render("table") == (
        "id      count  when          value  note\n"
        "----  -------  ----------  -------  -----------------\n"
        "a           3  2024-01-03     84\n"
        "b|c        10                  2.5  line one line two\n"
    )


def test_markdown_escapes_cells() -> None:
    assert render("markdown") == (
        "| id   | count   | when       | value   | note              |\n"
        "|------|---------|------------|---------|-------------------|\n"
        "| a    | 3       | 2024-01-03 | 84      |                   |\n"
        "| b\\|c | 10      |            | 2.5     | line one line two |\n"
    )


def test_json_and_jsonl() -> None:
    assert render("json") == (
        '[\n  {"id": "a", "count": 3, "when": "2024-01-03", "value": 84, "note": null},\n'
        '  {"id": "b|c", "count": 10, "when": null, "value": 2.5, "note": "line one\\nline two"}\n]\n'
    )
    assert render("json", rows=[]) == "[]\n"
    assert (
        render("jsonl").splitlines()[0]
        == '{"id": "a", "count": 3, "when": "2024-01-03", "value": 84, "note": null}'
    )


def test_csv_keeps_newlines_quoted() -> None:
    assert render("csv") == 'id,count,when,value,note\na,3,2024-01-03,84,\nb|c,10,,2.5,"line one\nline two"\n'


def test_columns_fix_order() -> None:
    assert render("csv", columns=["count", "id"]) == "count,id\n3,a\n10,b|c\n"


def test_empty_table_message_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert render("table", rows=[], empty_message="nothing found") == ""
    assert capsys.readouterr().err == "nothing found\n"


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'yaml'"):
        render("yaml")


@pytest.mark.parametrize(
    ("hostile", "safe"),
    [
        ("a | b", "a \\| b"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("`code` and [link](x)", "\\`code\\` and \\[link\\](x)"),
        ("two\nlines", "two lines"),
        ("*bold* _it_", "\\*bold\\* \\_it\\_"),
    ],
)
def test_escape_markdown(hostile: str, safe: str) -> None:
    assert escape_markdown(hostile) == safe


def test_emit_document() -> None:
    out = io.StringIO()
    emit_document({"when": dt.date(2024, 1, 3), "quote": "“Joker”"}, out=out)
    assert out.getvalue() == '{\n  "when": "2024-01-03",\n  "quote": "“Joker”"\n}\n'
