"""Rule ``evidence``: excerpts no longer at their recorded place, texts no longer matching their hash.

Misplaced excerpts are found in SQL (``substr`` counts characters on both SQLite and
PostgreSQL, as Python offsets do); only those few are then re-anchored in Python. Content hashes
have no portable SQL function, so document texts are streamed and hashed in Python. (An
excerpt edited in place is caught by the position check; its own hash adds nothing to it.)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from provenance.audit.context import DOCUMENT, REPORT, AuditContext
from provenance.audit.findings import Finding, Severity, shorten
from provenance.datasets import evidence

RULE = "evidence"


def check(context: AuditContext) -> list[Finding]:
    """Misplaced or edited excerpts, and documents whose text no longer matches its hash."""
    return _excerpts(context) + _hashes(context)


def _excerpts(context: AuditContext) -> list[Finding]:
    length = REPORT.c.excerpt_end - REPORT.c.excerpt_start
    at_place = func.substr(DOCUMENT.c.text, REPORT.c.excerpt_start + 1, length)
    query = (
        select(
            REPORT.c.id, REPORT.c.statement_id, REPORT.c.document_id, REPORT.c.excerpt,
            REPORT.c.excerpt_start, REPORT.c.excerpt_end, REPORT.c.prefix, REPORT.c.suffix,
            at_place.label("found"), DOCUMENT.c.text,
        )
        .join(DOCUMENT, DOCUMENT.c.id == REPORT.c.document_id)
        .where(REPORT.c.excerpt.is_not(None), (at_place != REPORT.c.excerpt) | at_place.is_(None))
    )
    query = context.within(query, REPORT.c.id, context.reports())
    findings = []
    for row in context.connection.execute(query):
        findings.append(_misplaced(row._mapping))
    return findings


def _misplaced(row: Any) -> Finding:
    text: str = row["text"]
    excerpt: str = row["excerpt"]
    start, end = row["excerpt_start"], row["excerpt_end"]
    offsets = evidence.occurrences(text, excerpt)
    candidates = [
        offset for offset in offsets
        if text[:offset].endswith(row["prefix"] or "") and text[offset + len(excerpt):].startswith(
            row["suffix"] or "")
    ]
    if len(offsets) == 1:
        remedy = f"it occurs once elsewhere, at [{offsets[0]}, {offsets[0] + len(excerpt)}): re-anchor there"
        reanchor: int | None = offsets[0]
    elif len(candidates) == 1:
        remedy = (f"it occurs {len(offsets)} times; its prefix and suffix pick offset {candidates[0]}:"
                  " re-anchor there")
        reanchor = candidates[0]
    elif offsets:
        remedy = (f"it occurs {len(offsets)} times and its prefix/suffix do not pick one:"
                  " re-anchor it by hand")
        reanchor = None
    else:
        folded = evidence.fold(excerpt).strip()
        near = bool(folded) and folded in evidence.fold(text)
        remedy = ("it is no longer in the text exactly (it matches only if quotes, dashes or spaces"
                  " are ignored)" if near else "it is no longer anywhere in the text")
        reanchor = None
    message = (f"excerpt «{shorten(excerpt, 60)}» is not at [{start}, {end}) of document"
               f" {row['document_id']}; {remedy}")
    return Finding(
        RULE, Severity.error, "report", row["id"], message,
        {
            "problem": "excerpt-moved",
            "statement": row["statement_id"],
            "document": row["document_id"],
            "excerpt": excerpt,
            "start": start,
            "end": end,
            "text_at_place": row["found"],
            "occurrences": offsets[:20],
            "reanchor_at": reanchor,
        },
    )


def _hashes(context: AuditContext) -> list[Finding]:
    query = select(DOCUMENT.c.id, DOCUMENT.c.text, DOCUMENT.c.sha256)
    query = context.within(query, DOCUMENT.c.id, context.documents())
    findings = []
    for row in context.connection.execute(query.execution_options(yield_per=200)):
        actual = evidence.sha256(row.text)
        if actual != row.sha256:
            findings.append(Finding(
                RULE, Severity.error, "document", row.id,
                f"the text of document {row.id} no longer matches its stored hash: it was changed"
                " after loading; check its excerpts and reload it",
                {"problem": "text-hash", "stored": row.sha256, "actual": actual,
                 "length": len(row.text)},
            ))
    return findings
