"""The trained extractor: a CRF tags SOURCE / CUE / CONTENT, links them, keeps the rules' chains.

Each paragraph is one sequence; every token gets a BIO label (``B-cue``, ``I-content``, ...,
``O``) from a linear-chain CRF (python-crfsuite) over the features of ``features.py``, which
include the role the rules gave the token. Runs of labels are linked into attributions
(``linking.py``). Where the rules find an intermediary ("Mehr quoted Bakhshi as saying", "X told
the agency IRNA"), their attribution replaces the tagger's one at that cue, so ``via`` chains
survive; where the tagger found no source, the rules' source at the same cue is used.

The model (``crf.model``, beside this module) is loaded once, on first use, so commands that do
not extract never import crfsuite.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from provenance.articles.extraction.features import paragraph_features, paragraph_tokens, rule_roles
from provenance.articles.extraction.learned import learned_attribution
from provenance.articles.extraction.linking import link_paragraphs
from provenance.articles.extraction.rules import extract_attributions as legacy_attributions
from provenance.articles.extraction.rules import rule_attributions
from provenance.articles.extraction.text import Sentence
from provenance.articles.extraction.types import Attribution

CRF_MODEL_PATH = Path(__file__).resolve().parent / "crf.model"
HEADLINE_WORDS = 20
CUE_MARGINAL = 0.5  # chosen on polnear-dev (0.45-0.6 within 0.004 attribution F1)


@lru_cache(maxsize=4)
def load_tagger(path: str = str(CRF_MODEL_PATH)) -> Any:
    """A ``pycrfsuite.Tagger`` opened on the model file (cached), or None when it is missing."""
    if not Path(path).is_file():
        return None
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


def is_headline(text: str, sents: list[Sentence]) -> bool:
    """A short paragraph that does not end like a sentence (a title or a lead-in)."""
    last = sents[-1]
    return len(sents) == 1 and len(text[last.start : last.end].split()) <= HEADLINE_WORDS and (
        text[last.end - 1] not in ".!?”\""
    )


def group_paragraphs(sents: list[Sentence]) -> list[list[int]]:
    """Indices of the sentences of each paragraph, in order."""
    groups: list[list[int]] = []
    for i, sent in enumerate(sents):
        if groups and sents[groups[-1][-1]].paragraph == sent.paragraph:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def document_sequences(text: str) -> tuple[list[Sentence], list[list[Attribution]], list[tuple]]:
    """Sentences, the rules' attributions per sentence, and one ``(sentence indices, tokens,
    features)`` triple per paragraph."""
    sents, found, _ = rule_attributions(text)
    sequences = []
    for group in group_paragraphs(sents):
        psents = [sents[i] for i in group]
        toks = paragraph_tokens(text, psents)
        if not toks:
            continue
        rules = [a for i in group for a in found[i]]
        feats = paragraph_features(toks, rule_roles(toks, rules), is_headline(text, psents))
        sequences.append((group, toks, feats))
    return sents, found, sequences


def merge_rules(tagged: list[Attribution], rules: list[Attribution],
                sents: Sequence[Sentence] = ()) -> list[Attribution]:
    """Keep the rules' intermediary chains, their source where the tagger found none, and the
    rules' attributions at cues the tagger did not label at all (news paragraphs of a single
    "X said on Thursday that ..." sentence, which the tagger can miss). With the document's
    ``sents``, content the tagger took from another sentence or paragraph gives way to the rules'
    (:func:`_without_others_content`, :func:`_content_in_its_sentence`)."""
    chains = [r for r in rules if r.via]
    unseen = [r for r in rules if not r.via and r.source and r.content
              and not any(_overlap(a.cue, r.cue) for a in tagged)]
    chains += unseen
    where = _Places(sents)
    out = []
    for a in tagged:
        if any(_overlap(a.cue, r.cue) for r in chains):
            continue
        if sents:
            a = _without_others_content(a, chains, where)
            if not a.content:
                continue
            a = _content_in_its_sentence(a, rules, where)
        if not a.source:
            same = [r for r in rules if r.source and _overlap(a.cue, r.cue)]
            if same:
                a = replace(a, source=same[0].source)
        out.append(a)
    return out + chains


class _Places:
    """Which sentence, and which paragraph, an offset of the document lies in."""

    def __init__(self, sents: Sequence[Sentence]) -> None:
        self.sents, self.starts = sents, [sent.start for sent in sents]

    def sentence(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def paragraph(self, offset: int) -> tuple[int, int]:
        return self.sents[self.sentence(offset)].paragraph


def _without_others_content(a: Attribution, rules: list[Attribution], where: _Places) -> Attribution:
    """``a`` without content in another paragraph than its cue that a rules attribution of
    another cue owns.

    The tagger continues a paragraph's attribution into the next paragraph's quotation when it
    tags no cue there; when the rules found that quotation's own cue ('"…," state media quoted
    an official as saying'), the quotation is not the earlier speaker's.
    """
    home = where.paragraph(a.cue[0].start)
    owned = [r for r in rules if not _overlap(a.cue, r.cue)]
    kept = tuple(c for c in a.content if where.paragraph(c.start) == home
                 or not any(_overlap((c,), r.content) for r in owned))
    return a if kept == a.content else replace(a, content=kept)


def _content_in_its_sentence(a: Attribution, rules: list[Attribution], where: _Places) -> Attribution:
    """The rules' content at the same cue when the tagger took content from another sentence
    only ("According to IRINN, a state channel, the first blast was …. Vahidi confirmed that
    …": the tagger gave IRINN Vahidi's words)."""
    home = where.sentence(a.cue[0].start)
    if all(where.sentence(c.start) != home for c in a.content):
        same = [r for r in rules
                if r.content and _overlap(a.cue, r.cue) and not _overlap(a.content, r.content)]
        if same:
            return replace(a, content=same[0].content)
    return a


def _overlap(a: tuple, b: tuple) -> bool:
    return any(x.start < y.end and y.start < x.end for x in a for y in b)


def _tag(tagger: Any, feats: list[list[str]]) -> tuple[list[str], list[float]]:
    """Best labels, and each token's marginal probability of being part of a cue."""
    tagger.set(feats)
    labels = tagger.tag()
    cue_labels = _cue_labels(tagger)
    marginal = tagger.marginal
    if len(cue_labels) == 2:
        b, i_ = cue_labels
        return labels, [marginal(b, i) + marginal(i_, i) for i in range(len(labels))]
    return labels, [sum(marginal(y, i) for y in cue_labels) for i in range(len(labels))]


@lru_cache(maxsize=4)
def _cue_labels(tagger: Any) -> tuple[str, ...]:
    return tuple(y for y in ("B-cue", "I-cue") if y in tagger.labels())


def likely_cues(
    text: str, sents: list[Sentence], sequence: tuple, probs: list[float], taken: list[Attribution]
) -> list[Attribution]:
    """Attributions around runs of tokens the best path left out of any cue although their
    marginal cue probability passes ``CUE_MARGINAL`` (content and source as the learned cue
    detector frames them). Recovers cues the path traded away, at little cost in precision."""
    group, toks, labels = sequence
    out: list[Attribution] = []
    i = 0
    while i < len(toks):
        if probs[i] <= CUE_MARGINAL or labels[i].endswith("cue"):
            i += 1
            continue
        j = i
        while (j + 1 < len(toks) and probs[j + 1] > CUE_MARGINAL and not labels[j + 1].endswith("cue")
               and toks[j + 1].sentence == toks[i].sentence):
            j += 1
        cue = (toks[i].start, toks[j].end)
        a = learned_attribution(text, sents[group[toks[i].sentence]], cue, None)
        if a is not None and not any(_overlap(a.cue, b.cue) for b in taken + out):
            out.append(a)
        i = j + 1
    return out


def tagged_attributions(text: str, tagger: Any) -> list[Attribution]:
    """The tagger's attributions in ``text``, merged with the rules' chains, sorted."""
    sents, found, sequences = document_sequences(text)
    labelled, marginals = [], []
    for group, toks, feats in sequences:
        labels, probs = _tag(tagger, feats)
        labelled.append((group, toks, labels))
        marginals.append(probs)
    tagged = merge_rules(link_paragraphs(text, sents, labelled), [a for group in found for a in group], sents)
    for sequence, probs in zip(labelled, marginals, strict=True):
        tagged += likely_cues(text, sents, sequence, probs, tagged)
    return sorted(tagged, key=lambda a: (a.first_offset(), a.cue))


def extract_attributions(text: str) -> list[Attribution]:
    """Find attributions in ``text`` with the shipped tagger (the rules alone if it is missing).

    Deterministic and offline; returns attributions sorted by their first offset.
    """
    tagger = load_tagger()
    if tagger is None:
        return legacy_attributions(text)
    return tagged_attributions(text, tagger)
