"""Reports on hostile data: text from sources stays literal text, ids stay inside the output directory,
and writing never touches files the generator did not write."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from provenance.datasets import loader
from provenance.errors import ProvenanceError
from provenance.reports import generate
from provenance.reports.markdown import file_name, file_names, mermaid_label, safe_url
from provenance.reports.markdown import text as md_text
from provenance.reports.paths import MANIFEST, write_tree
from tests.test_reports import LINK, follow_links, tree

HOSTILE = Path(__file__).parent / "fixtures" / "reports" / "hostile.yaml"
FENCE = re.compile(r"^```mermaid\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
UNESCAPED_PIPE = re.compile(r"(?<!\\)(?:\\\\)*\|")

#: Rows with ids no dataset file may hold, written directly as another tool could.
DIRECT_ROWS = [
    ("INSERT INTO agent (id, name, kind, state_media, source, checksum) VALUES"
     " (:id, :name, 'person', false, 'sql', 'x')",
     {"id": "../../evil", "name": '<img src=x onerror=alert(1)> "]) --> x'}),
    ("INSERT INTO claim (id, text, source, checksum) VALUES (:id, :text, 'sql', 'x')",
     {"id": "../../../tmp/escape", "text": "```\n</table><script>x</script>"}),
    ("INSERT INTO claim (id, text, source, checksum) VALUES (:id, :text, 'sql', 'x')",
     {"id": "Escape", "text": "a claim whose id differs from another only by case"}),
    ("INSERT INTO document (id, text, sha256, language, outlet_inferred, published_inferred,"
     " authors_inferred, title_inferred, source, checksum) VALUES (:id, 'x y', 'sha256:0', 'en',"
     " false, false, false, false, 'sql', 'x')", {"id": "/etc/passwd"}),
    ("INSERT INTO statement (id, speaker_id, claim_id, stance, mode, said_on_inferred, method,"
     " review_status, source, checksum) VALUES ('s/../x', '../../evil', '../../../tmp/escape',"
     " 'asserts', 'paraphrase', false, 'curated', 'reviewed', 'sql', 'x')", {}),
    ("INSERT INTO report (id, statement_id, reporter_id, document_id, excerpt, excerpt_start,"
     " excerpt_end) VALUES ('r/../x', 's/../x', '../../evil', '/etc/passwd', 'x', 0, 1)", {}),
]


@pytest.fixture
def hostile_reports(engine: Engine, tmp_path: Path) -> Path:
    """The reports of the hostile fixture plus rows written directly."""
    loader.load(engine, [HOSTILE])
    with engine.begin() as connection:
        for statement, params in DIRECT_ROWS:
            connection.execute(text(statement), params)
    out = tmp_path / "out" / "reports"
    generate(engine, out)
    return out


def test_hostile_ids_stay_inside_the_output_directory(hostile_reports: Path) -> None:
    outside = [p for p in hostile_reports.parent.rglob("*") if not p.is_relative_to(hostile_reports)]
    assert outside == []
    names = set(tree(hostile_reports))
    assert {n for n in names if n.startswith(("claims/tmp-escape-", "claims/escape-"))} == {
        f"claims/{file_name('../../../tmp/escape')}.md", f"claims/{file_name('Escape')}.md"}
    plain = r"(?:(?:claims|speakers|documents)/)?[a-z0-9][a-z0-9._-]*\.md|\.provenance-reports"
    assert all(re.fullmatch(plain, name) for name in names), names
    assert len([n for n in names if n.startswith("claims/")]) == 5  # 3 loaded, 2 written directly


def test_hostile_text_stays_literal(hostile_reports: Path) -> None:
    for path in hostile_reports.rglob("*.md"):
        content = path.read_text(encoding="utf-8")
        diagrams = FENCE.findall(content)
        prose = FENCE.sub("", content)
        # No HTML but our anchors; no code fence but the diagrams'; no raw script anywhere.
        assert re.sub(r'<a id="[a-z0-9._-]+"></a>', "", prose).count("<") == 0, path
        assert "```" not in prose, path
        for diagram in diagrams:
            assert diagram.replace("<br/>", "").count("<") == 0, path
            for line in diagram.splitlines()[1:]:
                assert re.fullmatch(
                    r'  n\d+(?:\[".*"\]|\(\[".*"\]\))|  n\d+ -(?:->|\.->) n\d+|  classDef \w+ [^"]+|'
                    r'  class [n\d,]+ \w+', line), line
                labels = re.findall(r'"(.*?)"', line)
                assert all("#" not in re.sub(r"#\d+;", "", label) for label in labels), line
        # Tables keep their shape: every row has as many cells as its header.
        columns = None
        for line in content.splitlines():
            if line.startswith("| "):
                cells = len(UNESCAPED_PIPE.findall(line))
                columns = columns or cells
                assert cells == columns, (path, line)
            else:
                columns = None


def test_hostile_links_resolve_and_urls_are_tamed(hostile_reports: Path) -> None:
    assert follow_links(hostile_reports) == []
    everything = "".join(FENCE.sub("", p.read_text(encoding="utf-8")) for p in hostile_reports.rglob("*.md"))
    targets = LINK.findall(everything)
    assert targets and all(t.startswith(("https://", "claims/", "speakers/", "documents/", "../", "#"))
                           or t.split("#")[0] in ("index.md", "audit.md", "figures.md") for t in targets)
    assert "(https://example.org/a%20path/%28x%29?q=%3Cy%3E&z=%221%22)" in everything
    doc = (hostile_reports / "documents" / "doc-1.md").read_text(encoding="utf-8")
    assert "| url | javascript:alert(document.cookie) |" in doc


@pytest.mark.parametrize(("value", "expected"), [
    ("a | b", "a \\| b"),
    ("`code` <script>alert(1)</script>", "\\`code\\` &lt;script&gt;alert(1)&lt;/script&gt;"),
    ("[x](javascript:y)", "\\[x\\](javascript:y)"),
    ('say "hi"\nthen\r\nbye\x00', 'say "hi" then bye'),
    ("# title", "\\# title"),
    ("- item", "\\- item"),
    ("12. item", "12\\. item"),
    ("$5 ~~x~~ *b* _i_ &amp;", "\\$5 \\~\\~x\\~\\~ \\*b\\* \\_i\\_ &amp;amp;"),
    (None, ""),
])
def test_text_escaping(value: str | None, expected: str) -> None:
    assert md_text(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ('a "b" #1', "a #34;b#34; #35;1"),
    ("<b>&`", "#60;b#62;#38;#96;"),
    ("line\nbreak", "line break"),
    ("", "?"),
    ("x" * 100, "x" * 79 + "…"),
])
def test_mermaid_label(value: str, expected: str) -> None:
    assert mermaid_label(value) == expected


def test_file_names() -> None:
    assert file_name("isis-backed-by-us") == "isis-backed-by-us"
    for hostile in ("..", ".", "a..b", "../x", "/etc/passwd", "C:\\x", "Foo", "", "con", "x/" * 200):
        name = file_name(hostile)
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*[a-z0-9]", name) and len(name) <= 71, (hostile, name)
    crafted = file_name("Foo")  # an id spelled like another's hashed name still gets its own file
    assert len(set(file_names(["Foo", crafted]).values())) == 2


def test_safe_url() -> None:
    assert safe_url("https://x.org/a b(c)") == "https://x.org/a%20b%28c%29"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//x.org", "https://x.org/\x00", None, ""):
        assert safe_url(bad) is None


def test_write_tree_refuses_paths_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for relative in ("../x.md", "/abs.md", "claims/../../x.md", "Claims/x.md", "a\\b.md"):
        with pytest.raises(ProvenanceError):
            write_tree(out, {relative: "x"}, clean=True)
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", out / "claims")
    with pytest.raises(ProvenanceError, match="outside"):
        write_tree(out, {"claims/x.md": "x"}, clean=True)
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_write_tree_removes_only_its_own_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    write_tree(out, {"claims/a.md": "a", "claims/b.md": "b", "index.md": "i"}, clean=True)
    (out / "claims" / "notes.md").write_text("mine", encoding="utf-8")
    (out / "README.md").write_text("mine", encoding="utf-8")
    partial = write_tree(out, {"claims/c.md": "c"}, clean=False)
    assert partial.removed == [] and (out / "claims" / "a.md").exists()
    result = write_tree(out, {"claims/a.md": "a2", "index.md": "i"}, clean=True)
    assert result.written == ["claims/a.md"] and result.unchanged == ["index.md"]
    assert result.removed == ["claims/b.md", "claims/c.md"]
    assert sorted(tree(out)) == [MANIFEST, "README.md", "claims/a.md", "claims/notes.md", "index.md"]
    # A tampered manifest cannot make it delete outside the output directory.
    (tmp_path / "victim.md").write_text("keep", encoding="utf-8")
    (out / MANIFEST).write_text("../victim.md\n/etc/passwd\nREADME.md\n", encoding="utf-8")
    write_tree(out, {"index.md": "i"}, clean=True)
    assert (tmp_path / "victim.md").exists()
    assert (out / "README.md").exists()  # not a name the generator could have written


def test_one_report_of_hostile_ids_names_its_links_as_the_full_set_does(engine: Engine, tmp_path: Path) -> None:
    """Ids that are not clean slugs make a single report name its links among every id, as
    --all does (the seeds, all clean slugs, take the other way: tests/test_reports.py)."""
    from provenance.reports import Scope, build
    from provenance.reports.gather import link_ids

    loader.load(engine, [HOSTILE])
    with engine.begin() as connection:
        for statement, params in DIRECT_ROWS:
            connection.execute(text(statement), params)
    with engine.connect() as connection:
        ids = link_ids(connection)[0]
        assert ids is not None and "../../../tmp/escape" in ids[0]
    full = build(engine)
    for claim in ("Escape", "end"):  # an id written directly, and a clean one
        one = build(engine, Scope(claim=claim))
        path = f"claims/{file_name(claim)}.md"
        assert one == {path: full[path]}
