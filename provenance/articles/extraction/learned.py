"""A small learned cue detector that adds attributions the rules miss.

A logistic-regression token classifier (weights in ``model.json``, trained on the PolNeAR TUNE
half by ``benchmarks/train_extractor.py``) marks tokens that belong to an attribution cue:
belief and intention verbs ("wants", "plans"), nominal cues, headline colons, multi-word
cues ("spoke of", "called for"). Each run of marked tokens that no rule cue covers becomes an
attribution whose content is the rest of the sentence (or, when that is empty, what precedes
the cue) and whose source is the noun phrase before the cue.

Pure Python, deterministic, offline: scoring sums the weights of a token's active features.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from provenance.articles.extraction import build as b
from provenance.articles.extraction import phrases as ph
from provenance.articles.extraction.lexicon import FORM_TO_LEMMA, words
from provenance.articles.extraction.text import Sentence
from provenance.articles.extraction.types import Attribution

MODEL_PATH = Path(__file__).resolve().parent / "model.json"
TOKEN_RE = re.compile(r"\w+(?:[’']\w+)*|[^\w\s]")
CANDIDATE_PUNCT = frozenset(":—–―")
# Function words are never scored: a cue's head is a content word (or a colon/dash).
FUNCTION_WORDS = frozenset(
    words("""a an the this that these those some any no every each all both either neither of to in
    on at by for with about against from into over under after before during as than like and or
    but nor so yet if then because while when where whether which who whom whose what how why is
    are was were be been being am has have had having do does did will would shall should can could
    may might must also not n't it its he him his she her they them their we us our you your i me
    my mine there here very more most much many just even still only now up out off""")
)
Range = tuple[int, int]


@dataclass(frozen=True)
class Token:
    """One token of a sentence: offsets, lower-cased form, whether it sits in a quotation."""

    start: int
    end: int
    lower: str
    raw: str
    quoted: bool


# Broader cue vocabulary than the rules' lexicon (belief, intention, stance and nominal cues),
# stems as produced by ``stem``; a feature only, the classifier weighs it.
CUE_STEMS = frozenset(
    words("""say tell add note write claim argue insist deny warn announce report confirm suggest
    accuse describe criticiz reject urge acknowledg vow cite condemn assert contend declar joke
    blame explain state recall emphasiz stress predict estimat respond repl tweet admit conced
    alleg complain observ remark reveal testif quip boast brag refut disput dismiss prais blast
    slam charg threaten pledg promis point continu ask question counter caution concur echo
    lament mention disclos indicat agre express attack label denounc highlight discuss refus
    chant worr believ find show expect fear call doubt conclud think thought want plan hope wish
    intend seek sought aim support oppos favor favour back endors advocat push propos demand
    insist feel felt know knew see saw view consider regard deem understand learn realiz
    recogniz assum suspect imagin guess figur decid determin agree disagre approv prefer like
    love hate welcom applaud hail thank credit congratulat defend justif rais acknowledg ignor
    downplay minimiz dismiss mock ridicul scold chastis rebuk lash hit tout champion pitch
    promot outlin detail unveil propos vote campaign rall protest petition lobb press pressur
    statement comment remark claim allegation assertion argument criticism view belief opinion
    position stance concern worry fear hope plan promise pledge vow warning message speech
    interview letter tweet post report study survey poll analysis find accord spok speak talk
    discuss debat insist frustrat afraid sure certain convinc confident determin eager willing
    reluctant adamant critic skeptic opponent proponent supporter advocate""")
)
STEM_RE = re.compile(r"(?:ies|ied|ying|es|ed|ing|s|e|y)$")


def stem(word: str) -> str:
    """A crude suffix-stripping stem ("criticized" -> "criticiz", "wants" -> "want")."""
    if len(word) <= 4:
        return word
    return STEM_RE.sub("", word) or word


CUE_STEM_SET = CUE_STEMS | frozenset(stem(w) for w in CUE_STEMS)


def tokenize(text: str, sent: Sentence) -> list[Token]:
    """Tokens of one sentence with their in-quotation flag."""
    out = []
    for m in TOKEN_RE.finditer(text, sent.start, sent.end):
        s, e = m.span()
        quoted = any(qs < s and e <= qe for qs, qe in sent.quotes)
        out.append(Token(s, e, m.group().lower(), m.group(), quoted))
    return out


def is_candidate(tok: Token) -> bool:
    """Tokens the classifier scores: words and a few punctuation cues, outside quotations."""
    if tok.quoted or tok.lower in FUNCTION_WORDS:
        return False
    return tok.raw[0].isalpha() or tok.raw in CANDIDATE_PUNCT


def _bucket(n: int) -> str:
    if n <= 2:
        return str(n)
    if n <= 5:
        return "3-5"
    if n <= 10:
        return "6-10"
    return "11+"


def _shape(raw: str) -> str:
    if not raw[0].isalpha():
        return "p"
    if raw.isupper() and len(raw) > 1:
        return "A"
    if raw[0].isupper():
        return "Aa"
    return "a"


def token_features(
    text: str, sent: Sentence, toks: Sequence[Token], i: int, rules: Sequence[Attribution] = ()
) -> list[str]:
    """Feature strings of token ``i`` of a sentence (``rules``: the rules' attributions there)."""
    tok = toks[i]
    w = tok.lower

    def at(j: int) -> str:
        return toks[j].lower if 0 <= j < len(toks) else ("<s>" if j < 0 else "</s>")

    p1, p2, n1, n2 = at(i - 1), at(i - 2), at(i + 1), at(i + 2)
    lemma = FORM_TO_LEMMA.get(w)
    para_words = len(toks) if sent.start == sent.paragraph[0] and sent.end == sent.paragraph[1] else 99
    feats = [
        "bias",
        "w=" + w,
        "s3=" + w[-3:],
        "s2=" + w[-2:],
        "sh=" + _shape(tok.raw) + ("0" if i == 0 else ""),
        "p1=" + p1,
        "p2=" + p2,
        "n1=" + n1,
        "n2=" + n2,
        "p1w=" + p1 + "|" + w,
        "wn1=" + w + "|" + n1,
        "p1s3=" + p1 + "|" + w[-3:],
        "n1sh=" + (_shape(toks[i + 1].raw) if i + 1 < len(toks) else "end"),
        "p1sh=" + (_shape(toks[i - 1].raw) if i > 0 else "start"),
        "pos=" + _bucket(i),
        "rem=" + _bucket(len(toks) - i - 1),
        "lex=" + (lemma or "-"),
        "stem=" + stem(w),
        "cuestem=" + str(stem(w) in CUE_STEM_SET),
        "p1stem=" + stem(p1) + "|" + str(stem(w) in CUE_STEM_SET),
        "sentq=" + str(bool(sent.quotes)),
        "head=" + str(para_words <= 20 and text[sent.end - 1 : sent.end] not in ".!?"),
    ]
    pos = tok.start
    role = "none"
    for a in rules:
        for r, spans in (("cue", a.cue), ("src", a.source), ("con", a.content)):
            if any(sp.start <= pos < sp.end for sp in spans):
                role = r
    feats.append("rule=" + role + ("" if rules else "0"))
    feats.append("rulew=" + role + "|" + w)
    if i + 1 < len(toks) and toks[i + 1].quoted:
        feats.append("n1q")
    if i > 0 and toks[i - 1].quoted:
        feats.append("p1q")
    return feats


def sentence_examples(
    text: str, sent: Sentence, rules: Sequence[Attribution] = ()
) -> tuple[list[Token], list[int], list[list[str]]]:
    """Tokens, indices of candidate tokens, and their feature lists."""
    toks = tokenize(text, sent)
    idx = [i for i, t in enumerate(toks) if is_candidate(t)]
    return toks, idx, [token_features(text, sent, toks, i, rules) for i in idx]


@dataclass(frozen=True)
class Model:
    """Feature weights and the decision threshold."""

    weights: dict[str, float]
    threshold: float

    def prob(self, feats: Iterable[str]) -> float:
        """Probability that a token belongs to a cue."""
        get = self.weights.get
        z = sum(get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict:
        """A JSON-able dict (weights sorted, rounded) for ``model.json``."""
        return {
            "format": "provenance-cue-logreg/1",
            "threshold": self.threshold,
            "weights": {k: round(v, 5) for k, v in sorted(self.weights.items())},
        }


@lru_cache(maxsize=1)
def load_model(path: str = str(MODEL_PATH)) -> Model | None:
    """The shipped model, or None when no model file is present."""
    p = Path(path)
    if not p.is_file():
        return None
    data = json.loads(p.read_text(encoding="utf-8"))
    return Model(data["weights"], data["threshold"])


# --------------------------------------------------------------------------- decoding

EXTEND_RE = re.compile(r"\s+(?:of|about|for|on|to|against|with|that|as)\b", re.IGNORECASE)


def cue_runs(
    toks: Sequence[Token], idx: Sequence[int], probs: Sequence[float], threshold: float
) -> list[Range]:
    """Runs of consecutive tokens marked as cue (one non-candidate/low token may sit inside)."""
    marked = sorted(i for i, p in zip(idx, probs, strict=True) if p >= threshold)
    runs: list[list[int]] = []
    for i in marked:
        if runs and i - runs[-1][-1] <= 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return [(toks[r[0]].start, toks[r[-1]].end) for r in runs]


def learned_attribution(
    text: str, sent: Sentence, cue: Range, next_paragraph: Range | None
) -> Attribution | None:
    """An attribution around a learned cue: content after it, else before it."""
    cs, ce = cue
    if text[cs:ce] in CANDIDATE_PUNCT or text[cs:ce].endswith(tuple(CANDIDATE_PUNCT)):
        # Headline or lead-in "Obama on X: ..." / "X — ..."
        content = ph.strip_final_period(text, ce, sent.end)
        if content[1] <= content[0] and next_paragraph:
            content = next_paragraph
        source = ph.left_source(text, sent.start, cs)
        return b.build(text, sent, source=source, cue=[cue], content=[content], lemma="say")
    m = EXTEND_RE.match(text, ce, sent.end)
    after = m.end() if m else ce
    content = ph.strip_final_period(text, after, sent.end)
    if ph.word_count(text, *content) < 2:
        before = ph.strip_span(text, sent.start, cs)
        source = ph.right_source(text, ce, sent.end)
        return b.build(text, sent, source=source, cue=[cue], content=[before], lemma="say")
    source = ph.left_source(text, sent.start, cs)
    return b.build(text, sent, source=source, cue=[cue], content=[content], lemma="say")


def learned_attributions(
    text: str, sent: Sentence, rules: Sequence[Attribution], next_paragraph: Range | None, model: Model
) -> list[Attribution]:
    """Attributions cued by tokens the model marks and no rule cue covers."""
    taken = [(c.start, c.end) for a in rules for c in a.cue]
    toks, idx, feats = sentence_examples(text, sent, rules)
    if not idx:
        return []
    probs = [model.prob(f) for f in feats]
    out = []
    for cue in cue_runs(toks, idx, probs, model.threshold):
        if any(s < cue[1] and cue[0] < e for s, e in taken):
            continue
        if (a := learned_attribution(text, sent, cue, next_paragraph)) is not None:
            out.append(a)
    return out
