"""The rules: turn sentences with cue words into attributions."""

from __future__ import annotations

import re
from dataclasses import replace

from provenance.articles.extraction import build as b
from provenance.articles.extraction import phrases as ph
from provenance.articles.extraction.learned import Model, learned_attributions, load_model
from provenance.articles.extraction.lexicon import (
    ACCORDING_RE,
    IMPERSONAL_LEAD,
    IMPERSONAL_VERBS,
    QUOTED_AS_RE,
    cue_matches,
)
from provenance.articles.extraction.text import Sentence, sentences
from provenance.articles.extraction.types import Attribution, Span
from provenance.articles.extraction.verbs import title_cased, verb_attribution

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


# -- What the page's layout says, beside the sentences' verbs --------------------------------
# These run after the tagger (``extract.py``), not as its features: the model was trained
# without them.

_CREDIT = re.compile(
    r"(?:\((?:Photo|Picture|Image)s?\s+(?:by|credit:?)\s+|\()?"
    r"(?P<credit>(?:[^()\n/]{1,60}\s*/\s*){1,4}(?P<agency>[A-Za-z][\w .&-]{1,40}?)"
    r"(?:\s+via\s+Getty(?:\s+Images)?)?)\)?\s*$")
_CAPTION_CUE = re.compile(r"(?:This|The)\s+(?:picture|photo|image|photograph)\s+shows\s+", re.I)
_TRAILING = re.compile(
    r",\s+(?P<source>(?:[\w’'-]+\s+){0,10}?[\w’'-]+)\s+(?P<cue>claims|claim|reports|report|states|"
    r"notes|adds|alleges|allege|says|say)\b(?P<tail>\s+(?:as of|on|late on|early on|this|last)\s+"
    r"[\w’'-]+|\s+(?:today|yesterday|\w+day))?\s*[.!]?\s*$")
_IMPERSONAL = re.compile(
    rf"{IMPERSONAL_LEAD}(?P<cue>{'|'.join(IMPERSONAL_VERBS)})\s+that\s+", re.I)
_MAINTAINS = re.compile(r"\b(?P<cue>maintains|maintained|maintain)\s+that\s+", re.I)
_MADE_BY = re.compile(
    r",\s+(?P<cue>(?:a|an|the)\s+(?:claim|accusation|allegation|assertion|charge|view)\s+(?:\w+\s+)?"
    r"(?:made|voiced|repeated|echoed|shared|levelled|leveled)\s+by)\s+(?P<source>[^,.;:]{2,80})")
_DESPITE = re.compile(
    r"\bdespite\s+(?:\w+\s+)?(?P<cue>denials?|rejections?)\s+(?:from|by)\s+(?P<source>[^,.;]{2,60}?)"
    r"\s+that\s+(?P<content>[^.;]{3,})")
_NOT_IN_SOURCE = {"and", "but", "which", "who", "that", "while", "as", "has", "have", "had", "is",
                  "are", "was", "were", "made", "make", "makes", "it", "they", "there"}
_HEADLINE = re.compile(
    r"(?P<source>(?:[A-Z][\w’'.-]*\s+){1,4}?)(?P<cue>Claims|Says|Denies|Blames|Accuses|Warns|"
    r"Vows|Takes\s+Responsibility|Admits|Confirms|Rejects)\b\s*(?P<content>.+)$")


def layout_attributions(text: str, found: list[Attribution]) -> list[Attribution]:
    """Attributions the layout makes, where ``found`` has none: a photo caption credited to an
    agency ("... (Photo by X/AFP via Getty Images)"), a headline ("Islamic State Claims
    Responsibility for ..."), a sentence ending in a present-tense cue that is more often
    a noun (", Iranian authorities report as of Thursday."), "it is believed that ..." (nobody
    named: the resolver makes it an unattributed source), "X maintains that ...", "..., a
    claim often made by X" (X says it too) and "despite denials from X that ..." (X denies it)."""
    taken = [span for a in found for span in a.cue + a.content]
    cues = [span for a in found for span in a.cue]
    out: list[Attribution] = []
    sents = sentences(text)
    for sent in sents:
        made_by = _also_made_by(text, sent)  # these two lie inside another's content: cues only
        for attribution, against in ((_caption(text, sent, sents), taken), (_headline(text, sent), taken),
                                     (_trailing(text, sent), taken), (_impersonal(text, sent), taken),
                                     (_maintains(text, sent), taken), (made_by, cues),
                                     (_despite_denials(text, sent), cues)):
            if attribution is None:
                continue
            cue = attribution.cue[0]
            if not any(s.start < cue.end and cue.start < s.end for s in against):
                out.append(attribution)
                taken.extend(attribution.cue + attribution.content)
                cues.extend(attribution.cue)
    return out


