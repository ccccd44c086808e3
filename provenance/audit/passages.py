"""Rule ``common-source``: documents sharing a long passage, word for word or nearly, undeclared.

**Threshold: 12 words**, compared after folding case, quotation marks and apostrophes, and
ignoring punctuation and spacing. Chance agreement is far shorter: stock phrases ("killed by a
US drone strike in Baghdad", "death to America and death to Israel") run to 8–9 words, which is
the longest overlap between independent articles of the seed corpus, while a copied quote or
wire paragraph runs to 20 words and more (plagiarism detectors use 8–12).

**Near-duplicates count too**: a passage with 12 identical words or more in which at most one
word in six differs, each differing word alone and followed by at least :data:`RESUME` identical words ("a
senior *scholar* at the Washington Institute *for* Near East Policy" and "a senior *fellow* at
the Washington Institute *of* Near East Policy").

**Method.** The loader stores each text's winnowed fingerprints (:mod:`provenance.store.passages`:
any 12 identical words give both texts a same kept hash). Candidate pairs are one join of
``passage_fingerprint`` on its hash index, skipping a hash held by more than
:data:`MAX_DOCUMENTS` documents (boilerplate: "Leave a Reply ..."); a scoped audit joins only
its own documents' fingerprints. The links below are then looked up for every candidate pair
at once, and each unlinked pair is compared on the words themselves (a linked pair only when it
might explain an unlinked one): every 4-word run the two texts share seeds a passage, extended
both ways across single differing words, so a near-duplicate passage is found in any pair of
documents that share fingerprints (a near-duplicate alone, without 12 identical words, is found
only when one of its identical runs carries a shared kept hash). A database loaded before fingerprints existed
has none: the audit computes the missing ones for its own use (they are not kept; reload to
store them).

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
from collections import OrderedDict, defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import bindparam, exists, func, insert, select, text

from provenance.audit.chains import fetch_by_ids
from provenance.audit.context import DOCUMENT, AuditContext
from provenance.audit.findings import Finding, Severity, shorten
from provenance.store.chains import as_select, chain_ctes
from provenance.store.passages import FINGERPRINT, WORD, fingerprint_rows, fold, numbers, run_hashes

MIN_WORDS = 12
SEED = 4  # identical words that start a passage when a pair is compared
RESUME = 3  # identical words needed after a differing word to carry a passage on
MAX_DOCUMENTS = 50
CACHED_DOCUMENTS = 4096  # documents kept while pairs are compared (about 100 KB each)
BATCH = 200  # documents read per query while pairs are verified
_PARTS = re.compile(f"({WORD.pattern})")


def common_sources(context: AuditContext) -> list[Finding]:
    """Pairs of unlinked documents sharing passages of at least :data:`MIN_WORDS` words.

    The links are looked up first, for every candidate pair (set-based), so that only the pairs
    that could be findings are compared word for word, and a linked pair only when it might
    explain an unlinked one (a third document both share the passage with).
    """
    _add_missing_fingerprints(context)
    pairs = _candidate_pairs(context)
    if not pairs:
        return []
    declared = _declarations(context, pairs)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    # Pairs in natural id order ("d-9" before "d-10"): documents written together, which share
    # passages, then sit together and stay cached. (Findings are sorted afterwards.)
    unlinked = sorted((pair for pair in pairs if pair not in declared and pair[::-1] not in declared),
                      key=lambda pair: (len(pair[0]), pair[0], len(pair[1]), pair[1]))
    documents = _Documents(context, unlinked)
    compared: dict[tuple[str, str], list[tuple[int, int, int, int]]] = {}

    def shared(x: str, y: str) -> list[tuple[int, int, int, int]]:
        """The passages ``x`` and ``y`` share, compared once (in id order)."""
        pair = (x, y) if x < y else (y, x)
        if pair not in compared:
            compared[pair] = _passages(documents.get(pair[0]), documents.get(pair[1]))
        return compared[pair]

    findings = []
    for step, (a, b) in enumerate(unlinked):
        documents.step = step
        passages = shared(a, b)
        if not passages:
            continue
        # Explained by a third document both share the passage with, one of them declaring it.
        thirds = sorted(c for c in neighbours[a] & neighbours[b] if (a, c) in declared or (b, c) in declared)
        if any(shared(a, c) and shared(b, c) for c in thirds):
            continue
        findings.append(_finding((a, b), _shown((a, b), passages, documents.get(a), documents.get(b))))
    return findings


def _add_missing_fingerprints(context: AuditContext) -> None:
    """Fingerprint the documents (in scope) that have none: a database loaded before they
    existed. Written in the audit's own transaction, which is rolled back: they are not kept."""
    missing = select(DOCUMENT.c.id, DOCUMENT.c.text).where(
        ~exists().where(FINGERPRINT.c.document_id == DOCUMENT.c.id))
    missing = context.within(missing, DOCUMENT.c.id, context.documents())
    rows: list[dict[str, Any]] = []
    for row in context.connection.execute(missing).all():
        rows += fingerprint_rows(row.id, row.text)
    if rows:
        context.connection.execute(insert(FINGERPRINT), rows)


