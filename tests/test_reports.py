"""Reports on the seed data: the committed ``reports/`` is current (on every backend, so SQLite and
PostgreSQL give byte-identical files), every link resolves, and the command works as documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from provenance.reports import Scope, build, generate
from provenance.store import database
from tests.conftest import ROOT, invoke

COMMITTED = ROOT / "reports"
REGENERATE = "provenance --db /tmp/x.db load seeds/ && provenance --db /tmp/x.db report --all"
# A markdown link whose "]" is not escaped (an even number of backslashes before it).
LINK = re.compile(r"(?<!\\)(?:\\\\)*\]\(([^)\s]+)\)")
ANCHOR = re.compile(r'<a id="([^"]+)"></a>')


@pytest.fixture(scope="module")
def seed_reports(seeded_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reports of the seed database, written once per backend."""
    out = tmp_path_factory.mktemp("reports")
    engine = database.connect(database.Location(seeded_url, "test"))
    try:
        generate(engine, out)
    finally:
        engine.dispose()
    return out


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path."""
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_committed_reports_are_current(seed_reports: Path) -> None:
    generated, committed = tree(seed_reports), tree(COMMITTED)
    missing = sorted(set(generated) - set(committed))
    extra = sorted(set(committed) - set(generated))
    changed = sorted(p for p in set(generated) & set(committed) if generated[p] != committed[p])
    assert not (missing or extra or changed), (
        f"reports/ is stale (missing {missing[:5]}, extra {extra[:5]}, changed {changed[:5]});"
        f" regenerate with: {REGENERATE}"
    )


def follow_links(root: Path) -> list[str]:
    """Every relative link in the tree whose file or anchor is missing, or that leaves ``root``."""
    anchors = {path: set(ANCHOR.findall(path.read_text(encoding="utf-8"))) for path in root.rglob("*.md")}
    broken = []
    for path in sorted(anchors):
        for target in LINK.findall(path.read_text(encoding="utf-8")):
            if target.startswith(("https://", "http://")):
                continue
            file_part, _, fragment = target.partition("#")
            resolved = (path.parent / file_part).resolve() if file_part else path.resolve()
            where = f"{path.relative_to(root)} -> {target}"
            if not resolved.is_relative_to(root.resolve()) or resolved not in anchors:
                broken.append(where)
            elif fragment and fragment not in anchors[resolved]:
                broken.append(f"{where} (no anchor)")
    return broken


def test_every_link_resolves(seed_reports: Path) -> None:
    assert follow_links(seed_reports) == []
    index = (seed_reports / "index.md").read_text(encoding="utf-8")
    linked = set(LINK.findall(index))
    for kind in ("claims", "speakers", "documents"):
        for path in (seed_reports / kind).glob("*.md"):
            assert f"{kind}/{path.name}" in linked, f"index.md does not link {kind}/{path.name}"


def test_claim_report_reads_as_a_story(seed_reports: Path) -> None:
    report = (seed_reports / "claims" / "isis-backed-by-us.md").read_text(encoding="utf-8")
    assert report.startswith("# The Islamic State (ISIS) is backed by the United States.\n")
    assert "- **Asserted** by 2 speakers (" in report
    iran = "Government of the Islamic Republic of Iran"
    assert f"from 2 independent origins in 1 affiliation cluster ({iran})" in report
    assert "- **Denied** by 1 speaker ([Breitbart News](../speakers/breitbart-news.md))" in report
    assert "**Contradicted** by [The United States, with allied Kurdish militias" in report
    assert "```mermaid\nflowchart RL\n" in report
    assert "| warning | [single-origin](../audit.md#rule-single-origin) |" in report
    for section in ("## Statements", "## Citation chains", "## Counter-claims", "## Audit findings",
                    "## Sources"):
        assert section in report
    chained = (seed_reports / "claims" / "kerman-killed-at-least-73.md").read_text(encoding="utf-8")
    assert "**Chain 1** — Breitbart News ← Getty Images ← **Anadolu Agency**, who *asserts*" in chained
    assert "1. ← [Getty Images](../speakers/getty-images.md) — not in the corpus" in chained
    assert "## Figures" in chained and "| ◆ | 2024-01-03 | at least 73 |" in chained


def test_figures_and_document_reports(seed_reports: Path) -> None:
    figures = (seed_reports / "figures.md").read_text(encoding="utf-8")
    killed = figures.index('<a id="q-kerman-bombing-killed"></a>')
    assert killed < figures.index('<a id="q-kerman-bombing-injured"></a>')  # most statements first
    assert "6 figures in circulation (at least 73, 84, at least 84, 89, nearly 100, at least 103)" in figures
    document = (seed_reports / "documents" / "oan-2024-01-04-isis-takes-responsibility.md").read_text(
        encoding="utf-8")
    row = r"^\| (first-hand|second-hand|own voice|total) \| (\d+) \|"
    profile = dict(re.findall(row, document, re.MULTILINE))
    assert int(profile["total"]) == sum(int(profile[h]) for h in ("first-hand", "second-hand", "own voice"))
    assert "- 26 words shared with [themedialine-2024-01-04-islamic-state-claims-responsibility]" in document
    attribution_offsets = [int(m) for m in re.findall(r"^\| \d+ \| (\d+) \|", document, re.MULTILINE)]
    assert attribution_offsets == sorted(attribution_offsets)
    assert len(attribution_offsets) == int(profile["total"])


def test_build_is_deterministic(seeded_url: str) -> None:
    engine = database.connect(database.Location(seeded_url, "test"))
    try:
        assert build(engine, Scope(claim="isis-backed-by-us")) == build(
            engine, Scope(claim="isis-backed-by-us"))
    finally:
        engine.dispose()


def test_cli_all_then_one_claim(seeded_copy: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = invoke(seeded_copy, "report", "--all", "--out", str(out))
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[0] == str(out / "audit.md")
    assert len(first.stdout.splitlines()) == len(tree(out)) - 1  # all but the manifest
    assert re.fullmatch(r"\d+ reports in .*: \d+ written, 0 unchanged\n", first.stderr)
    again = invoke(seeded_copy, "report", "--all", "--out", str(out))
    assert again.stdout == "" and ": 0 written," in again.stderr
    (out / "claims" / "isis-backed-by-us.md").write_text("edited by hand\n", encoding="utf-8")
    one = invoke(seeded_copy, "report", "--claim", "backed by the United States", "--out", str(out))
    assert one.stdout == f"{out / 'claims' / 'isis-backed-by-us.md'}\n"
    assert one.stderr == f"1 report in {out}: 1 written, 0 unchanged\n"


def test_cli_errors_and_help(seeded_copy: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    none = invoke(seeded_copy, "report", "--out", str(out))
    assert none.exit_code == 2
    assert "give exactly one of --claim, --speaker, --document or --all" in none.stderr
    both = invoke(seeded_copy, "report", "--all", "--claim", "x", "--out", str(out))
    assert both.exit_code == 2 and "(got --claim, --all)" in both.stderr
    missing = invoke(seeded_copy, "report", "--document", "nope", "--out", str(out))
    assert missing.exit_code == 1 and "no document with id 'nope'" in missing.stderr
    assert not out.exists()
    help_text = invoke(seeded_copy, "report", "--help").stdout
    assert re.search(r"Examples:\n +provenance report --all\n", help_text)
    assert "provenance report --claim isis-backed-by-us" in help_text


def test_a_single_report_equals_its_page_in_the_full_set(seeded_url: str) -> None:
    """One report is built from an audit scoped to its subject, and reads exactly as in --all
    (the seeds' ids are clean slugs: the report reads none but its own to name its links)."""
    from provenance.reports.gather import link_ids

    engine = database.connect(database.Location(seeded_url, "test"))
    with engine.connect() as connection:
        assert link_ids(connection)[0] is None
    full = build(engine)
    for selection in (
        Scope(claim="isis-backed-by-us"),
        Scope(claim="kerman-killed-89"),
        Scope(document="oan-2024-01-04-isis-takes-responsibility"),
        Scope(speaker="mehdi-bakhshi"),
    ):
        for path, text in build(engine, selection).items():
            assert text == full[path], path
    engine.dispose()


def test_a_claim_with_more_chains_than_mermaid_draws_has_no_diagram() -> None:
    """Mermaid refuses a flowchart of over 500 arrows (maxEdges): the report says so instead."""
    from provenance.reports.claim import ClaimData, chain_section, flowchart
    from provenance.reports.gather import Catalog, Chain
    from provenance.reports.markdown import MAX_EDGES
    from provenance.reports.paths import Links

    def catalog_of(n: int) -> tuple[Catalog, ClaimData]:
        agents = {f"a{i}": {"id": f"a{i}", "name": f"Agent {i}", "kind": "outlet"} for i in range(n)}
        documents = {f"d{i}": {"id": f"d{i}", "title": f"Doc {i}", "published": "2024-01-02"} for i in range(n)}
        statement = {"id": "s", "speaker_id": "a0", "claim_id": "c", "stance": "asserts", "said_on": None,
                     "kind": "assertion", "act": None, "modality": "direct", "hedge": None, "mode": "direct",
                     "cue": "said", "quote": "q", "quotes": ["q"]}
        chains = [Chain(f"r{i}", "s", [{"report": f"r{i}", "reporter": f"a{i}", "document": f"d{i}",
                                         "reporter_kind": "outlet", "excerpt": "q", "via_inferred": False,
                                         "reporter_stance": None}], True) for i in range(n)]
        catalog = Catalog(agents, {}, [], documents, {"c": {"id": "c", "text": "C"}}, {}, {"s": statement}, {})
        return catalog, ClaimData({"id": "c"}, [statement], chains, [], [], [], [])

    catalog, data = catalog_of(MAX_EDGES)
    assert flowchart(data, catalog) is not None
    catalog, data = catalog_of(MAX_EDGES + 1)
    assert flowchart(data, catalog) is None
    links = Links(catalog.claims, catalog.agents, catalog.documents, [])
    section = "\n".join(chain_section(data, catalog, links))
    assert "```mermaid" not in section and "too many to draw as one diagram" in section
    assert section.count("**Chain ") == MAX_EDGES + 1
