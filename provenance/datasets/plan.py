"""Turning validated dataset files into the rows a load writes, checking every cross-reference.

Nothing here touches the database: :func:`build_plan` gets what it needs to know about the
database already (:class:`Existing`) and returns rows per table plus every problem found, each
located in its file (``statements[12].reports[0].excerpt``).

A load may come in chunks (a stream of files, planned and written one after another in one
transaction): :class:`LoadState` carries what earlier chunks defined, so that a chunk's
references are checked against "defined earlier in this load, or in the database".
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from provenance.datasets import evidence
from provenance.datasets.citations import StatementReports, find_cycles
from provenance.datasets.files import MAX_TEXT_BYTES, FileProblem, ParsedFile, inside_folder, read_text
from provenance.datasets.format import AgentIn, ClaimIn, Dataset, DocumentIn, StatementIn
from provenance.errors import Problem
from provenance.names import nfc, normalize

KINDS = ("agent", "document", "claim", "statement")


@dataclass
class Existing:
    """What the database holds that one chunk of a load must know about (looked up by id)."""

    records: dict[str, dict[str, tuple[str, str]]] = field(
        default_factory=lambda: {kind: {} for kind in KINDS}
    )  # kind -> id -> (source, checksum), for the ids the chunk defines
    known: dict[str, set[str]] = field(
        default_factory=lambda: {kind: set() for kind in KINDS}
    )  # kind -> ids the chunk refers to that the database holds (and the load keeps)
    stale: dict[str, set[str]] = field(
        default_factory=lambda: {kind: set() for kind in KINDS}
    )  # kind -> ids that the chunk's files used to define and no longer do
    affiliations: list[tuple[str, str]] = field(default_factory=list)
    republishes: dict[str, str] = field(default_factory=dict)
    documents: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # id -> text, outlet
    moved: dict[str, dict[str, str]] = field(
        default_factory=lambda: {kind: {} for kind in KINDS}
    )  # kind -> id -> source, for records stored under the file's old absolute path


@dataclass
class LoadState:
    """What the earlier chunks of one load defined; starts empty, updated by each chunk."""

    defined: dict[str, set[str]] = field(
        default_factory=lambda: {kind: set() for kind in KINDS if kind != "statement"}
    )  # ids that records of this load define (statements are never referred to)
    origin: dict[str, dict[str, int]] = field(
        default_factory=lambda: {kind: {} for kind in KINDS}
    )  # kind -> id -> file number << 32 | index, to name the first definition of a duplicate
    shown: list[str] = field(default_factory=list)  # file number -> its shown path
    sources: set[str] = field(default_factory=set)
    stale: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in KINDS})
    unwritten_texts: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # folded name -> agent id, name


@dataclass
class Record:
    """One top-level record's rows: its own row and its children's, per table."""

    kind: str
    id: str
    source: str
    rows: dict[str, list[dict[str, Any]]]
    checksum: str = ""


@dataclass
class Plan:
    """Everything a load will write, keep and remove."""

    records: dict[str, dict[str, Record]]
    stale: dict[str, set[str]]
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)

    def count(self, kind: str, existing: Existing) -> dict[str, int]:
        known = existing.records[kind]
        new = changed = unchanged = 0
        for record in self.records[kind].values():
            before = known.get(record.id)
            if before is None:
                new += 1
            elif is_unchanged(record, before):
                unchanged += 1
            else:
                changed += 1
        return {"new": new, "changed": changed, "unchanged": unchanged,
                "removed": len(self.stale[kind])}


CHECKSUM_PREFIX = "r1:"


def _checksum(rows: dict[str, list[dict[str, Any]]]) -> str:
    """``r1:`` and the BLAKE2b of the ``repr`` of every row's values, table by table.

    The rows' tables and columns come in a fixed order (this module builds them), so their
    values identify them; ``repr`` is exact for the str, int, float, bool, date and None they
    hold, and several times cheaper than canonical JSON. A document's text is left out: its
    ``sha256`` column stands for it. A change in the row layout changes every checksum, which
    only makes the next load rewrite each record once.
    """
    values = repr([
        [tuple(value for key, value in row.items() if key != "text") for row in table]
        if name == "document" else [tuple(row.values()) for row in table]
        for name, table in rows.items()
    ])
    digest = hashlib.blake2b(values.encode("utf-8", "surrogatepass"), digest_size=20)
    return CHECKSUM_PREFIX + digest.hexdigest()


def _json_checksum(rows: dict[str, list[dict[str, Any]]]) -> str:
    """The checksum before ``r1:``, still found in databases loaded by earlier versions."""
    canonical = json.dumps(rows, sort_keys=True, default=str, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def is_unchanged(record: Record, before: tuple[str, str] | None) -> bool:
    """Whether the database already holds exactly this record (same source, same rows).

    A checksum of the earlier ``sha256:`` kind is compared the old way, so that upgrading does
    not make every record look changed; the record keeps its old checksum until it changes.
    """
    if before is None or before[0] != record.source:
        return False
    if before[1] == record.checksum:
        return True
    return before[1].startswith("sha256:") and before[1] == _json_checksum(record.rows)


class _Builder:
    def __init__(self, files: list[ParsedFile], existing: Existing, adopt: bool = False,
                 state: LoadState | None = None) -> None:
        self.files = files
        self.existing = existing
        self.adopt = adopt
        self.state = state = state if state is not None else LoadState()
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.records: dict[str, dict[str, Record]] = {kind: {} for kind in KINDS}
        self.file_numbers: dict[int, int] = {}
        for file in files:
            self.file_numbers[id(file)] = len(state.shown)
            state.shown.append(file.shown)
        state.sources.update(f.source for f in files)
        self.loaded_sources = state.sources
        for kind in KINDS:
            state.stale[kind].update(existing.stale[kind])
        self.stale = existing.stale
        self.all_stale = state.stale
        # What references may point at: this load's records (earlier chunks and this one, even
        # those with problems, so that their problems are not repeated), then the database's.
        self.defined: dict[str, set[str]] = state.defined
        for kind, defined in state.defined.items():
            defined.update(r.id for f in files for r in self._list(f.dataset, kind))
        self.known = existing.known
        self.texts: dict[str, tuple[str, str | None]] = dict(existing.documents)
        self._own: dict[int, bool] = {}

    @staticmethod
    def _list(dataset: Dataset, kind: str) -> list[Any]:
        return getattr(dataset, kind + "s")

    def add(self, file: ParsedFile, index: int, record: Record) -> bool:
        origin = self.state.origin[record.kind]
        first = origin.get(record.id)
        if first is not None and self._same_as_first(record):
            return True  # two drafts proposing the same agent or document: one record
        if first is not None:
            self.problems.append(file.problem(
                f"{record.kind}s[{index}].id",
                f"duplicate {record.kind} id {record.id!r}; first defined in"
                f" {self.state.shown[first >> 32]} at {record.kind}s[{first & 0xFFFFFFFF}]",
                (record.kind + "s", index, "id"),
            ))
            return False
        origin[record.id] = self.file_numbers[id(file)] << 32 | index
        owner, checksum = self.existing.records[record.kind].get(record.id, (None, None))
        if (owner is not None and owner not in self.loaded_sources and not self.adopt
                and self._adds_own(file) and checksum == _checksum(record.rows)):
            return True  # the very record the database holds: a draft may restate it; owner kept
        if owner is not None and owner not in self.loaded_sources and not self.adopt:
            self.problems.append(file.problem(
                f"{record.kind}s[{index}].id",
                f"{record.kind} {record.id!r} is already defined by {owner}; load both files together,"
                " give this one another id, or pass --adopt to let this file take it over",
                (record.kind + "s", index, "id"),
            ))
            return False
        self.records[record.kind][record.id] = record
        return True

    def _adds_own(self, file: ParsedFile) -> bool:
        """Whether ``file`` defines records of its own beside any it restates.

        A draft restates its document (and agents other drafts proposed) word for word next to
        its own statements: those are shared, not taken over. A file restating only records other
        files define is a moved or copied file, which needs ``--adopt``.
        """
        key = id(file)
        if key not in self._own:
            held = self.existing.records
            self._own[key] = any(record.id not in held[kind]
                                 for kind in KINDS for record in self._list(file.dataset, kind))
        return self._own[key]

    def _same_as_first(self, record: Record) -> bool:
        """Whether ``record`` repeats, row for row, the first definition of its id in this chunk.

        Drafts are self-contained, so two drafts of one story may both propose the same new
        agent (or restate the same document); identical restatements are one record.
        """
        first = self.records[record.kind].get(record.id)
        return first is not None and first.source != record.source and (
            _checksum(first.rows) == _checksum(record.rows))

    def check_ref(
        self, file: ParsedFile, kind: str, ref: str | None, where: str, steps: tuple[Any, ...]
    ) -> bool:
        if ref is None or ref in self.defined[kind] or ref in self.known[kind]:
            return True
        hint = ""
        if ref in self.all_stale[kind]:
            hint = " (it is no longer in the file that defined it)"
        self.problems.append(file.problem(where, f"unknown {kind} {ref!r}{hint}", steps))
        return False

    # -- agents ---------------------------------------------------------------------------
    def agent(self, file: ParsedFile, index: int, agent: AgentIn) -> None:
        base = f"agents[{index}]"
        name = nfc(agent.name)  # composed or decomposed, one name
        aliases = list(dict.fromkeys([name, *map(nfc, agent.aliases)]))
        self._near_duplicate(file, index, agent.id, name)
        affiliations = []
        for position, link in enumerate(agent.affiliations):
            where = f"{base}.affiliations[{position}].to"
            steps = ("agents", index, "affiliations", position, "to")
            if link.to == agent.id:
                self.problems.append(file.problem(where, "an agent cannot be affiliated to itself",
                                                  steps))
                continue
            if self.check_ref(file, "agent", link.to, where, steps):
                affiliations.append({
                    "agent_id": agent.id, "parent_id": link.to, "relation": link.relation,
                    "role": link.role, "since": link.since, "until": link.until,
                })
        rows = {
            "agent": [{
                "id": agent.id, "name": name, "kind": agent.kind, "country": agent.country,
                "description": agent.description, "wikidata": agent.wikidata,
                "state_media": agent.state_media, "ownership": agent.ownership,
            }],
            "agent_alias": [
                {"agent_id": agent.id, "alias": alias, "normalized": normalize(alias)}
                for alias in aliases
            ],
            "affiliation": affiliations,
        }
        self.add(file, index, Record("agent", agent.id, file.source, rows))

    def _near_duplicate(self, file: ParsedFile, index: int, agent_id: str, name: str) -> None:
        """Warn when two agents of the load have names that differ only in case, accents,
        punctuation or Unicode form: lookups by that name would be ambiguous."""
        folded = normalize(name)
        first = self.state.names.setdefault(folded, (agent_id, name))
        if folded and first[0] != agent_id:
            self.warnings.append(file.problem(
                f"agents[{index}].name", f"agent {agent_id!r} is named like agent {first[0]!r}"
                f" ({first[1]!r}); if they are one agent keep one, else tell them apart",
                ("agents", index, "name")))

    # -- documents ------------------------------------------------------------------------
    def document(self, file: ParsedFile, index: int, doc: DocumentIn) -> None:
        base = f"documents[{index}]"
        self.check_ref(file, "agent", doc.outlet, f"{base}.outlet", ("documents", index, "outlet"))
        self.check_ref(file, "document", doc.republishes, f"{base}.republishes",
                       ("documents", index, "republishes"))
        if doc.republishes == doc.id:
            self.problems.append(file.problem(f"{base}.republishes",
                                              "a document cannot republish itself",
                                              ("documents", index, "republishes")))
        if doc.file is not None:
            try:
                text_path = inside_folder(file.folder, file.path.parent, doc.file, shown_as=doc.file)
                text = read_text(text_path, shown_as=doc.file)
            except FileProblem as error:
                self.problems.append(file.problem(
                    f"{base}.file", f"text file {doc.file!r} {error.problem.message}",
                    ("documents", index, "file"),
                ))
                return
        else:
            text = doc.text or ""
            if not text.strip():
                self.problems.append(file.problem(f"{base}.text", "the text is empty",
                                                  ("documents", index, "text")))
                return
            size = len(text.encode("utf-8", "surrogatepass"))
            if size > MAX_TEXT_BYTES:  # the same limit as a text file's
                self.problems.append(file.problem(
                    f"{base}.text", f"the text is too large ({size:,} bytes; the limit is"
                    f" {MAX_TEXT_BYTES:,}); put it in a file", ("documents", index, "text")))
                return
            text = text.removeprefix("\ufeff")
        inferred = set(doc.inferred)
        copies = []
        for position, copy in enumerate(doc.republished_at):
            if self.check_ref(file, "agent", copy.outlet, f"{base}.republished_at[{position}].outlet",
                              ("documents", index, "republished_at", position, "outlet")):
                copies.append({"document_id": doc.id, "url": copy.url, "outlet_id": copy.outlet,
                               "published": copy.published})
        if len({copy["url"] for copy in copies}) != len(copies):
            self.problems.append(file.problem(f"{base}.republished_at", "the same URL twice",
                                              ("documents", index, "republished_at")))
            return
        rows = {
            "document": [{
                "id": doc.id, "outlet_id": doc.outlet, "title": doc.title, "url": doc.url,
                "published": doc.published, "language": doc.language, "text": text,
                "sha256": evidence.sha256(text), "republishes_id": doc.republishes,
                "outlet_inferred": "outlet" in inferred,
                "published_inferred": "published" in inferred,
                "authors_inferred": "authors" in inferred, "title_inferred": "title" in inferred,
                "republishes_url": doc.republishes_url,
            }],
            "document_author": [
                {"document_id": doc.id, "position": position, "name": nfc(name)}
                for position, name in enumerate(doc.authors, start=1)
            ],
            "republication": copies,
        }
        if self.add(file, index, Record("document", doc.id, file.source, rows)):
            self.texts[doc.id] = (text, doc.outlet)

    # -- claims ---------------------------------------------------------------------------
    def claim(self, file: ParsedFile, index: int, claim: ClaimIn) -> None:
        base = f"claims[{index}]"
        relations = []
        seen: set[tuple[str, str]] = set()
        for position, relation in enumerate(claim.relations):
            where = f"{base}.relations[{position}].claim"
            steps = ("claims", index, "relations", position, "claim")
            if relation.claim == claim.id:
                self.problems.append(file.problem(where, "a claim cannot relate to itself", steps))
                continue
            if (relation.claim, relation.relation) in seen:
                self.problems.append(file.problem(
                    where, f"duplicate relation {relation.relation} {relation.claim!r}", steps))
                continue
            seen.add((relation.claim, relation.relation))
            if self.check_ref(file, "claim", relation.claim, where, steps):
                relations.append({"claim_id": claim.id, "other_id": relation.claim,
                                  "relation": relation.relation, "note": relation.note})
        quantity = claim.quantity
        rows = {
            "claim": [{
                "id": claim.id, "text": claim.text,
                "quantity_key": quantity.key if quantity else None,
                "value": quantity.value if quantity else None,
                "qualifier": quantity.qualifier if quantity else None,
                "unit": quantity.unit if quantity else None,
                "about_date": claim.about_date,
            }],
            "claim_tag": [{"claim_id": claim.id, "tag": tag} for tag in dict.fromkeys(claim.tags)],
            "claim_relation": relations,
        }
        self.add(file, index, Record("claim", claim.id, file.source, rows))

    # -- statements -----------------------------------------------------------------------
    def statement(self, file: ParsedFile, index: int, statement: StatementIn) -> None:
        base = f"statements[{index}]"
        steps = ("statements", index)
        self.check_ref(file, "agent", statement.speaker, f"{base}.speaker", (*steps, "speaker"))
        self.check_ref(file, "claim", statement.claim, f"{base}.claim", (*steps, "claim"))
        reports = StatementReports(self, file, index, statement)
        for position, report in enumerate(statement.reports):
            reports.add(position, report)
        reports.link_explicit()
        rows = {
            "statement": [{
                "id": statement.id, "speaker_id": statement.speaker,
                "speaker_as_stated": statement.speaker_as_stated, "claim_id": statement.claim,
                "stance": statement.stance, "cue": statement.cue, "mode": statement.mode,
                "quote": (statement.all_quotes() or [None])[0], "said_on": statement.said_on,
                "said_on_inferred": "said_on" in statement.inferred, "venue": statement.venue,
                "method": statement.method, "review_status": statement.review_status,
                "note": statement.note, "kind": statement.kind, "act": statement.act,
                "about": statement.about, "modality": statement.modality, "hedge": statement.hedge,
            }],
            "report": reports.ordered_rows(),
            "statement_quote": [
                {"statement_id": statement.id, "position": position, "quote": quote}
                for position, quote in enumerate(statement.all_quotes())
            ],
        }
        self.add(file, index, Record("statement", statement.id, file.source, rows))

    def build(self) -> Plan:
        for kind in KINDS:
            handler = getattr(self, kind)
            for file in self.files:
                for index, record in enumerate(self._list(file.dataset, kind)):
                    handler(file, index, record)
        self._check_affiliation_cycles()
        self._check_republish_cycles()
        for records in self.records.values():
            for record in records.values():
                record.checksum = _checksum(record.rows)
        return Plan(self.records, self.stale, self.problems, self.warnings)

    def _origin(self, kind: str, record_id: str) -> tuple[ParsedFile | None, int]:
        """The file of this chunk that defines a record, and its index there."""
        found = self.state.origin[kind].get(record_id)
        if found is None:
            return None, 0
        for file in self.files:
            if self.file_numbers[id(file)] == found >> 32:
                return file, found & 0xFFFFFFFF
        return None, 0

    def _check_affiliation_cycles(self) -> None:
        edges: dict[str, set[str]] = defaultdict(set)
        reloaded = set(self.records["agent"]) | self.stale["agent"]
        for child, parent in self.existing.affiliations:
            if child not in reloaded:
                edges[child].add(parent)
        for record in self.records["agent"].values():
            for row in record.rows["affiliation"]:
                edges[row["agent_id"]].add(row["parent_id"])
        for cycle in find_cycles(edges):
            file, index = self._origin("agent", cycle[0])
            message = "affiliations form a cycle: " + " → ".join([*cycle, cycle[0]])
            if file is not None:
                self.problems.append(file.problem(f"agents[{index}].affiliations", message,
                                                  ("agents", index, "affiliations")))

    def _check_republish_cycles(self) -> None:
        edges: dict[str, set[str]] = defaultdict(set)
        reloaded = set(self.records["document"]) | self.stale["document"]
        for child, parent in self.existing.republishes.items():
            if child not in reloaded:
                edges[child].add(parent)
        for record in self.records["document"].values():
            parent = record.rows["document"][0]["republishes_id"]
            if parent and parent != record.id:
                edges[record.id].add(parent)
        for cycle in find_cycles(edges):
            file, index = self._origin("document", cycle[0])
            if file is not None:
                self.problems.append(file.problem(
                    f"documents[{index}].republishes",
                    "republication forms a cycle: " + " → ".join([*cycle, cycle[0]]),
                    ("documents", index, "republishes")))


def build_plan(files: list[ParsedFile], existing: Existing, *, adopt: bool = False,
               state: LoadState | None = None) -> Plan:
    """Rows for every record in ``files``, checked against each other and the database.

    A record that another, unloaded file defined is refused unless ``adopt`` is true. With
    ``state``, ``files`` are one chunk of a longer load: references may also point at what
    earlier chunks defined, and ``state`` is updated with what this chunk defines.
    """
    return _Builder(files, existing, adopt, state).build()
