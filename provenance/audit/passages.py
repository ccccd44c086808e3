"""Rule ``common-source``: two documents sharing a long verbatim passage with no declared link.

**Threshold: 12 consecutive words**, compared after folding case, quotation marks and
apostrophes, and ignoring punctuation and spacing. Chance agreement is far shorter: stock
phrases ("killed by a US drone strike in Baghdad", "death to America and death to Israel") run to
8–9 words, which is the longest overlap between independent articles of the seed corpus, while a
copied quote or wire paragraph runs to 20 words and more (plagiarism detectors use 8–12).

**Method** (winnowing, Schleimer, Wilkerson & Aiken 2003): each text becomes hashes of its
8-word shingles; of every window of 5 consecutive hashes only the smallest is kept. Any shared
run of 5 + 8 − 1 = 12 words is then guaranteed to share a kept hash, at a third of the index
size. Texts are streamed once; kept hashes go into an index (hash → documents), so candidate pairs
come from index hits, never from comparing every pair. Each candidate is verified on the words
themselves and extended to the whole shared passage. A hash found in more than
:data:`MAX_DOCUMENTS` documents is boilerplate ("Leave a Reply ...") and is skipped.

A pair is **not** reported when the two documents are linked: same outlet, a republication link
(``republishes``, in either direction or to a common original), or a citation (a report in one
whose ``via`` chain passes through the other document or the other's outlet). Nor when the
sharing is explained by a third document both share the passage with and one of them declares:
a reprint of the Courier and a paper that copied the Courier share its words, but the finding
is the copier and the Courier, once.
"""

from __future__ import annotations

import itertools
import re
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select

from provenance.audit.chains import fetch_by_ids
from provenance.audit.context import DOCUMENT, AuditContext
from provenance.audit.findings import Finding, Severity, shorten
from provenance.store.chains import as_select, chain_ctes

MIN_WORDS = 12
SHINGLE = 8
WINDOW = MIN_WORDS - SHINGLE + 1
MAX_DOCUMENTS = 50
CACHED_DOCUMENTS = 2048  # documents' words kept while pairs are verified
BATCH = 200  # documents read per query while pairs are verified
PARTS = 16  # hash ranges matched one at a time (memory: a sixteenth of the kept hashes)