def _caption(text: str, sent: Sentence, sents: list[Sentence]) -> Attribution | None:
    if sent.end != sent.paragraph[1] or "/" not in text[max(sent.start, sent.end - 160):sent.end]:
        return None  # a credit names its photographer and agency: "X/AFP", "X / ISNA / AFP"
    line = text[sent.start:sent.end]
    credit = _CREDIT.search(line)
    if credit is None or ("via getty" not in line.lower() and not line.rstrip().endswith(")")):
        return None
    cue = (sent.start + credit.start(), sent.end)
    agency = (sent.start + credit.start("agency"), sent.start + credit.end("agency"))
    content_end = len(text[: cue[0]].rstrip())
    content_start = sent.paragraph[0]
    if content_end <= content_start:  # the credit alone on its line: the caption is the line above
        above = [s for s in sents if s.paragraph[1] <= sent.paragraph[0]]
        if not above:
            return None
        content_start, content_end = above[-1].paragraph
    shows = _CAPTION_CUE.match(text, content_start, content_end)
    if shows:
        content_start = shows.end()
    content = ph.strip_final_period(text, content_start, content_end)
    if ph.word_count(text, *content) < b.MIN_CONTENT_WORDS:
        return None
    return Attribution(source=(Span(*agency),), cue=(Span(*cue),), content=(Span(*content),))


def _headline(text: str, sent: Sentence) -> Attribution | None:
    if text[slice(*sent.paragraph)].strip() != text[sent.start:sent.end] or not title_cased(text, sent):
        return None
    match = _HEADLINE.match(text, sent.start, sent.end)
    if match is None:
        return None
    source = ph.strip_span(text, *match.span("source"))
    content = ph.strip_final_period(text, *match.span("content"))
    lemma = match.group("cue").split()[0].lower().rstrip("s")
    return b.build(text, sent, source=source, cue=[match.span("cue")], content=[content],
                   lemma={"denie": "deny"}.get(lemma, lemma))


def _trailing(text: str, sent: Sentence) -> Attribution | None:
    match = _TRAILING.search(text, sent.start, sent.end)
    if match is None or any(word.lower() in _NOT_IN_SOURCE for word in match.group("source").split()):
        return None
    content = ph.strip_span(text, sent.start, match.start())
    return b.build(text, sent, source=match.span("source"), cue=[match.span("cue")],
                   content=[content], lemma="say")


def _impersonal(text: str, sent: Sentence) -> Attribution | None:
    match = _IMPERSONAL.search(text, sent.start, sent.end)
    if match is None:
        return None
    content = ph.strip_final_period(text, match.end(), sent.end)
    return b.build(text, sent, source=match.span("source"), cue=[match.span("cue")],
                   content=[content], lemma="say")


def _maintains(text: str, sent: Sentence) -> Attribution | None:
    match = _MAINTAINS.search(text, sent.start, sent.end)
    source = match and ph.left_source(text, sent.start, match.start())
    if not match or not source:
        return None
    content = ph.strip_final_period(text, match.end(), sent.end)
    return b.build(text, sent, source=source, cue=[match.span("cue")], content=[content],
                   lemma="say")


def _also_made_by(text: str, sent: Sentence) -> Attribution | None:
    match = _MADE_BY.search(text, sent.start, sent.end)
    if match is None:
        return None
    lead = re.match(r"\w+ing\s+that\s+", text[sent.start:match.start()])  # "Stating that ..."
    content = ph.strip_span(text, sent.start + (lead.end() if lead else 0), match.start())
    return b.build(text, sent, source=ph.strip_final_period(text, *match.span("source")),
                   cue=[match.span("cue")], content=[content], lemma="say")


def _despite_denials(text: str, sent: Sentence) -> Attribution | None:
    match = _DESPITE.search(text, sent.start, sent.end)
    if match is None:
        return None
    return b.build(text, sent, source=match.span("source"), cue=[match.span("cue")],
                   content=[ph.strip_final_period(text, *match.span("content"))], lemma="deny")
