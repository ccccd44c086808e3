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

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Text, cast, literal, select

from provenance.audit.chains import fetch_by_ids
from provenance.audit.context import DOCUMENT, MAX_DEPTH, REPORT, SEP, AuditContext, contains
from provenance.audit.findings import Finding, Severity, shorten

MIN_WORDS = 12
SHINGLE = 8
WINDOW = MIN_WORDS - SHINGLE + 1
MAX_DOCUMENTS = 50

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
    """The hash of every run of :data:`SHINGLE` words, by position (built in C: zip and map)."""
    return list(map(hash, zip(*(tokens[k:] for k in range(SHINGLE)), strict=False)))


def fingerprints(tokens: list[str]) -> set[int]:
    """The winnowed hashes of a word list: the smallest of every window of :data:`WINDOW`."""
    hashes = shingle_hashes(tokens)
    if len(hashes) <= WINDOW:
        return {min(hashes)} if hashes else set()
    return set(map(min, zip(*(hashes[k:] for k in range(WINDOW)), strict=False)))


def _norms(text: str) -> list[str]:
    return _WORD.findall(text.casefold().translate(_APOSTROPHES))


def common_sources(context: AuditContext) -> list[Finding]:
    """Pairs of unlinked documents sharing passages of at least :data:`MIN_WORDS` words."""
    scoped = context.documents()
    in_scope = None if scoped is None else {row[0] for row in context.connection.execute(scoped)}
    index: dict[int, list[str]] = defaultdict(list)
    shared_hashes: dict[tuple[str, str], set[int]] = defaultdict(set)
    texts = select(DOCUMENT.c.id, DOCUMENT.c.text)
    if in_scope is not None:
        for row in fetch_by_ids(context.connection, texts, DOCUMENT.c.id, in_scope):
            for value in fingerprints(_norms(row.text)):
                index[value].append(row.id)
    stream = context.connection.execute(texts.order_by(DOCUMENT.c.id).execution_options(yield_per=500))
    for row in stream:
        prints = fingerprints(_norms(row.text))
        for value in prints:
            entries = index.get(value)
            if not entries or len(entries) > MAX_DOCUMENTS:
                continue
            for other in entries:
                if other != row.id:
                    shared_hashes[(other, row.id) if other < row.id else (row.id, other)].add(value)
        if in_scope is None:
            for value in prints:
                index[value].append(row.id)
    del index
    if not shared_hashes:
        return []
    seeds = shared_hashes
    declared = _declarations(context, set(seeds))
    tokens = lru_cache(maxsize=256)(lambda doc: _document_words(context, doc))
    shared = {}
    for pair in sorted(seeds):
        passages = _passages(tokens(pair[0]), tokens(pair[1]), seeds[pair])
        if passages:
            shared[pair] = passages
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
        _finding(context, pair, passages, tokens)
        for pair, passages in shared.items()
        if undisclosed(*pair)
    ]


def _document_words(context: AuditContext, document_id: str) -> tuple[str, list[Word]]:
    text = context.connection.execute(
        select(DOCUMENT.c.text).where(DOCUMENT.c.id == document_id)).scalar_one()
    return text, words(text)


def _passages(first: tuple[str, list[Word]], second: tuple[str, list[Word]],
              hashes: set[int]) -> list[tuple[int, int, int]]:
    """Maximal shared word runs (start in first, start in second, length) of MIN_WORDS or more."""
    a, b = [w.norm for w in first[1]], [w.norm for w in second[1]]
    at_a: dict[int, list[int]] = defaultdict(list)
    for position, value in enumerate(shingle_hashes(a)):
        if value in hashes:
            at_a[value].append(position)
    seeds = {(i, j) for j, value in enumerate(shingle_hashes(b)) for i in at_a.get(value, ())}
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


def _finding(context: AuditContext, pair: tuple[str, str], passages: list[tuple[int, int, int]],
             tokens: Any) -> Finding:
    (text_a, words_a), (_, words_b) = tokens(pair[0]), tokens(pair[1])
    shown = []
    for i, j, length in passages:
        start_a, end_a = words_a[i].start, words_a[i + length - 1].end
        start_b, end_b = words_b[j].start, words_b[j + length - 1].end
        shown.append({
            "words": length, "text": text_a[start_a:end_a],
            pair[0]: [start_a, end_a], pair[1]: [start_b, end_b],
        })
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
    for chunk in _chunks(sorted(documents)):
        anchor = select(
            REPORT.c.document_id.label("origin_doc"), REPORT.c.via_id, literal(0).label("depth"),
            cast(literal(SEP) + REPORT.c.id + literal(SEP), Text).label("path"),
        ).where(REPORT.c.document_id.in_(chunk), REPORT.c.via_id.is_not(None))
        up = anchor.cte("cited", recursive=True)
        hop = REPORT.alias("hop")
        up = up.union_all(
            select(up.c.origin_doc, hop.c.via_id, up.c.depth + 1,
                   cast(up.c.path + hop.c.id + literal(SEP), Text))
            .where(hop.c.id == up.c.via_id, up.c.depth < MAX_DEPTH,
                   ~contains(context.dialect, up.c.path, hop.c.id))
        )
        query = select(up.c.origin_doc, REPORT.c.reporter_id, REPORT.c.document_id).join(
            REPORT, REPORT.c.id == up.c.via_id)
        for row in context.connection.execute(query):
            cites[row.origin_doc].update({row.reporter_id, row.document_id})
    for doc in cites:
        cites[doc].discard(None)
    return cites


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
