"""The seed dataset against the close reading (seeds/close-reading.md): unnamed sources, figures
at their place, attributions per document (all and core) and their chains, shared passages.

The expected values are the ledger's totals; a change to the seeds that the ledger does not
record (or the reverse) fails here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from provenance.audit import audit_findings
from provenance.store import database
from tests.conftest import SEEDS

BREITBART = "breitbart-2024-01-08-iran-claims-isis-arrests"
IRANINTL = "iranintl-2024-01-19-intelligence-arrests"
GEOPOLITICS = "geopolitics-2024-01-04-islamic-state-claims-responsibility"
MEDIALINE = "themedialine-2024-01-04-islamic-state-claims-responsibility"
OAN = "oan-2024-01-04-isis-takes-responsibility"
BLOG = "blog-2024-01-05-oan-repost"

#: Lines (1-based) of headlines and photo captions: what is attributed there is not core.
HEADLINES_AND_CAPTIONS = {
    BREITBART: {1, 3, 4, 22, 24}, IRANINTL: {1, 3}, GEOPOLITICS: {3}, MEDIALINE: {3},
    OAN: {1, 5}, BLOG: {1, 5},
}
#: Per document: attributions, core attributions, figure mentions (the ledger's totals).
LEDGER = {
    BREITBART: (53, 28, 14), IRANINTL: (22, 12, 5), GEOPOLITICS: (40, 23, 10), MEDIALINE: (24, 15, 6),
    OAN: (33, 23, 8), BLOG: (2, 2, 0),
}
UNNAMED = {
    "anonymous": {
        "blog-commenter", "breitbart-unnamed-meeting-reports", "geopolitics-unidentified-report",
        "gunshot-reports", "iranian-state-media", "iranintl-unnamed-critics",
        "iranintl-unnamed-officials", "irna-unidentified-source", "irna-unnamed-cctv-source",
        "medialine-regional-experts", "oan-unnamed-experts",
    },
    "unattributed": {"oan-unattributed-it-is-believed", "oan-unattributed-reportedly"},
}
REPORTS = """
SELECT r.id, r.statement_id, r.document_id, r.excerpt_start, r.reporter_id, r.via_id, r.via_inferred,
       s.kind, s.speaker_id, d.outlet_id, c.quantity_key
FROM report r JOIN statement s ON s.id = r.statement_id
LEFT JOIN document d ON d.id = r.document_id LEFT JOIN claim c ON c.id = s.claim_id"""


@pytest.fixture(scope="module")
def seeds(seeded_url: str) -> Iterator[Engine]:
    engine = database.connect(database.Location(seeded_url, "test"))
    yield engine
    engine.dispose()


def _attributions(engine: Engine) -> list[dict]:
    """Every report in a document, with its line, whether it is core, and its chain in words."""
    with engine.connect() as connection:
        texts = dict(connection.execute(text("SELECT id, text FROM document")).all())
        rows = [dict(row._mapping) for row in connection.execute(text(REPORTS))]
    by_id = {row["id"]: row for row in rows}
    attributions = []
    for row in rows:
        if row["document_id"] is None:
            continue
        line = texts[row["document_id"]].count("\n", 0, row["excerpt_start"]) + 1
        hops, hop = [row["reporter_id"]], row
        while hop["via_id"]:
            via = by_id[hop["via_id"]]
            hops.append(via["reporter_id"] + (" (inferred)" if hop["via_inferred"] else ""))
            hop = via
        core = (row["kind"] == "claim" and row["speaker_id"] != row["outlet_id"]
                and line not in HEADLINES_AND_CAPTIONS[row["document_id"]])
        attributions.append({**row, "line": line, "core": core, "chain": " ← ".join(hops)})
    return attributions


def test_unnamed_sources_are_the_ledgers_thirteen(seeds: Engine) -> None:
    with seeds.connect() as connection:
        found = connection.execute(
            text("SELECT kind, id FROM agent WHERE kind IN ('anonymous', 'unattributed')")).all()
    assert {kind: {id_ for k, id_ in found if k == kind} for kind in UNNAMED} == UNNAMED
    assert len(found) == 13


def test_attributions_and_figures_per_document(seeds: Engine) -> None:
    attributions = _attributions(seeds)
    every = Counter(a["document_id"] for a in attributions)
    core = Counter(a["document_id"] for a in attributions if a["core"])
    figures = Counter(a["document_id"] for a in attributions if a["quantity_key"])
    assert {doc: (every[doc], core[doc], figures[doc]) for doc in LEDGER} == LEDGER
    assert (sum(every.values()), sum(core.values()), sum(figures.values())) == (174, 103, 43)


def test_figures_at_their_place(seeds: Engine) -> None:
    with seeds.connect() as connection:
        places = connection.execute(text(
            "SELECT r.excerpt FROM report r JOIN statement s ON s.id = r.statement_id"
            " WHERE s.claim_id = :claim AND r.document_id = :document ORDER BY r.excerpt_start"),
            {"claim": "kerman-arrested-32", "document": BREITBART}).scalars().all()
    assert [excerpt.split(" ")[0] for excerpt in places] == ["claimed", "“Thirty-two", "Bakhshi"]
    assert "the 32 arrested were all the individuals" in places[2]


def _ledger_rows() -> Iterator[tuple[str, int, str, str]]:
    """(document, line, statement, chain) of each row of the ledger's attribution tables."""
    document = None
    ledger = (SEEDS / "close-reading.md").read_text(encoding="utf-8")
    for line in ledger.split("## Attributions", 1)[1].splitlines():
        if line.startswith("### "):
            document = line[4:].strip()
        elif re.match(r"\| \d+ \|", line):
            cells = [cell.strip() for cell in line.strip("|").split(" | ")]
            yield document, int(cells[1]), cells[8].strip("`"), cells[5].replace("\u00a0", " ")


