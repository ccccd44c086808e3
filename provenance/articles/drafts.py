"""``provenance extract``: draft statements from raw text, for a person to review and load.

The extractor finds the spans, :mod:`.resolution` reads them as a document (who really said it,
through whom), :mod:`.agents` matches the speakers and intermediaries to known agents, and
:mod:`.linking` matches what they said to known claims. This module writes the result as a
self-contained draft dataset in the format ``provenance load`` reads: the document, the new
agents, the new claims and the statements (``method: extracted``, ``review_status: draft``),
referring to what the database holds by id. Placeholders and anonymous sources are scoped by
document (``unresolved-<document>-he``, ``<document>-anonymous-israeli-official``), so drafts
never collide and one article's anonymous source is never another's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from provenance.articles.agents import KnownAgents, Match, anonymous_of
from provenance.articles.ingest import slug
from provenance.articles.mentions import Mention
from provenance.articles.resolution import Resolved, resolve_document
from provenance.articles.sources import Source, gather_sources
from provenance.datasets import evidence

__all__ = ["DraftRow", "Drafter", "Source", "draft", "gather_sources", "span_records", "to_yaml",
           "write_yaml"]

PROPOSED = "Proposed by provenance extract; check its kind and identity."


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
    claim: str = ""
    claim_score: float | None = None


class Drafter:
    """Agents for the mentions of drafted documents: known ones matched, others proposed."""

    def __init__(self, known: KnownAgents) -> None:
        self.known = known
        self.proposed: dict[str, dict[str, Any]] = {}

    def agent(self, mention: Mention, document: str) -> tuple[str, list[str]]:
        """The agent id for ``mention`` in ``document``, and notes for the reviewer."""
        if not mention.text:
            return self.placeholder("unknown speaker", document, "person"), [
                "speaker not found in the text"]
        stated = self._stated(mention)
        if stated is not None:  # "Iranian officials", "the commander of the Guards in Kerman"
            return stated, []
        if mention.anonymous:
            recorded = anonymous_of(self.known, mention.text, document)
            if recorded:
                return recorded, [f"anonymous source recorded for this document: {recorded}"]
            agent_id = f"{document[:70]}-{mention.kind}-{slug(mention.name)[:40]}"
            self._propose(agent_id, f"{mention.name} (unnamed, in {document})"[:1000], mention.kind,
                          f"An unnamed source of document {document}: {mention.text}. Link it to"
                          " an agent only if you know who it is.")
            return agent_id, []
        if mention.refers_back == "surname":  # named nowhere in full: a known person, or new
            mention = Mention(mention.text, mention.name, mention.role, mention.kind)
        if mention.refers_back:
            return self.placeholder(mention.text, document, mention.kind), [
                f"{mention.text!r} points back to someone the draft could not find; name them"]
        match = self._match(mention)
        if match.id:
            notes = [] if match.confidence >= 1.0 else [
                f"speaker {mention.text!r} matched to {match.id} by {match.method}"
                f" (confidence {match.confidence:.2f})"]
            return match.id, notes
        agent_id = slug(mention.name)[:100]
        # The proposal is the same whatever the article: two drafts of one story proposing the
        # same person must be one record for the loader. What this article says of them (the
        # role, the body they may work for) goes to the statement's note for the reviewer.
        self._propose(agent_id, mention.name, mention.kind, PROPOSED)
        notes = [f"{mention.text!r} could be: " + ", ".join(match.candidates)] if match.candidates else []
        if mention.role and mention.kind == "person":
            employer = self._employer(mention)
            notes.append(f"new agent {agent_id}: role as stated {mention.role!r}"
                         + (f"; add the affiliation works_for {employer} if right" if employer else ""))
        return agent_id, notes

    def names_known(self, words: str) -> bool:
        """Whether ``words`` are a known agent's name or alias ("the intelligence ministry")."""
        return self.known.match(words).method in ("alias", "wikidata")

    def _stated(self, mention: Mention) -> str | None:
        """The known agent whose name or alias is the mention's very words, if any.

        A person who recorded "Iranian officials" as a group's alias has decided who that is:
        those words are not an anonymous source of this document, nor the body the role names.
        """
        for words in dict.fromkeys((mention.text, mention.name)):
            match = self.known.match(words)
            if match.id and match.method in ("alias", "wikidata") and self.known.kinds.get(
                    match.id) not in ("anonymous", "unattributed"):
                return match.id
        return None

    def _match(self, mention: Mention) -> Match:
        named_person = mention.kind == "person" and len(mention.name.split()) >= 2
        # A named person is matched by name only: "Houthi military spokesman Yahya Saree" is
        # not the Houthis.
        for words in (mention.name,) if named_person else (mention.name, mention.text):
            match = self.known.match(words)
            if match.id and self.known.kinds.get(match.id) == "anonymous":
                continue  # anonymous sources belong to their document
            if match.id or match.candidates:
                return match
        return Match(None)

    def _employer(self, mention: Mention) -> str | None:
        """The known body a person's stated role names ("State Department spokesperson")."""
        match = self.known.match(mention.role or "")
        if not match.id or self.known.kinds.get(match.id) == "person" or match.method == "fuzzy":
            return None
        return match.id

    def _propose(self, agent_id: str, name: str, kind: str, description: str) -> None:
        self.proposed.setdefault(agent_id, {"id": agent_id, "name": name, "kind": kind,
                                            "description": description})

    def placeholder(self, words: str, document: str, kind: str) -> str:
        """A stand-in agent, scoped by document, for someone the draft could not name."""
        agent_id = f"unresolved-{document[:70]}-{slug(words)[:40]}"
        self._propose(agent_id, " ".join(words.split()), kind if kind != "anonymous" else "group",
                      "Refers to someone the draft could not name; replace it with the agent meant.")
        return agent_id

    def outlet(self, typed: str) -> str:
        """``--outlet`` as a known agent's id, else a proposed new outlet."""
        match = self.known.match(typed)
        if match.id:
            return match.id
        agent_id = slug(typed)
        self._propose(agent_id, typed if typed != agent_id else typed.replace("-", " ").title(),
                      "outlet", "Proposed by provenance extract for --outlet; check its name.")
        return agent_id


