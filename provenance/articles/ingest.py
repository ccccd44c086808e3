"""``provenance ingest``: register articles (plain text, markdown, saved HTML) as documents.

HTML pages go through trafilatura, which finds the article text and its metadata (title,
author, date, site name); options given by the user override what it finds. The text is stored
with its hash: the same text twice is one document, and a text that is nearly the same as one
already stored is reported as a likely republication of it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select

from provenance.datasets import evidence
from provenance.datasets.files import FileProblem, read_text, shown_path
from provenance.datasets.format import ID_PATTERN, AgentIn, Dataset, DocumentIn
from provenance.errors import DatasetError, Problem
from provenance.names import normalize
from provenance.store import database
from provenance.store.models import Document

SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
SHINGLE_WORDS = 5
REPUBLICATION_CONTAINMENT = 0.8


@dataclass
class IngestOptions:
    """What the user says about the documents, overriding what the files show."""

    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    document_id: str | None = None
    language: str = "en"


@dataclass
class Article:
    """A file read and turned into a document, before it is stored."""

    path: Path
    shown: str
    document: DocumentIn
    metadata_from: str
    site_name: str | None = None


def find_articles(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Text, markdown and HTML files among ``paths`` (directories searched recursively)."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not inside:
                problems.append(Problem(str(path), "", "no .txt, .md or .html files in it"))
            found.extend(inside)
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                problems.append(Problem(str(path), "", "not a .txt, .md or .html file"))
            else:
                found.append(path)
        else:
            problems.append(Problem(str(path), "", "no such file or directory"))
    return list(dict.fromkeys(p.resolve() for p in found)), problems


def slug(text: str, limit: int = 80) -> str:
    """A document id from a file name or title: lowercase ASCII words joined by hyphens."""
    words = normalize(text).split()
    value = "-".join(words)[:limit].strip("-")
    return value or "document"


def _html_article(html: str) -> dict[str, Any]:
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if extracted is None:
        return {}
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    return {key: data.get(key) for key in ("text", "title", "author", "date", "sitename", "url")}


def _first_line_title(text: str, markdown: bool) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if markdown:
            line = line.lstrip("#").strip()
        return line if 0 < len(line) <= 200 else None
    return None


def read_article(path: Path, shown: str, options: IngestOptions) -> Article:
    """Read one file into a document; raises :class:`FileProblem` when it cannot be used."""
    content = read_text(path, shown_as=shown)
    kind = SUFFIXES[path.suffix.lower()]
    found: dict[str, Any] = {}
    inferred: list[str] = []
    if kind == "html":
        found = _html_article(content)
        text = (found.get("text") or "").strip()
        if not text:
            raise FileProblem(Problem(shown, "", "no article text could be found in this HTML page"))
        text += "\n"
    else:
        text = content
        found["title"] = _first_line_title(text, kind == "markdown")
        if found["title"]:
            inferred.append("title")
    published = options.published
    if published is None and found.get("date"):
        try:
            published = dt.date.fromisoformat(str(found["date"])[:10])
        except ValueError:
            published = None
    authors = options.authors or [
        name.strip() for name in re.split(r";|\band\b", found.get("author") or "") if name.strip()
    ]
    title = options.title or found.get("title")
    if options.title:
        inferred = [f for f in inferred if f != "title"]
    document_id = options.document_id or slug(path.stem)
    try:
        document = DocumentIn(
            id=document_id,
            text=text,
            outlet=options.outlet,
            authors=authors,
            title=title,
            url=options.url or found.get("url"),
            published=published,
            language=options.language,
            inferred=inferred,
        )
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field_name = ".".join(str(step) for step in first["loc"])
        raise FileProblem(Problem(shown, field_name, first["msg"])) from None
    return Article(
        path=path, shown=shown, document=document, metadata_from=kind, site_name=found.get("sitename")
    )


def _outlets_from_site_names(engine: Engine, articles: list[Article]) -> None:
    """An HTML page's site name becomes its outlet when it names exactly one known agent."""
    from provenance.store.models import AgentAlias

    wanted = {normalize(a.site_name): a for a in articles if a.site_name and a.document.outlet is None}
    if not wanted:
        return
    alias = AgentAlias.__table__
    with engine.connect() as connection:
        rows = connection.execute(
            select(alias.c.normalized, alias.c.agent_id)
            .where(alias.c.normalized.in_(list(wanted)))
            .distinct()
        ).all()
    matches: dict[str, set[str]] = {}
    for name, agent_id in rows:
        matches.setdefault(name, set()).add(agent_id)
    for article in articles:
        if article.site_name and article.document.outlet is None:
            agents = matches.get(normalize(article.site_name), set())
            if len(agents) == 1:
                article.document.outlet = agents.pop()


def shingles(text: str) -> set[int]:
    """Hashes of every run of five words, on folded text (quotes and spacing ignored)."""
    words = evidence.fold(text).lower().split()
    return {
        hash(" ".join(words[i : i + SHINGLE_WORDS])) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))
    }


