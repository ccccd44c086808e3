"""W3C PROV: the provenance graph through the ``prov`` library, as PROV-JSON, PROV-N or PROV-O.

The mapping (identifiers are ``urn:provenance:<kind>:<id>``; our own terms are ``pv:``):

- every agent is a ``prov:Agent`` (``prov:Person`` or ``prov:Organization``; an anonymous
  source also has ``prov:type pv:AnonymousSource``); an affiliation is ``actedOnBehalfOf``;
- a document is an entity ``wasAttributedTo`` its outlet; a document that republishes another
  ``wasDerivedFrom`` it with ``prov:type pv:Republication``;
- a claim is an entity (``prov:value`` its text), with ``pv:contradicts`` / ``pv:supports`` /
  ``pv:refines`` / ``pv:sameAs`` naming the claims it bears on;
- a statement is an entity ``wasAttributedTo`` its speaker, with ``pv:claim`` and ``pv:stance``;
- a report is an entity ``wasAttributedTo`` its reporter; the report it relies on is the source
  of a ``wasQuotedFrom`` (a direct quote) or a ``wasDerivedFrom`` (otherwise); a first-hand
  report ``hadPrimarySource`` the statement. A report in a document has an excerpt entity
  (``prov:value`` the exact text, ``pv:start`` / ``pv:end`` its offsets) that ``wasQuotedFrom``
  the document, and the report is ``alternateOf`` its excerpt;
- a fact-check verdict is an entity with ``pv:claim`` and its rating, ``wasAttributedTo`` the
  reviewer when the reviewer is a known agent.

Every relation has an identifier (``urn:provenance:relation:<kind>.<id>``), so the RDF has no blank
nodes and the same database always gives the same bytes. The graph is built whole in memory by
the ``prov`` library before it is written.
"""

from __future__ import annotations

import json
from typing import Any, TextIO
from urllib.parse import quote

from sqlalchemy.engine import Connection

from provenance.store.scope import Scope

VOCABULARY = "urn:provenance:vocab:"
KINDS = ("agent", "document", "claim", "statement", "report", "excerpt", "verdict", "relation")
PEOPLE = {"person"}
RELATION_TERMS = {"contradicts": "contradicts", "supports": "supports", "refines": "refines",
                  "same_as": "sameAs"}


def local(identifier: str) -> str:
    """An id made safe as the local part of a qualified name (PROV-N, Turtle) and of a URN:
    percent-encoded but for letters, digits, ``-``, ``.`` and ``_``, so that rdflib finds the
    namespace of every IRI (a ``~`` or ``/`` would make it coin a namespace per IRI, and take
    quadratic time to write Turtle)."""
    return quote(identifier, safe="-._").replace("~", "%7E")  # quote() never encodes "~"


def build(connection: Connection, scope: Scope) -> Any:
    """The ``prov.model.ProvDocument`` of ``scope``, records added in a stable order."""
    from prov.model import ProvDocument

    document = ProvDocument()
    ns = {kind: document.add_namespace(kind, f"urn:provenance:{kind}:") for kind in KINDS}
    ns["pv"] = document.add_namespace("pv", VOCABULARY)
    graph = _Graph(document, ns)
    graph.agents(scope.rows(connection, "agent"), scope.rows(connection, "affiliation"))
    graph.documents(scope.rows(connection, "document"), scope.rows(connection, "document_author"))
    graph.claims(scope.rows(connection, "claim"), scope.rows(connection, "claim_relation"))
    modes = graph.statements(scope.rows(connection, "statement"))
    graph.reports(scope.rows(connection, "report"), modes)
    graph.verdicts(scope.rows(connection, "verdict"))
    return document


def write_json(connection: Connection, scope: Scope, out: TextIO) -> list[str]:
    """PROV-JSON, keys sorted, two-space indent."""
    document = build(connection, scope)
    from prov.serializers.provjson import ProvJSONEncoder

    out.write(json.dumps(document, cls=ProvJSONEncoder, sort_keys=True, indent=2, ensure_ascii=False))
    out.write("\n")
    return _summary(document)


def write_provn(connection: Connection, scope: Scope, out: TextIO) -> list[str]:
    """PROV-N."""
    document = build(connection, scope)
    out.write(document.get_provn())
    out.write("\n")
    return _summary(document)


