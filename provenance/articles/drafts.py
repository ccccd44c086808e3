"""``provenance extract``: draft statements from raw text, for a person to review and load.

The extractor (:mod:`provenance.articles.extract`) finds the spans; this module turns them into a draft
dataset in the format ``provenance load`` reads: speakers and intermediaries resolved to known
agents through their names and aliases where possible (else proposed as new agents), one draft
claim per attribution in the words of the text, and statements marked ``method: extracted``
and ``review_status: draft`` whose reports carry the verbatim excerpt.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from provenance.articles.ingest import slug
from provenance.datasets import evidence
from provenance.datasets.files import FileProblem, read_text, shown_path
from provenance.errors import DatasetError, NotFoundError, Problem
from provenance.names import normalize

_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "this", "these", "those"}
_ANONYMOUS = re.compile(
    r"\b(source|sources|official|officials|person|people|aide|aides|insider|insiders|"
    r"diplomat|diplomats|expert|experts|analyst|analysts|observer|observers)\b"
)
_OUTLET_WORDS = re.compile(
    r"\b(agency|news|television|tv|radio|times|post|journal|press|media|channel|outlet)\b"
)
_BODY_WORDS = re.compile(
    r"\b(ministry|council|government|court|parliament|department|office|judiciary|"
    r"guards|corps|army|police|military|authorities|commission)\b"
)


@dataclass
class Source:
    """A text to draft from: a stored document (``file`` None) or a file on disk."""

    name: str
    text: str
    file: Path | None = None
    outlet: str | None = None
    stored_id: str | None = None

    @property
    def id(self) -> str:
        """The document id the draft uses: the stored id, or a slug of the file name."""
        return self.stored_id or (self.name if self.file is None else slug(self.name))

    @property
    def is_new(self) -> bool:
        """Whether the draft must define the document (a file whose text is not stored yet)."""
        return self.file is not None and self.stored_id is None


@dataclass(frozen=True)
class DraftRow:
    """One extracted attribution, as a reviewer's table shows it."""

    document: str
    start: int
    source: str
    speaker: str
    cue: str
    content: str
    via: str
    mode: str
    stance: str


class AgentMatcher:
    """Mentions → agent ids: known agents by alias (longest matching tail), else proposed ones."""

    def __init__(self, aliases: dict[str, set[str]]) -> None:
        self.aliases = aliases
        self.proposed: dict[str, dict[str, Any]] = {}

    def resolve(self, mention: str) -> str | None:
        words = normalize(mention).split()
        while words and words[0] in _DETERMINERS:
            words = words[1:]
        if not words or (len(words) == 1 and words[0] in _PRONOUNS):
            return None
        head = normalize(re.split(r"[,(]", mention, maxsplit=1)[0]).split() or words
        # English noun phrases end in their head: take the known name ending rightmost, longest first.
        for end in range(len(head), 0, -1):
            for start in range(end):
                candidates = self.aliases.get(" ".join(head[start:end]))
                if candidates and len(candidates) == 1:
                    return next(iter(candidates))
        return self._propose(mention, words)

    def _propose(self, mention: str, words: list[str]) -> str:
        if not any(word[:1].isupper() for word in mention.split()[1:]) and mention.split()[0].lower() in (
            "the",
            "this",
            "that",
            "these",
            "those",
        ):
            return self._unresolved(mention)
        agent_id = "-".join(words)[:80].strip("-")
        if agent_id not in self.proposed:
            lowered = " ".join(words)
            if (
                _ANONYMOUS.search(lowered)
                and not mention[:1].isupper()
                or words[0] in {"unnamed", "unidentified"}
            ):
                kind = "anonymous"
            elif _OUTLET_WORDS.search(lowered):
                kind = "news_agency" if "agency" in lowered else "outlet"
            elif _BODY_WORDS.search(lowered):
                kind = "government_body"
            elif mention[:1].isupper() and 2 <= len(words) <= 4:
                kind = "person"
            else:
                kind = "group"
            name = re.sub(r"^(the|a|an)\s+", "", " ".join(mention.split()), flags=re.I)
            self.proposed[agent_id] = {
                "id": agent_id,
                "name": name,
                "kind": kind,
                "description": "Proposed by provenance extract; check kind and identity.",
            }
        return agent_id

    def _unresolved(self, mention: str) -> str:
        """A mention that points back to an earlier one ("the group"): the reviewer must say whom."""
        agent_id = "unresolved-" + slug(mention)[:60]
        self.proposed.setdefault(
            agent_id,
            {
                "id": agent_id,
                "name": " ".join(mention.split()),
                "kind": "group",
                "description": "Refers back to an earlier mention; replace it with the agent meant.",
            },
        )
        return agent_id

    def placeholder_outlet(self) -> str:
        """Who reports a document whose outlet nobody has named yet."""
        agent_id = "unresolved-outlet"
        self.proposed.setdefault(
            agent_id,
            {
                "id": agent_id,
                "name": "the outlet that published it",
                "kind": "outlet",
                "description": "Nobody has said which outlet published the document; name it.",
            },
        )
        return agent_id


