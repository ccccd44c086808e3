"""W3C Web Annotation: the excerpt evidence as an ``AnnotationCollection``, one annotation per
report in a document, so that an annotation client (Hypothesis and others) can re-anchor it.

Each annotation targets its document — the document's URL as ``source`` where we know it,
else ``urn:provenance:document:<id>`` — with a ``TextQuoteSelector`` (``exact``, ``prefix``,
``suffix``) and a ``TextPositionSelector`` (``start``, ``end``: ``[start, end)`` offsets in code
points, as the model requires, into the text as stored). Its bodies say what the passage
carries (speaker, stance, claim, reporter, chain) and link the statement, the claim and the
report by their ``urn:provenance:`` ids. The motivation is ``describing``.

The collection is written as one page, streamed annotation by annotation in report-id order;
its ``@context`` is the Web Annotation context ``http://www.w3.org/ns/anno.jsonld``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import Integer, String, Text, column, text
from sqlalchemy.engine import Connection

from provenance.export.schemaorg import node_id
from provenance.queries.chains import collate
from provenance.store.scope import Scope

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
COLLECTION_ID = "urn:provenance:annotations"
COLUMNS = [
    column("report", String), column("document", String), column("url", String),
    column("exact", Text), column("start", Integer), column("end_", Integer), column("prefix", Text),
    column("suffix", Text), column("statement", String), column("claim", String),
    column("claim_text", Text), column("speaker", String), column("stance", String),
    column("reporter", String), column("via", String),
]


def write(connection: Connection, scope: Scope, out: TextIO) -> list[str]:
    """Write the annotation collection of ``scope`` to ``out``; returns the count."""
    total = connection.execute(text(scope.sql(
        f"SELECT COUNT(*) FROM report r WHERE r.document_id IS NOT NULL AND {scope.where('report', 'r')}"
    )), scope.params).scalar_one()
    head = {"@context": CONTEXT, "id": COLLECTION_ID, "type": "AnnotationCollection",
            "label": "Excerpt evidence of provenance reports", "total": total}
    out.write(json.dumps(head, ensure_ascii=False)[:-1])
    out.write(', "first": {"id": "' + COLLECTION_ID + ':page:1", "type": "AnnotationPage",'
              ' "startIndex": 0, "items": [')
    written = 0
    for item in annotations(connection, scope):
        out.write(",\n  " if written else "\n  ")
        out.write(json.dumps(item, sort_keys=True, ensure_ascii=False))
        written += 1
    out.write("\n]}}\n" if written else "]}}\n")
    return [f"{written} annotations"]


def annotations(connection: Connection, scope: Scope) -> Iterator[dict[str, Any]]:
    """One annotation per report in a document, in report-id order."""
    sql = scope.sql(f"""
SELECT r.id, r.document_id, d.url, r.excerpt, r.excerpt_start, r.excerpt_end, r.prefix, r.suffix,
       s.id, c.id, COALESCE(c.text, s.about, ''), sp.name,
       CASE WHEN s.kind = 'expressive' THEN s.act ELSE s.stance END, rep.name, va.name
FROM report r
JOIN document d ON d.id = r.document_id
JOIN statement s ON s.id = r.statement_id
LEFT JOIN claim c ON c.id = s.claim_id
JOIN agent sp ON sp.id = s.speaker_id
JOIN agent rep ON rep.id = r.reporter_id
LEFT JOIN report v ON v.id = r.via_id
LEFT JOIN agent va ON va.id = v.reporter_id
WHERE {scope.where('report', 'r')}
ORDER BY {collate(connection, 'r.id')}""")
    for row in scope.stream(connection, sql, COLUMNS):
        yield annotation(row)


def annotation(row: dict[str, Any]) -> dict[str, Any]:
    """The annotation of one report (a row of :func:`annotations`)."""
    source = row["url"] or node_id("document", row["document"])
    quote = {"type": "TextQuoteSelector", "exact": row["exact"], "prefix": row["prefix"] or "",
             "suffix": row["suffix"] or ""}
    position = {"type": "TextPositionSelector", "start": row["start"], "end": row["end_"]}
    how = f"relying on {row['via']}" if row["via"] else "first-hand"
    description = (f"{row['reporter']} reports ({how}) that {row['speaker']} {row['stance']}:"
                   f" {row['claim_text']}")
    return {
        "id": node_id("annotation", row["report"]),
        "type": "Annotation",
        "motivation": "describing",
        "body": [
            {"type": "TextualBody", "purpose": "describing", "format": "text/plain", "language": "en",
             "value": description},
            {"id": node_id("statement", row["statement"]), "purpose": "linking"},
            *([{"id": node_id("claim", row["claim"]), "purpose": "linking"}] if row["claim"] else []),
            {"id": node_id("report", row["report"]), "purpose": "identifying"},
        ],
        "target": {"source": source, "selector": [quote, position]},
    }
