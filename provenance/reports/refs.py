"""Links from one report to the report of an agent or a document, and statement ids (a draft
marked as such), shared by every report kind."""

from __future__ import annotations

from provenance.reports.gather import Catalog
from provenance.reports.markdown import ident, link, shorten, text
from provenance.reports.paths import Links


def agent_link(catalog: Catalog, links: Links, agent_id: str | None) -> str:
    """The agent's name linked to its report; its bare id when it has none; "" for no agent."""
    if not agent_id:
        return ""
    if agent_id in catalog.agents:
        return link(catalog.agent_name(agent_id), links.speaker(agent_id))
    return text(agent_id)


def document_link(catalog: Catalog, links: Links, document_id: str | None, width: int = 70) -> str:
    """The document's title (shortened to ``width``) linked to its report; "" for no document."""
    if not document_id:
        return ""
    doc = catalog.documents.get(document_id)
    if doc is None:
        return text(document_id)
    return link(shorten(doc["title"] or document_id, width), links.document(document_id))


def statement_ref(catalog: Catalog, statement_id: str) -> str:
    """The statement's id, followed by "(draft)" when nobody has reviewed it yet."""
    statement = catalog.statements.get(statement_id) or {}
    return ident(statement_id) + (" (draft)" if statement.get("review_status") == "draft" else "")