def _excerpt(text: str, item: Resolved) -> tuple[str, int | None]:
    start, end = item.start, item.end
    excerpt = text[start:end].strip()
    start += len(text[start:end]) - len(text[start:end].lstrip())
    unique = len(evidence.occurrences(text, excerpt)) == 1
    return excerpt, None if unique else start


_TRAILING_CUE = re.compile(r",?\s+(he|she|they|it|the \w+)\s+(said|added|says|told \w+)\s*$", re.I)


def claim_text(content: str, speaker: str = "") -> str:
    """A claim's words from an attribution's content: quotes and a trailing "he said" dropped,
    and a leading "it"/"they" (the speaker, in indirect speech) given the speaker's name."""
    words = _TRAILING_CUE.sub("", " ".join(content.split()))
    words = re.sub(r"^that\s+", "", words.strip("“”\"' ,.;:"))
    if speaker:
        words = re.sub(r"^(?:(any |the )?(suggestions?|claims?|reports?) that )?(it|they)\b",
                       lambda m: (m.group(0)[: m.start(3) - m.start(0)] + speaker), words, flags=re.I)
    return words[:1000] or content[:1000]


_WEEKDAY = re.compile(r"\bon (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def said_on_from(excerpt: str, published: Any) -> dt.date | None:
    """The day an excerpt says something was said ("on Thursday"), counted back from the
    document's publication date; None without either."""
    found = _WEEKDAY.search(excerpt)
    if not found or published is None:
        return None
    day = published if isinstance(published, dt.date) else dt.date.fromisoformat(str(published)[:10])
    return day - dt.timedelta(days=(day.weekday() - WEEKDAYS.index(found.group(1))) % 7)


def _quote(item: Resolved) -> str | None:
    if item.mode == "paraphrase":
        return None
    return item.content.strip(" ,.;:").strip("“”\"'‘’ ,") or None


def draft(engine: Engine | None, sources: list[Source], *, draft_dir: Path,
          outlet: str | None = None) -> tuple[dict[str, Any], list[DraftRow]]:
    """The draft dataset (a dict ready for YAML) and the table rows for ``sources``.

    ``outlet`` (an agent id, name or alias; proposed as a new agent when unknown) publishes the
    files drafted; reports of a document with no outlet name a placeholder reporter.
    """
    from provenance.articles.extract import extract_attributions
    from provenance.articles.linking import ClaimLinker

    drafter = Drafter(KnownAgents.load(engine))
    linker = ClaimLinker(engine)
    outlet_id = drafter.outlet(outlet) if outlet else None
    try:
        return _draft(drafter, linker, sources, draft_dir, outlet_id, extract_attributions)
    finally:
        linker.close()


def _draft(drafter: Drafter, linker: Any, sources: list[Source], draft_dir: Path,
           outlet_id: str | None, extract_attributions: Any) -> tuple[dict[str, Any], list[DraftRow]]:
    documents: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    rows: list[DraftRow] = []
    for source in sources:
        documents.append(source.document(draft_dir, outlet_id))
        publisher = source.outlet if not source.is_new else outlet_id
        reporter = None if publisher else drafter.placeholder("outlet", source.id, "outlet")
        items = resolve_document(source.text, extract_attributions(source.text), drafter.names_known)
        linker.read(source.text, source.id)
        for number, item in enumerate(items, start=1):
            notes: list[str] = []
            if item.own_voice and publisher:
                speaker = publisher
            else:
                speaker, notes = drafter.agent(item.speaker, source.id)
            via = [drafter.agent(v, source.id)[0] for v in item.via]
            via = [a for a in dict.fromkeys(via) if a not in (speaker, publisher, reporter)]
            excerpt, start = _excerpt(source.text, item)
            said_on = said_on_from(excerpt, source.entry.get("published"))
            words = claim_text(item.content, item.speaker.name)
            links = linker.link(words, item.stance, f"{source.id[:100]}-c{number}", item.speaker.text)
            for position, link in enumerate(links):
                if link.new_claim:
                    claims.append(link.new_claim)
                report: dict[str, Any] = {"document": source.id, "excerpt": excerpt}
                if reporter:
                    report["reporter"] = reporter
                if start is not None:
                    report["start"] = start
                if via:
                    report["via"] = list(via)
                suffix = "" if position == 0 else f"-{position + 1}"
                statement = {
                    "id": f"{source.id[:100]}-s{number}{suffix}",
                    "speaker": speaker,
                    "speaker_as_stated": (item.stated or None) and item.stated[:1000],
                    "claim": link.claim,
                    "stance": link.stance,
                    "modality": "reported_unattributed" if item.speaker.kind == "unattributed" else None,
                    "hedge": item.stated[:1000] if item.speaker.kind == "unattributed" else None,
                    "cue": item.cue[:1000] or None,
                    "mode": item.mode,
                    "quote": _quote(item),
                    "method": "extracted",
                    "review_status": "draft",
                    "note": "; ".join([*notes, *link.notes]) or None,
                    "reports": [report],
                }
                if len(links) > 1 and link.figure and position < len(links) - 1:
                    statement["note"] = "; ".join(filter(None, [
                        statement["note"], "an earlier figure, revised since: date it"]))
                elif said_on is not None:
                    statement["said_on"], statement["inferred"] = said_on, ["said_on"]
                statements.append({k: v for k, v in statement.items() if v is not None})
                rows.append(DraftRow(source.id, item.cue_start, item.stated, speaker, item.cue,
                                     item.content, ", ".join(via), item.mode, link.stance,
                                     link.claim, link.score))
    dataset: dict[str, Any] = {
        "description": "Draft statements proposed by `provenance extract`;"
        " review every one, then load with `provenance load`."
    }
    if drafter.proposed:
        dataset["agents"] = sorted(drafter.proposed.values(), key=lambda a: a["id"])
    dataset["documents"] = documents
    dataset["claims"] = claims
    dataset["statements"] = statements
    return dataset, rows


def span_records(sources: list[Source]) -> list[dict[str, Any]]:
    """One record per text: ``{"doc": name, "attributions": [{"source": [[s, e]], ...}]}``."""
    from provenance.articles.extract import attributions_to_jsonl_record, extract_attributions

    return [
        attributions_to_jsonl_record(source.name, extract_attributions(source.text)) for source in sources
    ]


def to_yaml(dataset: dict[str, Any]) -> str:
    """The draft as YAML a person can edit: keys in the dataset format's order, texts as blocks."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:  # a reviewer edits each list where it is
            return True

    def text_block(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text_block)
    return yaml.dump(dataset, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_yaml(dataset: dict[str, Any], out: Path) -> None:
    """Write a draft dataset to ``out`` as YAML (its folder created if need be), atomically."""
    import os
    import tempfile

    out.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(to_yaml(dataset))
        os.replace(scratch, out)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