def _candidate_pairs(context: AuditContext) -> set[tuple[str, str]]:
    """Pairs of documents (in id order) sharing a kept hash that at most :data:`MAX_DOCUMENTS` hold."""
    scoped = context.documents()
    if scoped is None:
        sql = """
SELECT a.document_id, b.document_id
FROM (SELECT hash FROM passage_fingerprint GROUP BY hash HAVING COUNT(*) BETWEEN 2 AND :most) s
JOIN passage_fingerprint a ON a.hash = s.hash
JOIN passage_fingerprint b ON b.hash = s.hash AND b.document_id > a.document_id"""
        query: Any = text(sql).bindparams(most=MAX_DOCUMENTS)
    else:
        mine, other, held = FINGERPRINT.alias("mine"), FINGERPRINT.alias("other"), FINGERPRINT.alias("held")
        holders = select(func.count()).where(held.c.hash == mine.c.hash).scalar_subquery()
        query = (
            select(mine.c.document_id, other.c.document_id)
            .join(other, (other.c.hash == mine.c.hash) & (other.c.document_id != mine.c.document_id))
            .where(mine.c.document_id.in_(scoped), holders <= MAX_DOCUMENTS)
        )
    pairs = set()
    for a, b in context.connection.execute(query):
        pairs.add((a, b) if a < b else (b, a))
    return pairs


