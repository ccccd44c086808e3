"""The shared output layer: exact output in every format, and escaping of hostile text."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest

from provenance.output import PAGE_ROWS, ColumnError, emit, emit_document, escape_markdown

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


# -- streaming, pages, width, limit, columns -------------------------------------------------------


def numbered(count: int, text=lambda n: f"row {n}") -> list[dict]:
    return [{"n": n, "text": text(n)} for n in range(count)]


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "markdown"])
def test_every_format_writes_rows_as_they_come(fmt: str) -> None:
    """The first rows are written before the iterator has given the last (nothing is collected
    first): by the time row 250 is asked for, rows of the first page are out."""
    out = io.StringIO()
    seen_when_asked: list[str] = []

    def rows():
        for row in numbered(300):
            if row["n"] == 250:
                seen_when_asked.append(out.getvalue())
            yield row

    assert emit(rows(), fmt, out=out, err=io.StringIO()) == 300
    assert "row 1" in seen_when_asked[0]


def test_a_table_keeps_the_first_pages_widths() -> None:
    """Widths are fixed by the first page (PAGE_ROWS rows); a longer cell later is kept whole
    when no width is given (stdout not a terminal), and cut to its column when one is."""
    rows = numbered(PAGE_ROWS) + [{"n": 12345, "text": "a much longer text than any before"}]
    whole = render("table", rows=rows).splitlines()
    assert whole[:3] == ["  n  text", "---  ------", "  0  row 0"]
    assert whole[-1] == "12345  a much longer text than any before"  # numbers are never cut
    cut = render("table", rows=rows, width=100).splitlines()
    assert cut[-1] == "12345  a muc…"
    assert render("table", rows=rows, width=100).splitlines()[:-1] == whole[:-1]


def test_a_table_fits_the_width_by_cutting_its_widest_text_columns() -> None:
    rows = [{"id": "short", "count": 12, "quote": "x" * 60, "note": "y" * 40}]
    assert render("table", rows=rows, width=60) == (
        "id     count  quote                   note\n"
        "-----  -----  ----------------------  ----------------------\n"
        "short     12  xxxxxxxxxxxxxxxxxxxxx…  yyyyyyyyyyyyyyyyyyyyy…\n"
    )
    assert all(len(line) <= 60 for line in render("table", rows=rows, width=60).splitlines())
    # Too narrow for everything: each text column keeps its header and NARROWEST characters.
    narrow = render("table", rows=rows, width=20).splitlines()
    assert narrow[2] == "short     12  xxxxxxx…  yyyyyyy…"
    # A table that fits is exactly the table with no width.
    assert render("table", rows=rows, width=200) == render("table", rows=rows)


def test_a_table_longer_than_the_limit_says_how_many_rows_remain() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert emit(numbered(120), "table", out=out, err=err, limit=50) == 120
    lines = out.getvalue().splitlines()
    assert len(lines) == 52 and lines[-1] == " 49  row 49"
    assert err.getvalue() == (
        "70 more rows not shown (--limit 0 shows every row; --format csv, json or jsonl give them as data)\n"
    )
    out, err = io.StringIO(), io.StringIO()
    emit(numbered(51), "table", out=out, err=err, limit=50)
    assert err.getvalue().startswith("1 more row not shown")
    for limit in (None, 0, 120, 500):  # all shown, nothing said
        out, err = io.StringIO(), io.StringIO()
        emit(numbered(120), "table", out=out, err=err, limit=limit)
        assert len(out.getvalue().splitlines()) == 122 and err.getvalue() == ""


def test_a_table_told_how_many_rows_remain_reads_no_further() -> None:
    read: list[int] = []

    def rows() -> Iterator[dict]:
        for row in numbered(120):
            read.append(row["n"])
            yield row

    out, err = io.StringIO(), io.StringIO()
    assert emit(rows(), "table", out=out, err=err, limit=50, rest=lambda: 70) == 120
    assert len(out.getvalue().splitlines()) == 52 and read == list(range(50))
    assert err.getvalue().startswith("70 more rows not shown")
    read.clear()
    emit(rows(), "table", out=io.StringIO(), err=io.StringIO(), limit=120, rest=lambda: 0)
    assert read == list(range(120))  # a page over PAGE_ROWS: read on to the limit
    read.clear()
    assert emit(rows(), "csv", out=io.StringIO(), limit=50, rest=lambda: 70) == 120  # data: all


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "markdown"])
def test_only_tables_are_limited_or_cut(fmt: str) -> None:
    rows = numbered(120, text=lambda n: "z" * (n + 1))
    assert render(fmt, rows=rows, limit=10, width=30) == render(fmt, rows=rows)
    assert f'"{"z" * 120}"' in render("json", rows=rows) and "z" * 120 in render(fmt, rows=rows)


def test_markdown_keeps_the_first_pages_widths_and_every_cell_whole() -> None:
    rows = numbered(PAGE_ROWS) + [{"n": 100, "text": "longer | than before"}]
    lines = render("markdown", rows=rows).splitlines()
    assert lines[:3] == ["| n   | text   |", "|-----|--------|", "| 0   | row 0  |"]
    assert lines[-1] == "| 100 | longer \\| than before |"


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "markdown"])
def test_select_chooses_columns_in_every_format(fmt: str) -> None:
    chosen = render(fmt, select=["note", "id"])
    assert "84" not in chosen and "2024-01-03" not in chosen
    assert chosen.index("note") < chosen.index("id") if fmt != "table" else chosen.startswith("note")
    if fmt == "json":
        assert chosen == '[\n  {"note": null, "id": "a"},\n  {"note": "line one\\nline two", "id": "b|c"}\n]\n'
    if fmt == "csv":
        assert chosen == 'note,id\n,a\n"line one\nline two",b|c\n'


def test_an_unknown_column_is_refused_before_anything_is_written() -> None:
    out = io.StringIO()
    with pytest.raises(ColumnError, match="unknown column 'nope'; choose from id, count, when, value, note"):
        emit(ROWS, "json", out=out, select=["id", "nope"])
    assert out.getvalue() == ""
    with pytest.raises(ColumnError, match="unknown column 'nope'"):  # columns known, no rows
        emit([], "csv", columns=["id"], out=out, select=["nope"])
    assert emit([], "table", out=out, select=["nope"]) == 0  # nothing to check it against


def test_a_float_column_lines_up_on_the_decimal_point_on_every_page() -> None:
    rows = [{"v": 2.5}] * (PAGE_ROWS - 1) + [{"v": 10.25}, {"v": 84}, {"v": 0.5}]
    lines = render("table", rows=rows).splitlines()
    assert lines[:3] == ["    v", "-----", " 2.5"]  # " 2.5 ", its last space cut
    assert lines[-3:] == ["10.25", "84", " 0.5"]  # on the 2nd page too: "84   ", " 0.5 "


REVIEWED = [
    {"claim": "c1", "statement": "s1", "review": "reviewed"},
    {"claim": "c1", "statement": "s2", "review": "draft"},
]


def test_tables_and_markdown_mark_a_draft_on_its_statement_data_formats_give_the_field() -> None:
    assert render("table", REVIEWED) == (
        "claim    statement\n"
        "-------  -----------\n"
        "c1       s1\n"
        "c1       s2 (draft)\n"
    )
    assert render("markdown", REVIEWED) == (
        "| claim   | statement   |\n"
        "|---------|-------------|\n"
        "| c1      | s1          |\n"
        "| c1      | s2 (draft)  |\n"
    )
    assert render("csv", REVIEWED) == "claim,statement,review\nc1,s1,reviewed\nc1,s2,draft\n"
    assert render("jsonl", REVIEWED).splitlines()[1] == '{"claim": "c1", "statement": "s2", "review": "draft"}'
    assert REVIEWED[1]["statement"] == "s2"  # the rows handed in are left as they were
    # Chosen as a column, it is one; with no statement column, the first cell carries the mark.
    assert render("table", REVIEWED, select=["statement", "review"]).splitlines()[3] == "s2           draft"
    assert render("table", REVIEWED, select=["claim"]).splitlines()[3] == "c1 (draft)"
