"""schema.org as JSON-LD: a ``Claim`` for each claim, the documents as ``CreativeWork``, the
agents as ``Person`` / ``Organization``, and each fact-check verdict as a ``ClaimReview``.

A claim's ``author`` is every agent with a statement asserting it; its ``appearance`` every
document carrying a statement on it (asserting, denying or questioning), and
``firstAppearance`` the earliest dated one (then by id). schema.org has no term for a claim
that contradicts another: ``pv:contradicts``, ``pv:supports``, ``pv:refines`` and ``pv:sameAs``
(``urn:provenance:vocab:``) link counter-claims and their kin. Node ids are the
``urn:provenance:<kind>:<id>`` of the PROV export, so the two describe the same things.

The ``@context`` is written inline (no remote document to fetch), and the graph is streamed one
node a line: claims, then documents, agents and verdicts, each in id order.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from sqlalchemy import Date, String, column
from sqlalchemy.engine import Connection

from provenance.queries.chains import collate
from provenance.store.scope import Scope

SCHEMA = "http://schema.org/"
PV = "urn:provenance:vocab:"
CONTEXT: dict[str, Any] = {
    "@vocab": SCHEMA,
    "pv": PV,
    "url": {"@id": SCHEMA + "url", "@type": "@id"},
    "sameAs": {"@id": SCHEMA + "sameAs", "@type": "@id"},
    "datePublished": {"@id": SCHEMA + "datePublished", "@type": SCHEMA + "Date"},
    "pv:contradicts": {"@type": "@id"},
    "pv:supports": {"@type": "@id"},
    "pv:refines": {"@type": "@id"},
    "pv:sameAs": {"@type": "@id"},
}
RELATION_TERMS = {"contradicts": "pv:contradicts", "supports": "pv:supports", "refines": "pv:refines",
                  "same_as": "pv:sameAs"}
PEOPLE = {"person"}


def iso(value: Any) -> Any:
    """Dates as ISO strings; everything else as it is."""
    return value.isoformat() if isinstance(value, dt.date) else value


def node_id(kind: str, identifier: str) -> str:
    """The IRI of a record: ``urn:provenance:claim:isis-backed-by-us``."""
    from provenance.export.provgraph import local

    return f"urn:provenance:{kind}:{local(identifier)}"


def ref(kind: str, identifier: str) -> dict[str, str]:
    """``{"@id": ...}`` of a record."""
    return {"@id": node_id(kind, identifier)}


def write(connection: Connection, scope: Scope, out: TextIO) -> list[str]:
    """Write the JSON-LD document of ``scope`` to ``out``; returns the node counts."""
    out.write('{\n  "@context": ' + json.dumps(CONTEXT, sort_keys=True) + ',\n  "@graph": [')
    counts = {"claims": 0, "documents": 0, "agents": 0, "verdicts": 0}
    written = 0
    for kind, nodes in (("claims", claims(connection, scope)), ("documents", documents(connection, scope)),
                        ("agents", agents(connection, scope)), ("verdicts", verdicts(connection, scope))):
        for node in nodes:
            out.write(",\n    " if written else "\n    ")
            out.write(json.dumps(node, sort_keys=True, ensure_ascii=False))
            written += 1
            counts[kind] += 1
    out.write("\n  ]\n}\n" if written else "]\n}\n")
    return [f"{number} {kind}" for kind, number in counts.items()]


class _Merge:
    """Rows of a stream sorted by ``key``, taken group by group alongside another stream sorted
    the same way (code-point order), so that nothing is held but the current group."""

    def __init__(self, rows: Iterable[dict[str, Any]], key: str) -> None:
        self.rows: Iterator[dict[str, Any]] = iter(rows)
        self.key = key
        self.head = next(self.rows, None)

    def take(self, value: str) -> list[dict[str, Any]]:
        while self.head is not None and self.head[self.key] < value:
            self.head = next(self.rows, None)
        found = []
        while self.head is not None and self.head[self.key] == value:
            found.append(self.head)
            self.head = next(self.rows, None)
        return found


def claims(connection: Connection, scope: Scope) -> Iterator[dict[str, Any]]:
    """A ``Claim`` node per claim, in id order."""
    order = collate(connection, "s.claim_id")
    authors = _Merge(scope.stream(connection, scope.sql(
        "SELECT s.claim_id, s.speaker_id FROM statement s"
        f" WHERE s.stance = 'asserts' AND s.claim_id IS NOT NULL AND {scope.where('statement', 's')}"
        " GROUP BY s.claim_id, s.speaker_id"
        f" ORDER BY {order}, {collate(connection, 's.speaker_id')}"),
        [column("claim_id", String), column("speaker_id", String)]), "claim_id")
    appearances = _Merge(scope.stream(connection, scope.sql(
        "SELECT s.claim_id, r.document_id, d.published FROM report r"
        " JOIN statement s ON s.id = r.statement_id JOIN document d ON d.id = r.document_id"
        f" WHERE s.claim_id IS NOT NULL AND {scope.where('report', 'r')} AND {scope.where('statement', 's')}"
        " GROUP BY s.claim_id, r.document_id, d.published"
        f" ORDER BY {order}, {collate(connection, 'r.document_id')}"),
        [column("claim_id", String), column("document_id", String), column("published", Date)]),
        "claim_id")
    relations = _Merge(scope.rows(connection, "claim_relation"), "claim_id")
    tags = _Merge(scope.rows(connection, "claim_tag"), "claim_id")
    for claim in scope.rows(connection, "claim"):
        node: dict[str, Any] = {
            "@id": node_id("claim", claim["id"]), "@type": "Claim", "identifier": claim["id"],
            "text": claim["text"],
        }
        if claim["about_date"]:
            node["temporalCoverage"] = claim["about_date"].isoformat()
        keywords = [row["tag"] for row in tags.take(claim["id"])]
        if keywords:
            node["keywords"] = keywords
        speakers = [ref("agent", row["speaker_id"]) for row in authors.take(claim["id"])]
        if speakers:
            node["author"] = speakers
        found = appearances.take(claim["id"])
        if found:
            node["appearance"] = [ref("document", row["document_id"]) for row in found]
            dated = [row for row in found if row["published"] is not None]
            if dated:
                first = min(dated, key=lambda row: (row["published"], row["document_id"]))
                node["firstAppearance"] = ref("document", first["document_id"])
        for row in relations.take(claim["id"]):
            node.setdefault(RELATION_TERMS[row["relation"]], []).append(node_id("claim", row["other_id"]))
        yield node


def documents(connection: Connection, scope: Scope) -> Iterator[dict[str, Any]]:
    """A ``CreativeWork`` per document: URL, publisher (its outlet), date, authors."""
    authors = _Merge(scope.rows(connection, "document_author"), "document_id")
    for doc in scope.rows(connection, "document", ["id", "outlet_id", "title", "url", "published",
                                                    "language", "republishes_id"]):
        node: dict[str, Any] = {"@id": node_id("document", doc["id"]), "@type": "CreativeWork",
                                "identifier": doc["id"], "inLanguage": doc["language"]}
        optional = {"headline": doc["title"], "url": doc["url"], "datePublished": iso(doc["published"])}
        node.update({key: value for key, value in optional.items() if value is not None})
        if doc["outlet_id"]:
            node["publisher"] = ref("agent", doc["outlet_id"])
        names = [{"@type": "Person", "name": row["name"]} for row in authors.take(doc["id"])]
        if names:
            node["author"] = names
        if doc["republishes_id"]:
            node["isBasedOn"] = ref("document", doc["republishes_id"])
        yield node


def agents(connection: Connection, scope: Scope) -> Iterator[dict[str, Any]]:
    """A ``Person`` or ``Organization`` per agent, with its aliases and Wikidata item."""
    aliases = _Merge(scope.rows(connection, "agent_alias", ["agent_id", "alias"]), "agent_id")
    for agent in scope.rows(connection, "agent", ["id", "name", "kind", "wikidata"]):
        node: dict[str, Any] = {
            "@id": node_id("agent", agent["id"]),
            "@type": "Person" if agent["kind"] in PEOPLE else "Organization",
            "identifier": agent["id"], "name": agent["name"], "pv:kind": agent["kind"],
        }
        others = [row["alias"] for row in aliases.take(agent["id"]) if row["alias"] != agent["name"]]
        if others:
            node["alternateName"] = others
        if agent["wikidata"]:
            node["sameAs"] = f"https://www.wikidata.org/wiki/{agent['wikidata']}"
        yield node


def verdicts(connection: Connection, scope: Scope) -> Iterator[dict[str, Any]]:
    """A ``ClaimReview`` per fact-check verdict, reviewing its claim."""
    for row in scope.rows(connection, "verdict"):
        rating = {"@type": "Rating", "alternateName": row["rating_alternate_name"],
                  "ratingValue": row["rating_value"], "bestRating": row["best_rating"],
                  "worstRating": row["worst_rating"]}
        node = {
            "@id": node_id("verdict", row["id"]), "@type": "ClaimReview",
            "itemReviewed": ref("claim", row["claim_id"]), "claimReviewed": row["claim_reviewed"],
            "author": ref("agent", row["reviewer_id"]) if row["reviewer_id"]
            else {"@type": "Organization", "name": row["reviewer"]},
            "reviewRating": {key: value for key, value in rating.items() if value is not None},
            "datePublished": iso(row["reviewed_on"]), "url": row["url"],
        }
        yield {key: value for key, value in node.items() if value is not None}
