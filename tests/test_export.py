"""``provenance export``: PROV read back by the ``prov`` library without losing a relation,
PROV-O parsed by rdflib, schema.org and Web Annotation JSON-LD expanded by pyld, every
annotation re-anchored in its stored document, CSV tables, scopes, determinism and errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from provenance.export.provgraph import build
from provenance.store import database
from provenance.store.scope import Scope
from tests.conftest import ROOT, invoke

FIXTURES = ROOT / "tests" / "fixtures" / "export"
SCHEMA = "http://schema.org/"
OA = "http://www.w3.org/ns/oa#"
PROV_READ = {"prov-json": {"format": "json"}, "prov-n": {"format": "provn"},
             "prov-o": {"format": "rdf", "rdf_format": "turtle"}}


def export(db: str, *args: str) -> str:
    result = invoke(db, "export", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def scalar(db: str, sql: str) -> Any:
    engine = database.connect(database.Location(db, "test"))
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def signature(document: Any) -> set[tuple]:
    """Every record as (kind, id, asserted types, formal attributes): what must survive."""
    def uri(value: Any) -> str | None:  # prefixes may differ after a round trip; URIs may not
        return None if value is None else getattr(value, "uri", str(value))

    found = set()
    for record in document.get_records():
        formal = tuple(uri(value) for _, value in record.formal_attributes)
        types = tuple(sorted(uri(t) for t in record.get_asserted_types()))
        found.add((uri(record.get_type()), uri(record.identifier), types, formal))
    return found


def kinds(document: Any) -> dict[str, int]:
    """How many records of each PROV kind (a quotation counted apart from a derivation)."""
    counts: dict[str, int] = {}
    for record in document.get_records():
        name = str(record.get_type())
        types = {str(t) for t in record.get_asserted_types()}
        for special in ("prov:Quotation", "prov:PrimarySource", "prov:Revision"):
            if special in types:
                name = special
        counts[name] = counts.get(name, 0) + 1
    return counts


@pytest.mark.parametrize("fmt", sorted(PROV_READ))
def test_prov_exports_read_back_without_loss(seeded_url: str, fmt: str) -> None:
    from prov.model import ProvDocument

    written = export(seeded_url, "--format", fmt)
    back = ProvDocument.deserialize(content=written, **PROV_READ[fmt])
    engine = database.connect(database.Location(seeded_url, "test"))
    with engine.connect() as connection:
        expected = build(connection, Scope())
    engine.dispose()
    assert signature(back) == signature(expected)
    counts = kinds(back)
    reports = scalar(seeded_url, "SELECT COUNT(*) FROM report")
    in_documents = scalar(seeded_url, "SELECT COUNT(*) FROM report WHERE document_id IS NOT NULL")
    first_hand = scalar(seeded_url, "SELECT COUNT(*) FROM report WHERE via_id IS NULL")
    quoted = scalar(seeded_url, "SELECT COUNT(*) FROM report r JOIN statement s ON s.id = r.statement_id"
                                " WHERE r.via_id IS NOT NULL AND s.mode = 'direct'")
    statements = scalar(seeded_url, "SELECT COUNT(*) FROM statement")
    with_outlet = scalar(seeded_url, "SELECT COUNT(*) FROM document WHERE outlet_id IS NOT NULL")
    assert counts["prov:PrimarySource"] == first_hand
    # a quotation per second-hand direct quote, and an excerpt quoted from its document
    assert counts.get("prov:Quotation", 0) == quoted + in_documents
    republishing = scalar(seeded_url, "SELECT COUNT(*) FROM document WHERE republishes_id IS NOT NULL")
    # a derivation per second-hand report that is not a direct quote, and per republished document
    assert counts.get("prov:Derivation", 0) == reports - first_hand - quoted + republishing
    assert counts["prov:Attribution"] == statements + reports + with_outlet
    assert counts["prov:Delegation"] == scalar(seeded_url, "SELECT COUNT(*) FROM affiliation")
    assert counts["prov:Alternate"] == in_documents
    assert counts["prov:Agent"] == scalar(seeded_url, "SELECT COUNT(*) FROM agent")
    claims = scalar(seeded_url, "SELECT COUNT(*) FROM claim")
    documents = scalar(seeded_url, "SELECT COUNT(*) FROM document")
    assert counts["prov:Entity"] == statements + claims + documents + reports + in_documents


def test_anonymous_sources_and_relations_in_prov_n(seeded_url: str) -> None:
    written = export(seeded_url, "--format", "prov-n")
    anonymous = scalar(seeded_url, "SELECT MIN(id) FROM agent WHERE kind = 'anonymous'")
    line = next(line for line in written.splitlines() if line.strip().startswith(f"agent(agent:{anonymous},"))
    assert "prov:type='pv:AnonymousSource'" in line
    assert "wasAttributedTo(relation:attribution.statement." in written
    assert "actedOnBehalfOf(relation:affiliation." in written


def test_prov_o_parses_with_rdflib(seeded_url: str) -> None:
    import rdflib

    graph = rdflib.Graph().parse(data=export(seeded_url, "--format", "prov-o"), format="turtle")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    statement = rdflib.URIRef("urn:provenance:statement:mehr-us-backed-daesh")
    attribution = graph.value(statement, prov.qualifiedAttribution)
    assert graph.value(attribution, prov.agent) == rdflib.URIRef("urn:provenance:agent:mehr-news-agency")
    assert len(set(graph.subjects(rdflib.RDF.type, prov.Quotation))) > 0
    assert len(set(graph.subjects(rdflib.RDF.type, prov.Agent))) == scalar(seeded_url, "SELECT COUNT(*) FROM agent")
    assert not any(isinstance(node, rdflib.BNode) for triple in graph for node in triple)


def test_schema_org_expands_with_pyld(seeded_url: str) -> None:
    from pyld import jsonld

    expanded = jsonld.expand(json.loads(export(seeded_url, "--format", "schema-org")))
    nodes = {node["@id"]: node for node in expanded}
    claim = nodes["urn:provenance:claim:isis-backed-by-us"]
    assert claim["@type"] == [SCHEMA + "Claim"]
    assert claim[SCHEMA + "text"] == [{"@value": "The Islamic State (ISIS) is backed by the United States."}]
    assert [a["@id"] for a in claim[SCHEMA + "author"]] == [
        "urn:provenance:agent:government-of-iran", "urn:provenance:agent:mehr-news-agency"]
    document = "urn:provenance:document:breitbart-2024-01-08-iran-claims-isis-arrests"
    assert [a["@id"] for a in claim[SCHEMA + "appearance"]] == [document]
    assert claim[SCHEMA + "firstAppearance"] == [{"@id": document}]
    assert claim["urn:provenance:vocab:contradicts"] == [{"@id": "urn:provenance:claim:us-brought-down-isis-caliphate"}]
    work = nodes[document]
    assert work["@type"] == [SCHEMA + "CreativeWork"]
    assert work[SCHEMA + "publisher"] == [{"@id": "urn:provenance:agent:breitbart-news"}]
    assert work[SCHEMA + "datePublished"] == [{"@type": SCHEMA + "Date", "@value": "2024-01-08"}]
    iranintl = nodes["urn:provenance:document:iranintl-2024-01-19-intelligence-arrests"]
    assert iranintl[SCHEMA + "url"] == [{"@id": "https://www.iranintl.com/en/202401194587"}]
    assert sum(1 for node in expanded if node["@type"] == [SCHEMA + "Claim"]) == scalar(
        seeded_url, "SELECT COUNT(*) FROM claim")


def anno_loader(url: str, options: Any = None) -> dict[str, Any]:
    assert url.rstrip("/") in ("http://www.w3.org/ns/anno.jsonld", "https://www.w3.org/ns/anno.jsonld"), url
    return {"contextUrl": None, "documentUrl": url,
            "document": json.loads((FIXTURES / "anno.jsonld").read_text(encoding="utf-8"))}


def test_annotations_re_anchor_in_the_stored_documents(seeded_url: str) -> None:
    collection = json.loads(export(seeded_url, "--format", "annotations"))
    items = collection["first"]["items"]
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == len(items) == scalar(
        seeded_url, "SELECT COUNT(*) FROM report WHERE document_id IS NOT NULL")
    engine = database.connect(database.Location(seeded_url, "test"))
    with engine.connect() as connection:
        texts = {row[0]: row for row in connection.execute(text("SELECT id, url, text FROM document"))}
    engine.dispose()
    by_source = {(url or f"urn:provenance:document:{doc_id}"): body for doc_id, url, body in texts.values()}
    assert "https://www.iranintl.com/en/202401194587" in {item["target"]["source"] for item in items}
    for item in items:
        body = by_source[item["target"]["source"]]
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        assert body[position["start"]:position["end"]] == quote["exact"], item["id"]
        assert body[:position["start"]].endswith(quote["prefix"]), item["id"]
        assert body[position["end"]:].startswith(quote["suffix"]), item["id"]
        assert quote["prefix"] and quote["suffix"] or position["start"] == 0 or position["end"] == len(body)


def test_annotations_expand_with_pyld(seeded_url: str) -> None:
    from pyld import jsonld

    collection = json.loads(export(seeded_url, "--format", "annotations", "--claim", "isis-backed-by-us"))
    expanded = jsonld.expand(collection, {"documentLoader": anno_loader})
    page = expanded[0]["http://www.w3.org/ns/activitystreams#first"][0]
    items = page["http://www.w3.org/ns/activitystreams#items"][0]["@list"]
    assert len(items) == 3
    target = items[0][OA + "hasTarget"][0]
    assert {s["@type"][0] for s in target[OA + "hasSelector"]} == {OA + "TextQuoteSelector", OA + "TextPositionSelector"}
    assert items[0][OA + "motivatedBy"] == [{"@id": OA + "describing"}]


def test_csv_writes_one_file_per_table_with_a_header(seeded_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    result = invoke(seeded_url, "export", "--format", "csv", "--out", str(folder))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    from provenance.store.scope import TABLES

    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{name}.csv" for name in TABLES)
    for name, table in TABLES.items():
        rows = list(csv.reader(io.StringIO((folder / f"{name}.csv").read_text(encoding="utf-8"))))
        assert rows[0] == [column.name for column in table.columns]
        assert len(rows) - 1 == scalar(seeded_url, f"SELECT COUNT(*) FROM {name}")
    agents = list(csv.DictReader((folder / "agent.csv").open(encoding="utf-8")))
    assert {row["state_media"] for row in agents} == {"true", "false"}
    claims = {row["id"]: row for row in csv.DictReader((folder / "claim.csv").open(encoding="utf-8"))}
    assert claims["kerman-arrested-32"]["value"] == "32"


def test_a_claim_export_holds_what_the_claim_needs(seeded_url: str) -> None:
    from prov.model import ProvDocument

    document = ProvDocument.deserialize(
        content=export(seeded_url, "--format", "prov-json", "--claim", "backed by the United States"),
        format="json")
    ids = {str(record.identifier) for record in document.get_records() if record.identifier}
    statements = sorted(i for i in ids if i.startswith("statement:"))
    assert statements == ["statement:breitbart-denies-isis-us-backed", "statement:iran-headline-isis-us-backed",
                          "statement:mehr-us-backed-daesh"]
    assert {"agent:government-of-iran", "agent:mehr-news-agency", "agent:breitbart-news",
            "claim:us-brought-down-isis-caliphate"} <= ids


def test_speaker_and_document_scopes(seeded_url: str) -> None:
    speaker = json.loads(export(seeded_url, "--format", "schema-org", "--speaker", "bakhshi"))
    authors = {a["@id"] for node in speaker["@graph"] for a in node.get("author", []) if "@id" in a}
    assert authors == {"urn:provenance:agent:mehdi-bakhshi"}
    doc = "oan-2024-01-04-isis-takes-responsibility"
    annotations = json.loads(export(seeded_url, "--format", "annotations", "--document", doc))
    assert {item["target"]["source"] for item in annotations["first"]["items"]} == {
        f"urn:provenance:document:{doc}"}
    assert annotations["total"] == scalar(seeded_url, f"SELECT COUNT(*) FROM report WHERE document_id = '{doc}'")


@pytest.mark.parametrize("fmt", ["prov-json", "prov-n", "prov-o", "schema-org", "annotations"])
def test_the_same_database_gives_byte_identical_files(seeded_copy: str, tmp_path: Path, fmt: str) -> None:
    """Two fresh processes with different hash seeds: nothing may depend on set order."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.out"
        subprocess.run([sys.executable, "-m", "provenance", "--db", seeded_copy, "export", "--format", fmt,
                        "--out", str(out)], check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] == export(seeded_copy, "--format", fmt).encode("utf-8")


def test_usage_errors(seeded_url: str, tmp_path: Path) -> None:
    both = invoke(seeded_url, "export", "--format", "prov-n", "--claim", "isis-backed-by-us", "--speaker", "bakhshi")
    assert both.exit_code == 2 and "at most one of --claim, --speaker and --document" in both.stderr
    no_folder = invoke(seeded_url, "export", "--format", "csv")
    assert no_folder.exit_code == 2 and "give a folder with --out" in no_folder.stderr
    missing = invoke(seeded_url, "export", "--format", "prov-n", "--document", "no-such-doc")
    assert (missing.exit_code, missing.stdout) == (1, "")
    assert missing.stderr == "Error: no document with id 'no-such-doc'\n"
    folder = invoke(seeded_url, "export", "--format", "prov-json", "--out", str(tmp_path))
    assert folder.exit_code == 1 and "is a folder" in folder.stderr
    assert list(tmp_path.iterdir()) == []
