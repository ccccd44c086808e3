"""The texts ``provenance extract`` drafts from: files on disk (text, markdown, saved HTML),
folders of them, and documents already stored — each with the ``documents:`` entry that makes
its draft self-contained.

A stored document (or a file whose text is stored) is restated whole, text inline, exactly as
the database holds it: loaded where it is stored, that entry changes nothing; loaded into a
fresh database, it creates the document.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from provenance.articles.ingest import SUFFIXES, IngestOptions, read_article, slug
from provenance.datasets import evidence
from provenance.datasets.files import FileProblem, shown_path
from provenance.errors import DatasetError, NotFoundError, Problem


@dataclass
class Source:
    """A text to draft from: a stored document or a file on disk."""

    name: str
    text: str
    file: Path | None = None
    outlet: str | None = None
    stored_id: str | None = None
    html: bool = False
    entry: dict[str, Any] = field(default_factory=dict)  # the stored document's own fields

    @property
    def id(self) -> str:
        """The document id the draft uses: the stored id, or a slug of the file name."""
        return self.stored_id or (self.name if self.file is None else slug(self.name))

    @property
    def is_new(self) -> bool:
        """Whether the text is not stored yet (the draft defines a new document)."""
        return self.file is not None and self.stored_id is None

    def document(self, draft_dir: Path, outlet: str | None) -> dict[str, Any]:
        """The draft's ``documents:`` entry for this text."""
        if not self.is_new:
            return dict(self.entry)
        entry: dict[str, Any] = {"id": self.id}
        if self.html:
            entry["text"] = self.text
        else:
            assert self.file is not None
            entry["file"] = os.path.relpath(self.file, draft_dir).replace(os.sep, "/")
        if outlet:
            entry["outlet"] = outlet
        return entry


def gather_sources(engine: Engine | None, targets: list[str]) -> list[Source]:
    """Files (``.txt``/``.md``/``.html``), directories of them, or ids of stored documents."""
    sources: list[Source] = []
    problems: list[Problem] = []
    stored: list[str] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                problems.append(Problem(target, "", "no .txt, .md or .html files in it"))
        elif path.is_file():
            files = [path]
            if path.suffix.lower() not in SUFFIXES:
                problems.append(Problem(target, "", "not a .txt, .md or .html file"))
                files = []
        else:
            files = []
            stored.append(target)
        for file in files:
            try:
                article = read_article(file, shown_path(file.resolve()), IngestOptions())
            except FileProblem as error:
                problems.append(error.problem)
                continue
            text = article.document.text or ""
            sources.append(Source(name=file.stem, text=text, file=file.resolve(),
                                  html=article.metadata_from == "html"))
    if stored:
        sources.extend(_stored_documents(engine, stored))
    _recognise_stored_texts(engine, sources)
    if problems:
        raise DatasetError(problems)
    return sources


def _entries(engine: Engine, where: Any) -> dict[str, dict[str, Any]]:
    """Stored documents as dataset entries (text inline), keyed by id."""
    from provenance.store.models import Document, DocumentAuthor

    table, authors = Document.__table__, DocumentAuthor.__table__
    entries: dict[str, dict[str, Any]] = {}
    with engine.connect() as connection:
        for row in connection.execute(select(table).where(where)).mappings():
            inferred = [name for name in ("outlet", "published", "authors", "title")
                        if row[f"{name}_inferred"]]
            entry = {"id": row["id"], "text": row["text"], "outlet": row["outlet_id"],
                     "authors": [], "title": row["title"], "url": row["url"],
                     "published": row["published"], "language": row["language"],
                     "republishes": row["republishes_id"], "inferred": inferred}
            entries[row["id"]] = entry
        if entries:
            for doc_id, name in connection.execute(
                select(authors.c.document_id, authors.c.name)
                .where(authors.c.document_id.in_(list(entries))).order_by(authors.c.position)
            ):
                entries[doc_id]["authors"].append(name)
    return {doc_id: {k: v for k, v in entry.items() if v not in (None, [])}
            | {"language": entry["language"]} for doc_id, entry in entries.items()}


def _recognise_stored_texts(engine: Engine | None, sources: list[Source]) -> None:
    """A file whose text is already stored is drafted against that document, not as a new one."""
    files = {evidence.sha256(source.text): source for source in sources if source.file is not None}
    if engine is None or not files:
        return
    from provenance.store.models import Document

    for entry in _entries(engine, Document.__table__.c.sha256.in_(list(files))).values():
        source = files[evidence.sha256(entry["text"])]
        source.stored_id, source.outlet, source.entry = entry["id"], entry.get("outlet"), entry


def _stored_documents(engine: Engine | None, ids: list[str]) -> list[Source]:
    from provenance.store.models import Document

    if engine is None:
        raise NotFoundError(f"no such file, and no database to find document {ids[0]!r} in")
    table = Document.__table__
    found = _entries(engine, table.c.id.in_(ids))
    for doc_id in ids:
        if doc_id not in found:
            from rapidfuzz import process

            with engine.connect() as connection:
                all_ids = [row[0] for row in connection.execute(select(table.c.id))]
            close = [match for match, _, _ in process.extract(doc_id, all_ids, limit=3)]
            raise NotFoundError(f"{doc_id!r} is neither a file nor a stored document", close)
    return [Source(name=doc_id, text=found[doc_id]["text"], outlet=found[doc_id].get("outlet"),
                   stored_id=doc_id, entry=found[doc_id]) for doc_id in ids]
