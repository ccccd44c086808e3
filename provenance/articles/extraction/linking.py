"""Link tagged runs (SOURCE, CUE, CONTENT) into attributions.

Within a paragraph every content run goes to the nearest cue (a run on the far side of another
cue, or in another sentence, counts as farther); every cue takes the nearest source run. A cue
left without content takes the nearest content run anyway (nested attributions share it:
"X said Y told Z that W"), or the first content of the next paragraph ("He added:" then a
quoted paragraph). Content with no cue in its paragraph continues the previous paragraph's
last attribution (multi-paragraph quotations).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from provenance.articles.extraction.build import mode_of, stance_of
from provenance.articles.extraction.features import Token
from provenance.articles.extraction.lexicon import FORM_TO_LEMMA
from provenance.articles.extraction.text import Sentence
from provenance.articles.extraction.types import Attribution, Span

CROSS_CUE = 40  # extra distance for linking across another cue
CROSS_SENTENCE = 12  # extra distance for linking into another sentence
MAX_SOURCE_DISTANCE = 30
TRIM = " \t\n,;:—–-"


@dataclass
class Run:
    """Consecutive tokens ``[first, last]`` with one role."""

    role: str
    first: int
    last: int


@dataclass
class Linked:
    """A cue run with the runs linked to it."""

    cue: Run
    content: list[Run] = field(default_factory=list)
    source: Run | None = None


def runs(labels: Sequence[str]) -> list[Run]:
    """BIO labels -> runs (an ``I-`` after another role starts a run too)."""
    out: list[Run] = []
    for i, label in enumerate(labels):
        if label == "O":
            continue
        tag, role = label.split("-", 1)
        if tag == "I" and out and out[-1].role == role and out[-1].last == i - 1:
            out[-1].last = i
        else:
            out.append(Run(role, i, i))
    return out


def _distance(a: Run, b: Run, cues: Sequence[Run], toks: Sequence[Token]) -> int:
    if a.last < b.first:
        gap, lo, hi = b.first - a.last, a.last, b.first
    else:
        gap, lo, hi = a.first - b.last, b.last, a.first
    if any(lo < c.first and c.last < hi for c in cues):
        gap += CROSS_CUE
    if toks[a.first].sentence != toks[b.first].sentence:
        gap += CROSS_SENTENCE
    return gap


def link(toks: Sequence[Token], labels: Sequence[str]) -> tuple[list[Linked], list[Run]]:
    """Linked cues of one paragraph, and the content runs no cue took."""
    all_runs = runs(labels)
    cues = [r for r in all_runs if r.role == "cue"]
    contents = [r for r in all_runs if r.role == "content"]
    sources = [r for r in all_runs if r.role == "source"]
    linked = [Linked(c) for c in cues]
    if not linked:
        return [], contents
    for run in contents:
        best = min(linked, key=lambda x: _distance(x.cue, run, cues, toks))
        best.content.append(run)
    for item in linked:
        if not item.content and contents:
            item.content.append(min(contents, key=lambda r: _distance(item.cue, r, cues, toks)))
        # A source is never in a later sentence than its cue ("…, vowing revenge. No group has
        # claimed it": "No group" did not vow).
        earlier = [r for r in sources if toks[r.first].sentence <= toks[item.cue.first].sentence]
        if earlier:
            src = min(earlier, key=lambda r: _distance(item.cue, r, cues, toks))
            if _distance(item.cue, src, cues, toks) <= MAX_SOURCE_DISTANCE:
                item.source = src
    return linked, []


def _span(text: str, toks: Sequence[Token], run: Run) -> Span:
    s, e = toks[run.first].start, toks[run.last].end
    while e - 1 > s and text[e - 1] in TRIM:
        e -= 1
    while s < e - 1 and text[s] in TRIM:
        s += 1
    return Span(s, e)


def _attribution(text: str, toks: Sequence[Token], item: Linked, extra: Sequence[Span],
                 quotes: tuple[tuple[int, int], ...]) -> Attribution:
    content = sorted({_span(text, toks, r) for r in item.content} | set(extra))
    cue = _span(text, toks, item.cue)
    words = text[cue.start : cue.end].lower().split()
    lemma = next((FORM_TO_LEMMA[w] for w in words if w in FORM_TO_LEMMA), "say")
    return Attribution(
        source=(_span(text, toks, item.source),) if item.source else (),
        cue=(cue,),
        content=tuple(content),
        mode=mode_of([(c.start, c.end) for c in content], quotes),
        stance=stance_of(lemma),
    )


def link_paragraphs(
    text: str, sents: Sequence[Sentence], labelled: Sequence[tuple[list[int], list[Token], list[str]]]
) -> list[Attribution]:
    """Attributions of a document from its paragraphs' tokens and labels."""
    paragraphs = [link(toks, labels) for _, toks, labels in labelled]
    extra: list[list[list[Span]]] = [[[] for _ in linked] for linked, _ in paragraphs]
    for k, (linked, orphans) in enumerate(paragraphs):
        toks = labelled[k][1]
        if orphans and k > 0 and paragraphs[k - 1][0]:
            extra[k - 1][-1] += [_span(text, toks, r) for r in orphans]
        for j, item in enumerate(linked):
            if not item.content and k + 1 < len(paragraphs) and paragraphs[k + 1][1]:
                nxt = labelled[k + 1][1]
                extra[k][j].append(_span(text, nxt, paragraphs[k + 1][1][0]))
    out = []
    for k, (linked, _) in enumerate(paragraphs):
        group, toks, _ = labelled[k]
        quotes = tuple(q for i in group for q in sents[i].quotes)
        for j, item in enumerate(linked):
            if item.content or extra[k][j]:
                out.append(_attribution(text, toks, item, extra[k][j], quotes))
    return out