def containment(a: set[int], b: set[int]) -> float:
    """How much of the smaller text's passages the other contains (1.0 = all of it)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _resolve_outlet(engine: Engine, options: IngestOptions) -> AgentIn | None:
    """``--outlet`` as the id of the agent it names (id, name or alias, loosely).

    An outlet no agent answers to is proposed as a new agent of kind ``outlet`` (returned, to be
    stored with the documents); review its name and kind later.
    """
    from provenance.articles.agents import KnownAgents

    typed = options.outlet or ""
    match = KnownAgents.load(engine).match(typed)
    if match.id and match.method in ("alias", "wikidata"):
        options.outlet = match.id
        return None
    if match.candidates:
        raise DatasetError([Problem("--outlet", "", f"{typed!r} names several agents: "
                                    + ", ".join(match.candidates) + "; give the id")])
    options.outlet = slug(typed)
    name = typed if typed != options.outlet else typed.replace("-", " ").title()
    return AgentIn(id=options.outlet, name=name, kind="outlet",
                   description="Proposed by provenance ingest for an outlet not yet known;"
                   " check its name and kind.")


#: The columns of :meth:`IngestResult.row`, in the order commands show them.
RESULT_COLUMNS = ["file", "document", "status", "outlet", "published", "title", "chars",
                  "likely_republication_of", "similarity"]


@dataclass
class IngestResult:
    """What happened to one file."""

    file: str
    document: str
    status: str  # new, updated, unchanged, duplicate
    outlet: str | None
    published: dt.date | None
    title: str | None
    chars: int
    likely_republication_of: str | None = None
    similarity: float | None = None
    new_outlet: bool = False

    def row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in RESULT_COLUMNS}


def ingest(
    engine: Engine, paths: list[Path], options: IngestOptions, *, dry_run: bool = False
) -> list[IngestResult]:
    """Register every article under ``paths`` as a document, in one transaction."""
    from provenance.datasets.files import ParsedFile
    from provenance.datasets.loader import load_datasets

    files, problems = find_articles(paths)
    database.ensure_schema(engine)
    new_outlet = _resolve_outlet(engine, options) if options.outlet else None
    if options.document_id and len(files) > 1:
        problems.append(Problem(", ".join(map(str, paths)), "", "--id needs exactly one file"))
    if options.document_id and not re.match(ID_PATTERN, options.document_id):
        problems.append(Problem("--id", "", f"{options.document_id!r} is not a valid id (a lowercase slug)"))
    articles: list[Article] = []
    for path in files:
        shown = shown_path(path)
        try:
            articles.append(read_article(path, shown, options))
        except FileProblem as error:
            problems.append(error.problem)
    if problems:
        raise DatasetError(problems)
    _outlets_from_site_names(engine, articles)
    with engine.connect() as connection:
        table = Document.__table__
        stored = [
            tuple(r)
            for r in connection.execute(select(table.c.id, table.c.sha256, table.c.text, table.c.source))
        ]
    by_hash = {sha: doc_id for doc_id, sha, _, _ in stored}
    sources = {doc_id: source for doc_id, _, _, source in stored}
    stored_shingles = {doc_id: shingles(text) for doc_id, _, text, _ in stored}
    results: list[IngestResult] = []
    to_store: list[ParsedFile] = []
    seen_ids: dict[str, str] = {}
    for article in articles:
        document = article.document
        assert document.text is not None
        sha = evidence.sha256(document.text)
        result = IngestResult(
            file=article.shown,
            document=document.id,
            status="new",
            outlet=document.outlet,
            published=document.published,
            title=document.title,
            chars=len(document.text),
        )
        if sha in by_hash:
            result.document, result.status = (
                by_hash[sha],
                "duplicate" if by_hash[sha] != document.id else "unchanged",
            )
            results.append(result)
            continue
        if document.id in seen_ids:
            problems.append(
                Problem(
                    article.shown,
                    "",
                    f"document id {document.id!r} is also derived from"
                    f" {seen_ids[document.id]}; rename one file or use --id",
                )
            )
            continue
        seen_ids[document.id] = article.shown
        if document.id in sources and sources[document.id] != article.path.as_posix():
            problems.append(
                Problem(
                    article.shown,
                    "",
                    f"document id {document.id!r} is already taken by a"
                    f" document from {sources[document.id]}; choose another with --id",
                )
            )
            continue
        mine = shingles(document.text)
        best = max(
            (
                (containment(mine, theirs), doc_id)
                for doc_id, theirs in stored_shingles.items()
                if doc_id != document.id
            ),
            default=(0.0, None),
        )
        if best[0] >= REPUBLICATION_CONTAINMENT:
            result.likely_republication_of, result.similarity = best[1], round(best[0], 3)
        if document.id in sources:
            result.status = "updated"
        by_hash[sha] = document.id
        stored_shingles[document.id] = mine
        agents = [new_outlet] if new_outlet and document.outlet == new_outlet.id else []
        to_store.append(ParsedFile(path=article.path, shown=article.shown,
                                   dataset=Dataset(agents=agents, documents=[document])))
        if agents:
            result.new_outlet = True
        results.append(result)
    if problems:
        raise DatasetError(problems)
    if to_store:
        load_datasets(engine, to_store, dry_run=dry_run)
    return results