def write_turtle(connection: Connection, scope: Scope, out: TextIO) -> list[str]:
    """PROV-O in Turtle, through the ``prov`` library's RDF serializer (rdflib)."""
    document = build(connection, scope)
    out.write(document.serialize(format="rdf", rdf_format="turtle"))
    return _summary(document)


def _summary(document: Any) -> list[str]:
    records = list(document.get_records())
    relations = sum(1 for record in records if record.is_relation())
    return [f"{len(records) - relations} elements", f"{relations} relations"]


class _Graph:
    """Adds the rows of each table to a ``ProvDocument`` as PROV records."""

    def __init__(self, document: Any, ns: dict[str, Any]) -> None:
        self.doc = document
        self.ns = ns
        self.pv = ns["pv"]
        self.names: dict[tuple[str, str], Any] = {}

    def qn(self, kind: str, identifier: str) -> Any:
        """The qualified name of a record, made once (agents and claims recur thousands of times)."""
        key = (kind, identifier)
        if key not in self.names:
            self.names[key] = self.ns[kind][local(identifier)]
        return self.names[key]

    def rel(self, *parts: str) -> Any:
        """``relation:attribution.report.<id>``: parts joined by ``.`` (encoded inside them)."""
        return self.ns["relation"][".".join(local(part).replace(".", "%2E") for part in parts)]

    def attrs(self, values: dict[str, Any]) -> list[tuple[Any, Any]]:
        """Attributes without the empty ones, dates as ``xsd:date`` literals."""
        from prov.constants import XSD_DATE
        from prov.model import Literal

        found = []
        for name, value in values.items():
            if value is None or value == []:
                continue
            key = name if name.startswith("prov:") else self.pv[name]
            for item in value if isinstance(value, list) else [value]:
                if hasattr(item, "isoformat"):
                    item = Literal(item.isoformat(), XSD_DATE)
                found.append((key, item))
        return found

    def agents(self, agents: Any, affiliations: Any) -> None:
        from prov.constants import PROV

        for agent in agents:
            types = [PROV["Person"] if agent["kind"] in PEOPLE else PROV["Organization"]]
            if agent["kind"] in ("anonymous", "unattributed"):
                types.append(self.pv["AnonymousSource"])
            self.doc.agent(self.qn("agent", agent["id"]), self.attrs({
                "prov:type": types, "prov:label": agent["name"], "kind": agent["kind"],
                "country": agent["country"], "wikidata": agent["wikidata"],
                "stateMedia": True if agent["state_media"] else None, "ownership": agent["ownership"],
            }))
        for row in affiliations:
            self.doc.actedOnBehalfOf(
                self.qn("agent", row["agent_id"]), self.qn("agent", row["parent_id"]),
                identifier=self.rel("affiliation", row["agent_id"], row["parent_id"]),
                other_attributes=self.attrs({"relation": row["relation"], "role": row["role"],
                                             "since": row["since"], "until": row["until"]}),
            )

    def documents(self, documents: Any, authors: Any) -> None:
        from prov.constants import PROV

        by_document: dict[str, list[str]] = {}
        for author in authors:
            by_document.setdefault(author["document_id"], []).append(author["name"])
        rows = list(documents)
        for row in rows:
            self.doc.entity(self.qn("document", row["id"]), self.attrs({
                "prov:type": self.pv["Document"], "prov:label": row["title"], "url": row["url"],
                "published": row["published"], "language": row["language"], "sha256": row["sha256"],
                "author": by_document.get(row["id"], []),
            }))
        for row in rows:
            if row["outlet_id"]:
                self.doc.wasAttributedTo(self.qn("document", row["id"]), self.qn("agent", row["outlet_id"]),
                                         identifier=self.rel("attribution", "document", row["id"]))
            if row["republishes_id"]:
                self.doc.wasDerivedFrom(
                    self.qn("document", row["id"]), self.qn("document", row["republishes_id"]),
                    identifier=self.rel("republication", row["id"]),
                    other_attributes=[(PROV["type"], self.pv["Republication"])],
                )

    def claims(self, claims: Any, relations: Any) -> None:
        bearing: dict[str, list[tuple[str, Any]]] = {}
        for row in relations:
            bearing.setdefault(row["claim_id"], []).append(
                (RELATION_TERMS[row["relation"]], self.qn("claim", row["other_id"])))
        for row in claims:
            attributes = self.attrs({
                "prov:type": self.pv["Claim"], "prov:value": row["text"],
                "quantity": row["quantity_key"], "figure": row["value"], "qualifier": row["qualifier"],
                "unit": row["unit"], "aboutDate": row["about_date"],
            })
            attributes += [(self.pv[term], other) for term, other in bearing.get(row["id"], [])]
            self.doc.entity(self.qn("claim", row["id"]), attributes)

    def statements(self, statements: Any) -> dict[str, str]:
        modes = {}
        for row in statements:
            modes[row["id"]] = row["mode"]
            self.doc.entity(self.qn("statement", row["id"]), self.attrs({
                "prov:type": self.pv["Statement"],
                "claim": self.qn("claim", row["claim_id"]) if row["claim_id"] else None,
                "stance": row["stance"], "kind": row["kind"], "act": row["act"], "about": row["about"],
                "modality": row["modality"], "hedge": row["hedge"], "mode": row["mode"], "cue": row["cue"],
                "prov:value": row["quote"], "saidOn": row["said_on"],
                "speakerAsStated": row["speaker_as_stated"], "reviewStatus": row["review_status"],
            }))
            self.doc.wasAttributedTo(self.qn("statement", row["id"]), self.qn("agent", row["speaker_id"]),
                                     identifier=self.rel("attribution", "statement", row["id"]))
        return modes

    def reports(self, reports: Any, modes: dict[str, str]) -> None:
        rows = list(reports)
        for row in rows:
            self.doc.entity(self.qn("report", row["id"]), self.attrs({
                "prov:type": self.pv["Report"], "statement": self.qn("statement", row["statement_id"]),
                "document": self.qn("document", row["document_id"]) if row["document_id"] else None,
            }))
            if row["document_id"]:
                self.doc.entity(self.qn("excerpt", row["id"]), self.attrs({
                    "prov:type": self.pv["Excerpt"], "prov:value": row["excerpt"],
                    "start": row["excerpt_start"], "end": row["excerpt_end"],
                    "prefix": row["prefix"], "suffix": row["suffix"],
                }))
        for row in rows:
            report = self.qn("report", row["id"])
            self.doc.wasAttributedTo(report, self.qn("agent", row["reporter_id"]),
                                     identifier=self.rel("attribution", "report", row["id"]))
            if row["via_id"] is None:
                self.doc.hadPrimarySource(report, self.qn("statement", row["statement_id"]),
                                          identifier=self.rel("primary-source", row["id"]))
            elif modes.get(row["statement_id"]) == "direct":
                self.doc.wasQuotedFrom(report, self.qn("report", row["via_id"]),
                                       identifier=self.rel("quotation", row["id"]))
            else:
                self.doc.wasDerivedFrom(report, self.qn("report", row["via_id"]),
                                        identifier=self.rel("derivation", row["id"]))
            if row["document_id"]:
                excerpt = self.qn("excerpt", row["id"])
                self.doc.wasQuotedFrom(excerpt, self.qn("document", row["document_id"]),
                                       identifier=self.rel("excerpt", row["id"]))
                self.doc.alternateOf(report, excerpt)

    def verdicts(self, verdicts: Any) -> None:
        for row in verdicts:
            verdict = self.qn("verdict", row["id"])
            self.doc.entity(verdict, self.attrs({
                "prov:type": self.pv["Verdict"], "prov:label": row["rating_alternate_name"],
                "claim": self.qn("claim", row["claim_id"]), "reviewer": row["reviewer"],
                "ratingValue": row["rating_value"], "bestRating": row["best_rating"],
                "worstRating": row["worst_rating"], "reviewedOn": row["reviewed_on"], "url": row["url"],
                "claimReviewed": row["claim_reviewed"],
            }))
            if row["reviewer_id"]:
                self.doc.wasAttributedTo(verdict, self.qn("agent", row["reviewer_id"]),
                                         identifier=self.rel("attribution", "verdict", row["id"]))
