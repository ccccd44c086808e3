"""Tokens and token features for the sequence tagger (one sequence per paragraph).

A paragraph's tokens carry their sentence, quotation state and the role the rules gave them;
``paragraph_features`` turns them into the sparse binary features the CRF weighs. Pure Python,
kept lean: it runs on every token of every article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from provenance.articles.extraction.learned import CUE_STEM_SET, stem
from provenance.articles.extraction.lexicon import FORM_TO_LEMMA
from provenance.articles.extraction.text import Sentence
from provenance.articles.extraction.types import Attribution

TOKEN_RE = re.compile(r"\w+(?:[’']\w+)*|[^\w\s]")
ROLE_NAMES = ("cue", "source", "content")  # priority when the rules' spans nest
Range = tuple[int, int]


class Token(NamedTuple):
    """One token: offsets, text, sentence number within the paragraph, quotation flag."""

    start: int
    end: int
    raw: str
    sentence: int
    quoted: bool


def paragraph_tokens(text: str, sents: Sequence[Sentence]) -> list[Token]:
    """Tokens of the sentences of one paragraph, in order."""
    out: list[Token] = []
    for k, sent in enumerate(sents):
        quotes = sent.quotes
        for m in TOKEN_RE.finditer(text, sent.start, sent.end):
            s, e = m.span()
            quoted = bool(quotes) and any(qs <= s and e <= qe for qs, qe in quotes)
            out.append(Token(s, e, m.group(), k, quoted))
    return out


def rule_roles(toks: Sequence[Token], rules: Sequence[Attribution]) -> list[str]:
    """The role the rules gave each token ("cue", "source", "content", "via" or "-")."""
    roles = ["-"] * len(toks)
    if not rules:
        return roles
    spans: list[tuple[int, int, str]] = []
    for a in rules:
        spans += [(s.start, s.end, "content") for s in a.content]
        spans += [(s.start, s.end, "via") for s in a.via]
        spans += [(s.start, s.end, "source") for s in a.source]
        spans += [(s.start, s.end, "cue") for s in a.cue]
    for i, t in enumerate(toks):
        for s, e, role in spans:  # later (higher-priority) roles win
            if s <= t.start < e:
                roles[i] = role
    return roles


def _shape(raw: str) -> str:
    c = raw[0]
    if c.isdigit():
        return "d"
    if not c.isalnum():
        return raw if raw in "“”\"‘’',.:;—–-()?!" else "p"
    if raw.isupper() and len(raw) > 1:
        return "A"
    return "Aa" if c.isupper() else "a"


def _bucket(n: int) -> str:
    if n <= 3:
        return str(n)
    return "4-6" if n <= 6 else "7-12" if n <= 12 else "13+"


def _cue_distances(lowers: Sequence[str], sentence: Sequence[int]) -> tuple[list[str], list[str]]:
    """Distance (bucketed) to the nearest lexicon cue word on the left and right, same sentence."""
    n = len(lowers)
    left, right = ["none"] * n, ["none"] * n
    last, last_sent = -1, -1
    for i in range(n):
        if last >= 0 and last_sent == sentence[i]:
            left[i] = _bucket(i - last)
        if lowers[i] in FORM_TO_LEMMA or lowers[i] == "according":
            last, last_sent = i, sentence[i]
    nxt, nxt_sent = -1, -1
    for i in range(n - 1, -1, -1):
        if nxt >= 0 and nxt_sent == sentence[i]:
            right[i] = _bucket(nxt - i)
        if lowers[i] in FORM_TO_LEMMA or lowers[i] == "according":
            nxt, nxt_sent = i, sentence[i]
    return left, right


@lru_cache(maxsize=65536)
def word_features(raw: str) -> tuple[str, str, tuple[str, ...]]:
    """A word's lower case, shape and context-free features (cached: words repeat)."""
    w = raw.lower()
    shape = _shape(raw)
    st = stem(w)
    cue_word = st in CUE_STEM_SET
    feats = ["w=" + w, "s3=" + w[-3:], "sh=" + shape, "lex=" + FORM_TO_LEMMA.get(w, "-"),
             "cs=" + ("1" if cue_word else "0") + shape]
    if cue_word:
        feats.append("stem=" + st)
    return w, shape, tuple(feats)


def paragraph_features(toks: Sequence[Token], roles: Sequence[str], headline: bool) -> list[list[str]]:
    """The feature strings of every token of a paragraph."""
    words = [word_features(t.raw) for t in toks]
    lowers = [x[0] for x in words]
    shapes = [x[1] for x in words]
    sentence = [t.sentence for t in toks]
    left, right = _cue_distances(lowers, sentence)
    n = len(toks)
    pad = ["<s>", "<s>", *lowers, "</s>", "</s>"]
    spad = ["<s>", "<s>", *shapes, "</s>", "</s>"]
    rpad = ["<s>", *roles, "</s>"]
    out = []
    position = 0
    for i, t in enumerate(toks):
        w, shape, static = words[i]
        first = i == 0 or sentence[i - 1] != sentence[i]
        last = i == n - 1 or sentence[i + 1] != sentence[i]
        position = 0 if first else position + 1
        p1, p2, n1, n2 = pad[i + 1], pad[i], pad[i + 3], pad[i + 4]
        feats = [
            *static,
            "p1=" + p1,
            "p2=" + p2,
            "n1=" + n1,
            "n2=" + n2,
            "p1w=" + p1 + "|" + w,
            "wn1=" + w + "|" + n1,
            "p1n1=" + p1 + "|" + n1,
            "pos=" + _bucket(position),
            "sh3=" + spad[i + 1] + shape + spad[i + 3],
            "q=" + ("1" if t.quoted else "0") + ("f" if first else "") + ("l" if last else ""),
            "r=" + roles[i],
            "rc=" + rpad[i] + "|" + roles[i] + "|" + rpad[i + 2],
            "dl=" + left[i],
            "dr=" + right[i],
            "dlr=" + left[i] + "|" + right[i] + ("q" if t.quoted else ""),
        ]
        if headline:
            feats.append("head")
        out.append(feats)
    return out