class _Document:
    """A document's text, its normalised words and where each hash of 4 words occurs in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Split on the words (kept): [gap, word, gap, word, ..., gap], the words as WORD finds
        # them; the running sum of the parts' lengths gives their offsets (for findings only).
        self.parts: list[str] | None = _PARTS.split(text)
        self.norms = fold(self.parts[1::2])
        self._ends: array[int] | None = None
        hashes = run_hashes(numbers(self.norms), SEED)
        self.at = dict(zip(hashes, range(len(hashes)), strict=True))  # the last place
        # Kept only when a run repeats (to find its other places): a cached document stays small.
        self.hashes = hashes if len(self.at) < len(hashes) else None

    def positions(self, value: int) -> list[int]:
        """Where the run of 4 words hashed ``value`` starts."""
        last = self.at[value]
        if self.hashes is None or self.hashes.count(value) == 1:
            return [last]
        found = [self.hashes.index(value)]
        while found[-1] != last:
            found.append(self.hashes.index(value, found[-1] + 1))
        return found

    def span(self, first: int, last: int) -> tuple[int, int]:
        """[start, end) in the text of the words ``first`` to ``last`` (inclusive)."""
        if self._ends is None:
            assert self.parts is not None
            self._ends, self.parts = array("q", itertools.accumulate(map(len, self.parts))), None
        # Word k is part 2k + 1: it starts where part 2k ends.
        return self._ends[2 * first], self._ends[2 * last + 1]


class _Documents:
    """The documents of the pairs, read as the pairs are compared: a document not cached is read
    with the next :data:`BATCH` documents the pairs still need (one query per batch, not per
    document), and the :data:`CACHED_DOCUMENTS` last used are kept."""

    def __init__(self, context: AuditContext, ordered: list[tuple[str, str]]) -> None:
        self.context = context
        self.sequence = [doc for pair in ordered for doc in pair]
        self.step = 0  # the pair being compared: where reading ahead starts
        self.cache: OrderedDict[str, _Document] = OrderedDict()

    def get(self, doc: str) -> _Document:
        """The document ``doc``, read (with the next ones needed) if it is not cached."""
        if doc in self.cache:
            self.cache.move_to_end(doc)
        else:
            self._read(doc)
        return self.cache[doc]

    def _read(self, doc: str) -> None:
        wanted: dict[str, None] = {doc: None}
        position = 2 * self.step
        for ahead in itertools.islice(self.sequence, position, position + 8 * BATCH):
            if ahead not in self.cache:
                wanted[ahead] = None
                if len(wanted) == BATCH:
                    break
        query = select(DOCUMENT.c.id, DOCUMENT.c.text)
        for row in fetch_by_ids(self.context.connection, query, DOCUMENT.c.id, wanted):
            self.cache[row.id] = _Document(row.text)
        self.cache.move_to_end(doc)
        while len(self.cache) > CACHED_DOCUMENTS:
            self.cache.popitem(last=False)


def _passages(first: _Document, second: _Document) -> list[tuple[int, int, int, int]]:
    """Shared passages (start in first, start in second, length, differing words) of
    :data:`MIN_WORDS` identical words or more, longest first: each from a shared 4-word run,
    extended both ways."""
    shared = first.at.keys() & second.at.keys()
    if not shared:
        return []
    a, b = first.norms, second.norms
    seeds = sorted((i, j) for value in shared
                   for i in first.positions(value) for j in second.positions(value))
    covered: dict[int, list[tuple[int, int]]] = defaultdict(list)  # per diagonal: spans found
    runs = []
    for i, j in seeds:
        if a[i : i + SEED] != b[j : j + SEED] or any(s <= i < e for s, e in covered[i - j]):
            continue  # a hash collision, or inside a passage already found
        start, end, differ = _extend(a, b, i, j)
        covered[i - j].append((start, end))
        if end - start - differ >= MIN_WORDS and differ * 6 <= end - start:
            runs.append((start, start - (i - j), end - start, differ))
    return sorted(runs, key=lambda run: (-run[2], run[0], run[1]))


def _extend(a: list[str], b: list[str], i: int, j: int) -> tuple[int, int, int]:
    """[start, end) in ``a`` of the passage through the identical run at (i, j) on its diagonal,
    and how many words differ in it: it crosses a differing word only when the next
    :data:`RESUME` words are identical again."""
    offset = j - i
    differ = 0
    end = i + SEED
    while True:
        while end < len(a) and end + offset < len(b) and a[end] == b[end + offset]:
            end += 1
        resume = end + 1
        if (resume + RESUME <= len(a) and resume + offset + RESUME <= len(b)
                and a[resume : resume + RESUME] == b[resume + offset : resume + offset + RESUME]):
            differ, end = differ + 1, resume
            continue
        break
    start = i
    while True:
        while start > 0 and start + offset > 0 and a[start - 1] == b[start - 1 + offset]:
            start -= 1
        resume = start - 1
        if (resume - RESUME >= 0 and resume + offset - RESUME >= 0
                and a[resume - RESUME : resume] == b[resume + offset - RESUME : resume + offset]):
            differ, start = differ + 1, resume - RESUME
            continue
        break
    return start, end, differ


def _shown(pair: tuple[str, str], passages: list[tuple[int, int, int, int]], first: _Document,
           second: _Document) -> list[dict[str, Any]]:
    """The passages as evidence: their words, text and [start, end) in each document."""
    text_a = first.text
    shown = []
    for i, j, length, differ in passages:
        start_a, end_a = first.span(i, i + length - 1)
        start_b, end_b = second.span(j, j + length - 1)
        passage: dict[str, Any] = {
            "words": length, "text": text_a[start_a:end_a],
            pair[0]: [start_a, end_a], pair[1]: [start_b, end_b],
        }
        if differ:  # a near-duplicate: each document's own words
            passage["differing_words"] = differ
            passage["texts"] = {pair[0]: text_a[start_a:end_a], pair[1]: second.text[start_b:end_b]}
        shown.append(passage)
    return shown


def _finding(pair: tuple[str, str], shown: list[dict[str, Any]]) -> Finding:
    longest = shown[0]
    more = f" and {len(shown) - 1} more passage(s)" if len(shown) > 1 else ""
    nearly = f", {longest['differing_words']} word(s) differing" if longest.get("differing_words") else ""
    message = (
        f"documents {pair[0]} and {pair[1]} share a {longest['words']}-word passage{nearly}"
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
