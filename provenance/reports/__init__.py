"""Markdown provenance reports, generated from the database.

>>> files = build(engine)                                   # doctest: +SKIP
>>> result = generate(engine, Path("reports"))              # doctest: +SKIP

:func:`build` is the data-gathering step (SQL through :mod:`provenance.queries`, the audit once)
followed by pure rendering functions, one module per report kind: :mod:`.claim`, :mod:`.speaker`,
:mod:`.document`, :mod:`.figures`, :mod:`.audit`, :mod:`.index`; :mod:`.markdown` escapes every
value from a source and draws Mermaid flowcharts. The same database gives byte-identical files,
on SQLite and PostgreSQL: rows in code-point order of ids, no timestamps. :func:`generate` writes
them with :func:`~provenance.reports.paths.write_tree` (inside the output directory only; stale
files of a previous full run removed, nothing else).

Layout: ``index.md``, ``figures.md``, ``audit.md``, ``claims/<id>.md``, ``speakers/<id>.md``,
``documents/<id>.md`` (ids that are not clean slugs get a slug plus a hash as file name).

Modules here may import ``provenance.queries``, ``provenance.audit``, ``provenance.store`` and the
top-level shared modules.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from provenance.reports.paths import WriteResult, write_tree
from provenance.store.scope import EVERYTHING, Scope

__all__ = ["Scope", "WriteResult", "build", "generate"]

#: A progress callback: ``progress(done, total, what)``.
Progress = Callable[[int, int, str], None]


def build(engine: Engine, selection: Scope = EVERYTHING, *,
          progress: Progress | None = None) -> dict[str, str]:
    """The reports as ``{relative path: markdown}``: every report, or (``selection``, ids that
    must exist) one claim's, speaker's or document's.

    ``progress(done, total, what)`` is told how the audit goes ("auditing"), then how many of
    the reports are built ("building reports").
    """
    from provenance.audit import run_audit
    from provenance.errors import NotFoundError
    from provenance.reports import audit, claim, document, figures, index, speaker
    from provenance.reports.gather import catalog as read_catalog
    from provenance.reports.gather import link_ids
    from provenance.reports.paths import Links

    # One report needs only the findings about its own subject: the audit can be scoped to it.
    if selection.everything:
        findings = run_audit(engine, progress=progress)
    elif selection.claim is not None:
        findings = run_audit(engine, claim=selection.claim, progress=progress)
    elif selection.document is not None:
        findings = run_audit(engine, document=selection.document, progress=progress)
    else:
        findings = []  # a speaker's report shows no findings
    files: dict[str, str] = {}
    everything = selection.everything
    with engine.connect() as connection:
        catalog = read_catalog(connection, claim=selection.claim, document=selection.document,
                               speaker=selection.speaker)
        for kind, wanted, known in (
            ("claim", selection.claim, catalog.claims),
            ("agent", selection.speaker, catalog.agents),
            ("document", selection.document, catalog.documents),
        ):
            if wanted is not None and wanted not in known:
                raise NotFoundError(f"no {kind} with id {wanted!r}")
        if everything:
            quantity_keys = sorted({c["quantity_key"] for c in catalog.claims.values() if c["quantity_key"]})
            root = Links(catalog.claims, catalog.agents, catalog.documents, quantity_keys)
        else:  # one report: every id is its own file name, or they are named among every id
            ids, quantity_keys = link_ids(connection)
            root = Links(*ids, quantity_keys) if ids is not None else Links.of_slugs(quantity_keys)
            _read_findings_subjects(catalog, findings)
        nested = root.at("../")
        found = audit.index_findings(findings, catalog)
        step = _Steps(progress, len(catalog.claims) + len(catalog.agents) + len(catalog.documents) + 3
                      if everything else 1)
        for claim_id in catalog.claims if everything else [selection.claim] if selection.claim else []:
            data = claim.gather_claim(connection, catalog, claim_id, found.claims.get(claim_id, []))
            files[root.path("claims", claim_id)] = claim.render_claim(data, catalog, nested)
            step()
        for agent_id in catalog.agents if everything else [selection.speaker] if selection.speaker else []:
            agent_data = speaker.gather_speaker(connection, catalog, agent_id)
            files[root.path("speakers", agent_id)] = speaker.render_speaker(agent_data, catalog, nested)
            step()
        for document_id in (catalog.documents if everything
                            else [selection.document] if selection.document else []):
            doc_data = document.gather_document(
                connection, catalog, document_id, found.documents.get(document_id, [])
            )
            path = root.path("documents", document_id)
            files[path] = document.render_document(doc_data, catalog, nested)
            step()
        if everything:
            quantities = figures.gather_figures(connection, found.quantities)
            files["figures.md"] = figures.render_figures(quantities, catalog, root)
            files["audit.md"] = audit.render_audit(findings, catalog, root)
            files["index.md"] = index.render_index(
                index.gather_index(connection, quantities, findings), catalog, root
            )
            step(3)
        connection.rollback()
    return files


def _read_findings_subjects(catalog: Any, findings: list[Any]) -> None:
    """Read at once what the findings of a scoped report link to (their reports' statements,
    their documents), rather than one query each as the report renders them."""
    reports = [f.subject_id for f in findings if f.subject_kind == "report"]
    catalog.report_statement.fill(reports)
    catalog.statements.fill([f.subject_id for f in findings if f.subject_kind == "statement"]
                            + [catalog.report_statement.get(r) for r in reports])
    documents = [f.subject_id for f in findings if f.subject_kind == "document"]
    for finding in findings:
        listed = finding.evidence.get("documents")
        if isinstance(listed, list):
            documents += listed
    catalog.documents.fill(documents)


class _Steps:
    """Counts the reports built, for a progress callback (if any)."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0
        if progress is not None:
            progress(0, total, "building reports")

    def __call__(self, steps: int = 1) -> None:
        self.done += steps
        if self.progress is not None:
            self.progress(self.done, self.total, "building reports")


def generate(engine: Engine, out_dir: Path, selection: Scope = EVERYTHING, *,
             progress: Progress | None = None) -> WriteResult:
    """Build the selected reports and write them under ``out_dir`` (see :func:`build`)."""
    return write_tree(out_dir, build(engine, selection, progress=progress), clean=selection.everything)