def _joined(text: str, spans: tuple[Any, ...]) -> str:
    return " … ".join(" ".join(span.text(text).split()) for span in spans)


def _excerpt(text: str, attribution: Any) -> tuple[str, int | None]:
    spans = attribution.source + attribution.cue + attribution.content + attribution.via
    start = min(span.start for span in spans)
    end = max(span.end for span in spans)
    excerpt = text[start:end].strip()
    start += len(text[start:end]) - len(text[start:end].lstrip())
    unique = len(evidence.occurrences(text, excerpt)) == 1
    return excerpt, None if unique else start


def _quote(text: str, attribution: Any) -> str | None:
    if attribution.mode == "paraphrase":
        return None
    quote = _joined(text, attribution.content).strip(" ,.;:")
    return quote.strip("“”\"'‘’ ,") or None


def draft(
    engine: Engine | None, sources: list[Source], *, draft_dir: Path, outlet: str | None = None
) -> tuple[dict[str, Any], list[DraftRow]]:
    """The draft dataset (a dict ready for YAML) and the table rows for ``sources``.

    ``outlet`` (an agent id) publishes the files drafted; without it, and for stored documents
    without one, reports name a placeholder reporter for the reviewer to replace.
    """
    from provenance.articles.extract import extract_attributions

    agents = AgentMatcher(alias_index(engine))
    documents: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    rows: list[DraftRow] = []
    for source in sources:
        if source.is_new:
            document = {"id": source.id, "file": os.path.relpath(source.file, draft_dir).replace(os.sep, "/")}
            if outlet:
                document["outlet"] = outlet
            documents.append(document)
        reporter = None if (outlet if source.is_new else source.outlet) else agents.placeholder_outlet()
        for number, attribution in enumerate(extract_attributions(source.text), start=1):
            if not attribution.cue or not attribution.content:
                continue
            mention = _joined(source.text, attribution.source)
            speaker = agents.resolve(mention) if mention else None
            via = [
                agent
                for agent in (agents.resolve(_joined(source.text, (s,))) for s in attribution.via)
                if agent
            ]
            speaker = speaker or agents._unresolved(mention or "the unknown speaker")
            via = [agent for agent in via if agent != speaker]
            content = _joined(source.text, attribution.content)
            excerpt, start = _excerpt(source.text, attribution)
            claim_id = f"{source.id[:100]}-c{number}"
            statement_id = f"{source.id[:100]}-s{number}"
            claims.append(
                {"id": claim_id, "text": content.strip("“”\"' ,")[:1000] or content, "tags": ["draft"]}
            )
            report: dict[str, Any] = {"document": source.id, "excerpt": excerpt}
            if reporter:
                report["reporter"] = reporter
            if start is not None:
                report["start"] = start
            if via:
                report["via"] = list(dict.fromkeys(via))
            statement = {
                "id": statement_id,
                "speaker": speaker,
                "speaker_as_stated": mention or None,
                "claim": claim_id,
                "stance": attribution.stance,
                "cue": _joined(source.text, attribution.cue),
                "mode": attribution.mode,
                "quote": _quote(source.text, attribution),
                "method": "extracted",
                "review_status": "draft",
                "reports": [report],
            }
            statements.append({k: v for k, v in statement.items() if v is not None})
            rows.append(
                DraftRow(
                    source.id,
                    min(s.start for s in attribution.cue),
                    mention,
                    speaker,
                    _joined(source.text, attribution.cue),
                    content,
                    ", ".join(via),
                    attribution.mode,
                    attribution.stance,
                )
            )
    dataset: dict[str, Any] = {
        "description": "Draft statements proposed by `provenance extract`;"
        " review every one, then load with `provenance load`."
    }
    if agents.proposed:
        dataset["agents"] = sorted(agents.proposed.values(), key=lambda a: a["id"])
    if documents:
        dataset["documents"] = documents
    dataset["claims"] = claims
    dataset["statements"] = statements
    return dataset, rows


