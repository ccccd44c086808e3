"""The rules: turn sentences with cue words into attributions."""

from __future__ import annotations

import re
from dataclasses import replace

from provenance.articles.extraction import build as b
from provenance.articles.extraction import phrases as ph
from provenance.articles.extraction.learned import Model, learned_attributions, load_model
from provenance.articles.extraction.lexicon import ACCORDING_RE, QUOTED_AS_RE, cue_matches
from provenance.articles.extraction.text import Sentence, sentences
from provenance.articles.extraction.types import Attribution, Span
from provenance.articles.extraction.verbs import verb_attribution

Range = tuple[int, int]


def _according(text: str, sent: Sentence, m: re.Match[str]) -> Attribution | None:
    """``According to X, Y`` and ``Y, according to X``."""
    cue = (m.start(), m.end())
    comma = text.find(",", m.end(), sent.end)
    if text[sent.start : m.start()].strip() == "" and comma != -1:
        source = ph.strip_span(text, m.end(), comma)
        content = ph.strip_final_period(text, comma + 1, sent.end)
    else:
        end = comma if comma != -1 else sent.end
        source = ph.strip_final_period(text, m.end(), end)
        content = b.content_left(text, sent, m.start())
    return b.build(text, sent, source=source, cue=[cue], content=[content], lemma="say")


def _quoted_as(text: str, sent: Sentence, m: re.Match[str]) -> Attribution | None:
    """``X quoted Y as saying Z`` / ``"Z," X quoted Y as saying``: source Y, via X."""
    via = ph.left_source(text, sent.start, m.start(1))
    source = m.span(2)
    cues = [m.span(1), m.span(3)]
    lead = via[0] if via else m.start(1)
    lead_end = len(text[:lead].rstrip())
    if b.quote_ends_at(sent, lead_end) or ph.word_count(text, m.end(), sent.end) < 3:
        content = [b.content_left(text, sent, lead)]
    else:
        content = [b.content_right(text, sent, m.end())]
    return b.build(
        text, sent, source=source, cue=cues, content=content, lemma="say", via=[via] if via else []
    )


def _inside_quote(pos: int, sent: Sentence) -> bool:
    return any(qs < pos < qe for qs, qe in sent.quotes)


def sentence_attributions(
    text: str, sent: Sentence, next_paragraph: Range | None = None
) -> list[Attribution]:
    """All attributions cued inside one sentence."""
    found: list[Attribution] = []
    taken: list[Range] = []
    for m in QUOTED_AS_RE.finditer(text, sent.start, sent.end):
        if not _inside_quote(m.start(), sent) and (a := _quoted_as(text, sent, m)):
            found.append(a)
            taken.append(m.span())
    for m in ACCORDING_RE.finditer(text, sent.start, sent.end):
        if not _inside_quote(m.start(), sent) and (a := _according(text, sent, m)):
            found.append(a)
    for m in cue_matches(text, sent.start, sent.end):
        if _inside_quote(m.start(), sent) or any(s <= m.start() < e for s, e in taken):
            continue
        if (a := verb_attribution(text, sent, m, next_paragraph)) is not None:
            found.append(a)
    return found


def _is_pure_quote(sent: Sentence) -> bool:
    return any(qs <= sent.start and sent.end <= qe + 1 for qs, qe in sent.quotes)


def _attach_trailing_quotes(sents: list[Sentence], found: list[list[Attribution]]) -> None:
    """``“A,” he said. “B.”``: B, a bare quotation in the same paragraph, joins A's content."""
    for i, attributions in enumerate(found):
        if len(attributions) != 1 or attributions[0].mode == "paraphrase":
            continue
        extra: list[Span] = []
        j = i + 1
        while (
            j < len(sents)
            and sents[j].paragraph == sents[i].paragraph
            and not found[j]
            and (_is_pure_quote(sents[j]))
        ):
            extra.append(Span(sents[j].start, sents[j].end))
            j += 1
        if extra:
            a = attributions[0]
            found[i] = [replace(a, content=a.content + tuple(extra))]


def extract_attributions(text: str) -> list[Attribution]:
    """Find attributions in ``text``: who said what, through which cue (and intermediary).

    Deterministic and offline; returns attributions sorted by their first offset.
    """
    return extract_with_model(text, load_model())


def rule_attributions(text: str) -> tuple[list[Sentence], list[list[Attribution]], list[Range | None]]:
    """Sentences, the rules' attributions per sentence, and each sentence's following paragraph
    (set only for a paragraph's last sentence)."""
    sents = sentences(text)
    paragraphs = sorted({s.paragraph for s in sents})
    following = dict(zip(paragraphs, paragraphs[1:], strict=False))
    nexts: list[Range | None] = []
    found = []
    for i, sent in enumerate(sents):
        last_in_paragraph = i + 1 == len(sents) or sents[i + 1].paragraph != sent.paragraph
        nexts.append(following.get(sent.paragraph) if last_in_paragraph else None)
        found.append(sentence_attributions(text, sent, nexts[-1]))
    _attach_trailing_quotes(sents, found)
    return sents, found, nexts


def extract_with_model(text: str, model: Model | None) -> list[Attribution]:
    """The rules, plus the learned cue detector's additions when ``model`` is given."""
    sents, found, nexts = rule_attributions(text)
    if model is not None:
        for i, sent in enumerate(sents):
            found[i] = found[i] + learned_attributions(text, sent, found[i], nexts[i], model)
    flat = [a for group in found for a in group]
    return sorted(flat, key=lambda a: (a.first_offset(), a.cue))