_WORD = re.compile(r"\w+(?:['’‘ʼ]\w+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


@dataclass(frozen=True)
class Word:
    """A normalised word and its [start, end) in the original text."""

    norm: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    """The words of ``text``, case- and apostrophe-folded, with their offsets."""
    return [Word(m.group().casefold().translate(_APOSTROPHES), m.start(), m.end())
            for m in _WORD.finditer(text)]


def shingle_hashes(tokens: list[str]) -> list[int]:
    """The hash of every run of :data:`SHINGLE` (8) words, by position: hashes of word pairs, of
    pairs of those, of pairs of those again (three passes of C-level ``map`` over 2-tuples, twice
    as fast as hashing 8-tuples)."""
    pairs = list(map(hash, zip(tokens, tokens[1:], strict=False)))
    fours = list(map(hash, zip(pairs, pairs[2:], strict=False)))
    return list(map(hash, zip(fours, fours[4:], strict=False)))


def fingerprints(tokens: list[str]) -> set[int]:
    """The winnowed hashes of a word list: the smallest of every window of :data:`WINDOW`."""
    hashes = shingle_hashes(tokens)
    if len(hashes) <= WINDOW:
        return {min(hashes)} if hashes else set()
    return set(map(min, *(hashes[k:] for k in range(WINDOW))))


def _norms(text: str) -> list[str]:
    return _WORD.findall(text.casefold().translate(_APOSTROPHES))


def common_sources(context: AuditContext) -> list[Finding]:
    """Pairs of unlinked documents sharing passages of at least :data:`MIN_WORDS` words."""
    scoped = context.documents()
    if scoped is None:
        shared_hashes = _shared_hashes_everywhere(context)
    else:
        in_scope = {row[0] for row in context.connection.execute(scoped)}
        shared_hashes = _shared_hashes_with(context, in_scope)
    if not shared_hashes:
        return []
    seeds = shared_hashes
    declared = _declarations(context, set(seeds))
    needed: dict[str, set[int]] = defaultdict(set)  # per document: the hashes it is checked on
    for (a, b), hashes in seeds.items():
        needed[a] |= hashes
        needed[b] |= hashes
    # Pairs in natural id order ("d-9" before "d-10"): documents written together, which share
    # passages, then sit together and stay cached. (Findings are sorted afterwards.)
    ordered = sorted(seeds, key=lambda pair: (len(pair[0]), pair[0], len(pair[1]), pair[1]))
    tokens = _Documents(context, needed, [doc for pair in ordered for doc in pair])
    shared = {}
    for pair in ordered:
        first, second = tokens(pair[0]), tokens(pair[1])
        passages = _passages(first, second, seeds[pair])
        if passages:
            shared[pair] = _shown(pair, passages, first, second)
    partners: dict[str, set[str]] = defaultdict(set)
    for a, b in shared:
        partners[a].add(b)
        partners[b].add(a)

    def undisclosed(a: str, b: str) -> bool:
        """Neither declares the other, nor a third document both share the passage with."""
        if (a, b) in declared or (b, a) in declared:
            return False
        common = partners[a] & partners[b]
        return not any((a, c) in declared or (b, c) in declared for c in common)

    return [
        _finding(pair, shown) for pair, shown in shared.items()
        if undisclosed(*pair)
    ]


def _shared_hashes_everywhere(context: AuditContext) -> dict[tuple[str, str], set[int]]:
    """Candidate pairs among all documents, with the kept hashes they share.

    Each document's kept hashes are held as a sorted ``array('q')`` (8 bytes a hash, not a dict
    entry and a list), then matched one hash range at a time with C-level set operations, so the
    index never holds more than a slice of the hashes. A hash is paired over the first
    :data:`MAX_DOCUMENTS` + 1 documents having it, in id order, as a streaming index skipping
    hashes already in more than :data:`MAX_DOCUMENTS` documents would.
    """
    ids: list[str] = []
    kept: list[array[int]] = []
    texts = select(DOCUMENT.c.id, DOCUMENT.c.text).order_by(DOCUMENT.c.id)
    for row in context.connection.execute(texts.execution_options(yield_per=500)):
        ids.append(row.id)
        kept.append(array("q", sorted(fingerprints(_norms(row.text)))))
    shared_hashes: dict[tuple[str, str], set[int]] = defaultdict(set)
    step = 2**64 // PARTS
    bounds = [-(2**63) + part * step for part in range(PARTS)] + [2**63]
    for low, high in itertools.pairwise(bounds):
        slices = [values[bisect_left(values, low):bisect_left(values, high)] for values in kept]
        seen: set[int] = set()
        repeated: set[int] = set()
        for values in slices:
            repeated.update(seen.intersection(values))
            seen.update(values)
        del seen
        if not repeated:
            continue
        holders: dict[int, list[int]] = defaultdict(list)
        for ordinal, values in enumerate(slices):
            for value in repeated.intersection(values):
                holders[value].append(ordinal)
        for value, ordinals in holders.items():
            ordinals = ordinals[: MAX_DOCUMENTS + 1]
            for later, second in enumerate(ordinals):
                for first in ordinals[:later]:
                    a, b = ids[first], ids[second]
                    shared_hashes[(a, b) if a < b else (b, a)].add(value)
    return shared_hashes


def _shared_hashes_with(context: AuditContext, in_scope: set[str]) -> dict[tuple[str, str], set[int]]:
    """Candidate pairs of a document in scope and any other document, with their shared hashes."""
    index: dict[int, list[str]] = defaultdict(list)
    shared_hashes: dict[tuple[str, str], set[int]] = defaultdict(set)
    texts = select(DOCUMENT.c.id, DOCUMENT.c.text)
    for row in fetch_by_ids(context.connection, texts, DOCUMENT.c.id, in_scope):
        for value in fingerprints(_norms(row.text)):
            index[value].append(row.id)
    stream = context.connection.execute(texts.order_by(DOCUMENT.c.id).execution_options(yield_per=500))
    for row in stream:
        for value in fingerprints(_norms(row.text)):
            entries = index.get(value)
            if not entries or len(entries) > MAX_DOCUMENTS:
                continue
            for other in entries:
                if other != row.id:
                    shared_hashes[(other, row.id) if other < row.id else (row.id, other)].add(value)
    return shared_hashes


class _Document:
    """A document's text, its normalised words and where each 8-word hash occurs in it."""

    def __init__(self, text: str, needed: set[int]) -> None:
        self.text = text
        # Folding is per character, so folding the words joined by NUL (never in a word) and
        # splitting again folds each word, at C speed.
        found = _WORD.findall(text)
        self.norms = "\0".join(found).casefold().translate(_APOSTROPHES).split("\0") if found else []
        hashes = shingle_hashes(self.norms)
        self.at: dict[int, list[int]] = {}  # where each of the ``needed`` hashes occurs
        for value in needed.intersection(hashes):
            positions = self.at[value] = [hashes.index(value)]
            try:
                while True:
                    positions.append(hashes.index(value, positions[-1] + 1))
            except ValueError:
                pass
        self._spans: list[tuple[int, int]] | None = None

    @property
    def spans(self) -> list[tuple[int, int]]:
        """[start, end) of every word in the text (computed for findings only)."""
        if self._spans is None:
            self._spans = [match.span() for match in _WORD.finditer(self.text)]
        return self._spans


class _Documents:
    """Documents by id, read in batches of :data:`BATCH` in the order they will be asked for and
    kept for the last :data:`CACHED_DOCUMENTS` read (one query per batch, not per document)."""

    def __init__(self, context: AuditContext, needed: dict[str, set[int]], order: list[str]) -> None:
        self.context, self.needed = context, needed
        self.order = list(dict.fromkeys(order))
        self.position = {doc: index for index, doc in enumerate(self.order)}
        self.cache: dict[str, _Document] = {}

    def __call__(self, document_id: str) -> _Document:
        found = self.cache.get(document_id)
        if found is None:
            start = self.position[document_id]
            wanted = [doc for doc in self.order[start : start + BATCH] if doc not in self.cache]
            query = select(DOCUMENT.c.id, DOCUMENT.c.text)
            for row in fetch_by_ids(self.context.connection, query, DOCUMENT.c.id, wanted):
                self.cache[row.id] = _Document(row.text, self.needed[row.id])
            while len(self.cache) > CACHED_DOCUMENTS:
                del self.cache[next(iter(self.cache))]
            found = self.cache[document_id]
        return found


def _passages(first: _Document, second: _Document, hashes: set[int]) -> list[tuple[int, int, int]]:
    """Maximal shared word runs (start in first, start in second, length) of MIN_WORDS or more."""
    a, b = first.norms, second.norms
    at_a, at_b = first.at, second.at
    seeds = {(i, j) for value in hashes for i in at_a.get(value, ()) for j in at_b.get(value, ())}
    runs: set[tuple[int, int, int]] = set()
    for i, j in sorted(seeds):
        if a[i : i + SHINGLE] != b[j : j + SHINGLE]:
            continue  # a hash collision
        while i > 0 and j > 0 and a[i - 1] == b[j - 1]:
            i, j = i - 1, j - 1
        length = SHINGLE
        while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
            length += 1
        if length >= MIN_WORDS:
            runs.add((i, j, length))
    return sorted(runs, key=lambda run: (-run[2], run[0], run[1]))


def _shown(pair: tuple[str, str], passages: list[tuple[int, int, int]], first: _Document,
           second: _Document) -> list[dict[str, Any]]:
    """The passages as evidence: their words, text and [start, end) in each document."""
    text_a, spans_a, spans_b = first.text, first.spans, second.spans
    shown = []
    for i, j, length in passages:
        start_a, end_a = spans_a[i][0], spans_a[i + length - 1][1]
        start_b, end_b = spans_b[j][0], spans_b[j + length - 1][1]
        shown.append({
            "words": length, "text": text_a[start_a:end_a],
            pair[0]: [start_a, end_a], pair[1]: [start_b, end_b],
        })
    return shown


def _finding(pair: tuple[str, str], shown: list[dict[str, Any]]) -> Finding:
    longest = shown[0]
    more = f" and {len(shown) - 1} more passage(s)" if len(shown) > 1 else ""
    message = (
        f"documents {pair[0]} and {pair[1]} share a {longest['words']}-word passage"
        f" «{shorten(longest['text'], 70)}» ({pair[0]} {longest[pair[0]]}, {pair[1]} {longest[pair[1]]})"
        f"{more}, yet neither cites nor republishes the other: likely an undisclosed common source"
    )
    return Finding("common-source", Severity.warning, "document", pair[0], message,
                   {"documents": list(pair), "passages": shown, "min_words": MIN_WORDS})


def _declarations(context: AuditContext, pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Directed links (x, c) among the pairs: x has the same outlet as c, republishes c (or a
    common original), or cites c or c's outlet in a report's via chain."""
    documents = {doc for pair in pairs for doc in pair}
    meta = select(DOCUMENT.c.id, DOCUMENT.c.outlet_id, DOCUMENT.c.republishes_id)
    outlet: dict[str, str | None] = {}
    original: dict[str, str | None] = {}
    for row in context.connection.execute(meta):  # one light row per document
        outlet[row.id], original[row.id] = row.outlet_id, row.republishes_id

    def ancestry(doc: str) -> list[str]:
        line = [doc]
        while original.get(line[-1]) and original[line[-1]] not in line:
            line.append(original[line[-1]])  # type: ignore[arg-type]
        return line

    cites = _citations(context, documents)
    declared = set()
    for a, b in pairs:
        same_outlet = outlet.get(a) is not None and outlet.get(a) == outlet.get(b)
        common_original = ancestry(a)[-1] == ancestry(b)[-1] not in (a, b)  # two copies of one
        if same_outlet or common_original:
            declared.update({(a, b), (b, a)})
        for x, c in ((a, b), (b, a)):
            if c in ancestry(x) or {c, outlet.get(c)} & cites[x]:
                declared.add((x, c))
    return declared


def _citations(context: AuditContext, documents: set[str]) -> dict[str, set[str | None]]:
    """For each document: the reporters and documents its reports' chains pass through."""
    cites: dict[str, set[str | None]] = defaultdict(set)
    starts = "SELECT d.id FROM report d WHERE d.document_id IN :documents AND d.via_id IS NOT NULL"
    query = as_select(
        chain_ctes(starts, routes=False),
        "SELECT s.document_id, x.reporter_id, x.document_id FROM hops h"
        " JOIN report s ON s.id = h.start_id JOIN report x ON x.id = h.report_id WHERE h.hop > 1",
        ["origin_doc", "reporter_id", "document_id"],
    )
    for chunk in _chunks(sorted(documents)):
        chunked = query.bindparams(bindparam("documents", chunk, expanding=True))
        for origin_doc, reporter_id, document_id in context.connection.execute(chunked):
            cites[origin_doc].update({reporter_id, document_id})
    for doc in cites:
        cites[doc].discard(None)
    return cites


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