def test_ledger_rows_are_the_datasets_attributions_with_their_chains(seeds: Engine) -> None:
    recorded = Counter((a["document_id"], a["line"], a["statement_id"], a["chain"]) for a in _attributions(seeds))
    assert Counter(_ledger_rows()) == recorded


def test_mended_chains(seeds: Engine) -> None:
    """One sentence, one chain: Bakhshi's unsourced sentences take the one their paragraph implies."""
    chains = {(a["statement_id"], a["line"]): a["chain"] for a in _attributions(seeds)}
    assert chains[("bakhshi-all-suspects-arrested", 18)] == "breitbart-news ← mehr-news-agency (inferred)"
    insisted = sorted(a["chain"] for a in _attributions(seeds) if a["statement_id"] == "bakhshi-arrested-32")
    assert insisted == ["breitbart-news ← irib (inferred)", "breitbart-news ← mehr-news-agency",
                        "breitbart-news ← mehr-news-agency (inferred)"]
    assert chains[("bakhshi-bomber-tajik-national", 20)] == "breitbart-news ← irib (inferred)"
    assert chains[("intelligence-ministry-is-affiliated-arrested", 3)] == (
        "iran-international ← iranian-state-media (inferred)")


def _shared_passages(engine: Engine) -> dict[tuple[str, str], list[tuple[int, int]]]:
    found = {}
    for finding in audit_findings(engine, rules=["common-source"]):
        pair = tuple(finding.evidence["documents"])
        found[pair] = [(passage[pair[0]][0], passage[pair[1]][0]) for passage in finding.evidence["passages"]]
    return found


def test_audit_finds_the_zelin_passages(seeds: Engine) -> None:
    """P1 (the Joker quote) and P2 (Zelin's job description, a near-duplicate) of the ledger."""
    assert _shared_passages(seeds) == {(OAN, MEDIALINE): [(2261, 2170), (1751, 1633)]}


@pytest.mark.xfail(strict=True, reason="9 identical words of 15, under the common-source rule's 12:"
                   " see the ledger's shared passages")
def test_audit_finds_the_regional_branch_rewrite(seeds: Engine) -> None:
    """P3: OAN [1599, 1690] rewrites The Media Line [1040, 1182] ("did not specify/identify which
    regional branch of the ..."). When the audit learns to find it, drop the mark."""
    assert 1599 in [oan for oan, _ in _shared_passages(seeds)[(OAN, MEDIALINE)]]


@pytest.mark.xfail(strict=True, reason="no 5-word run in common ('Shi’ite' / 'Shiite'): the pair is never"
                   " compared; see the ledger's shared passages")
def test_audit_finds_the_2022_shrine_sentence(seeds: Engine) -> None:
    """P4: Geopolitics [2374, 2484] and The Media Line [1857, 1962], one wire sentence in two
    wires' spellings. When the audit learns to find it, drop the mark."""
    assert (GEOPOLITICS, MEDIALINE) in _shared_passages(seeds)