def alias_index(engine: Engine | None) -> dict[str, set[str]]:
    """Every folded alias and the agents it names (none without a database)."""
    if engine is None:
        return {}
    from provenance.store.models import AgentAlias

    table = AgentAlias.__table__
    index: dict[str, set[str]] = {}
    with engine.connect() as connection:
        for normalized, agent_id in connection.execute(select(table.c.normalized, table.c.agent_id)):
            index.setdefault(normalized, set()).add(agent_id)
    return index


def gather_sources(engine: Engine | None, targets: list[str]) -> list[Source]:
    """Files (``.txt``/``.md``), directories of them, or ids of stored documents."""
    sources: list[Source] = []
    problems: list[Problem] = []
    stored: list[str] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".txt", ".md"))
            if not files:
                problems.append(Problem(target, "", "no .txt or .md files in it"))
        elif path.is_file():
            files = [path]
        else:
            files = []
            stored.append(target)
        for file in files:
            try:
                text = read_text(file, shown_as=shown_path(file.resolve()))
            except FileProblem as error:
                problems.append(error.problem)
                continue
            sources.append(Source(name=file.stem, text=text, file=file.resolve()))
    if stored:
        sources.extend(_stored_documents(engine, stored, problems))
    _recognise_stored_texts(engine, sources)
    if problems:
        raise DatasetError(problems)
    return sources


def _recognise_stored_texts(engine: Engine | None, sources: list[Source]) -> None:
    """A file whose text is already stored is drafted against that document, not as a new one."""
    files = {evidence.sha256(source.text): source for source in sources if source.file is not None}
    if engine is None or not files:
        return
    from provenance.store.models import Document

    table = Document.__table__
    with engine.connect() as connection:
        rows = connection.execute(
            select(table.c.sha256, table.c.id, table.c.outlet_id).where(table.c.sha256.in_(list(files)))
        ).all()
    for sha, doc_id, outlet in rows:
        files[sha].stored_id, files[sha].outlet = doc_id, outlet


def _stored_documents(engine: Engine | None, ids: list[str], problems: list[Problem]) -> list[Source]:
    from provenance.store.models import Document

    if engine is None:
        raise NotFoundError(f"no such file, and no database to find document {ids[0]!r} in")
    table = Document.__table__
    with engine.connect() as connection:
        found = {
            row[0]: (row[1], row[2])
            for row in connection.execute(
                select(table.c.id, table.c.text, table.c.outlet_id).where(table.c.id.in_(ids))
            )
        }
        missing = [i for i in ids if i not in found]
        if missing:
            all_ids = [row[0] for row in connection.execute(select(table.c.id))]
    for doc_id in ids:
        if doc_id not in found:
            from rapidfuzz import process

            close = [match for match, _, _ in process.extract(doc_id, all_ids, limit=3)]
            raise NotFoundError(f"{doc_id!r} is neither a file nor a stored document", close)
    return [Source(name=doc_id, text=found[doc_id][0], outlet=found[doc_id][1]) for doc_id in ids]


def span_records(sources: list[Source]) -> list[dict[str, Any]]:
    """One record per text: ``{"doc": name, "attributions": [{"source": [[s, e]], ...}]}``."""
    from provenance.articles.extract import attributions_to_jsonl_record, extract_attributions

    return [
        attributions_to_jsonl_record(source.name, extract_attributions(source.text)) for source in sources
    ]


def to_yaml(dataset: dict[str, Any]) -> str:
    """The draft as YAML a person can edit: keys in the dataset format's order, unicode kept."""
    import yaml

    return yaml.safe_dump(dataset, sort_keys=False, allow_unicode=True, width=100)


def write_yaml(dataset: dict[str, Any], out: Path) -> None:
    """Write a draft dataset to ``out`` as YAML (its folder created if need be)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_yaml(dataset), encoding="utf-8")
