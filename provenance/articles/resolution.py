"""Who really said it, inside one document: the extractor's attributions, read together.

The extractor (:mod:`provenance.articles.extraction`) finds source, cue and content spans one
attribution at a time. Read as a whole document, they say more:

- nested sourcing is a chain, never a speaker: "X told IRNA that" (X via IRNA), "according to
  ISNA, Vahidi revised ..." (Vahidi via ISNA), "X was quoted by Y as saying" (X via Y), "citing
  state media, the report said" (state media, via the document's own report), "Raisi said,
  according to state television" (Raisi via state television);
- a mention that points back — "he", "the minister", "the spokesperson", "Miller", "the group" —
  is the nearest earlier mention it is compatible with (a person for "he", someone whose title
  holds "minister", a full name ending in "Miller", an armed group or organisation);
- the same words reported twice ("X blamed Y, he said") are one attribution.

Everything stays in the document's terms (:class:`~provenance.articles.mentions.Mention`);
matching to known agents is the caller's (:mod:`provenance.articles.agents`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from provenance.articles.extraction import Attribution, Span
from provenance.articles.extraction.lexicon import IMPERSONAL_LEAD, IMPERSONAL_VERBS
from provenance.articles.mentions import ROLE_HEADS, Mention, split_mention

OWN_VOICE = {"report", "article", "newspaper", "outlet", "website", "paper", "broadcaster",
             "channel", "network"}
_SUBJECT_VERB = re.compile(
    r"^(?P<subject>(?:the\s+)?(?:[A-Z][\w’'.-]*\s+|(?:of|the|and|for|al-|el-)\s+){1,8}?)"
    r"(?:(?:on|late on|early on)\s+[A-Z]\w+\s+|earlier\s+|later\s+|also\s+)?"
    r"(?:has\s+|had\s+|have\s+|was\s+|were\s+)?(?:earlier\s+|also\s+)?"
    r"(?P<verb>revised|lowered|raised|cut|increased|said|says|announced|reported|put|"
    r"raised|lowered|confirmed|stated|told|added|claimed|denied|blamed|accused|warned|called|"
    r"described|urged|vowed|pledged|insisted|declared|noted|estimated|updated|gave|rejected)\b")
_NAME = re.compile(r"\b[A-Z][\w’'-]+(?:\s+(?:[A-Z]\.|[A-Z][\w’'-]+|al-[A-Z][\w’'-]+)){1,6}")
_HEDGE = re.compile(r"\b(at least|nearly|almost|more than|up to|as many as|about|around|some|"
                    r"over|approximately|roughly)\s+$", re.I)
_ADVERBIAL = re.compile(r"(?:however|meanwhile|also|in|on|at|after|before|following|during|since|"
                        r"while|when|but|and|yet|still|instead|earlier|later|then)\b", re.I)
_AUDIENCE = re.compile(r"(?:the\s+)?(?:reporters|journalists|press|media|lawmakers|parliament"
                       r"arians)\b(?!\s+(?:of|at|for)\b)", re.I)  # who heard it, not who relayed it
_NEGATED = re.compile(r"(?:neither|no|not|none|nobody|no one)\b", re.I)  # "Neither Putin nor ..."
_CLAUSE_START = re.compile(r"[.;:!?\n“”\"(]")


@dataclass
class Resolved:
    """One attribution as the document means it: who, through whom, what, how."""

    speaker: Mention
    stated: str  # the speaker's words in the text ("he"), before resolving
    via: list[Mention]  # outermost first; the last heard the speaker first-hand
    cue: str
    content: str
    mode: str
    stance: str
    spans: list[Span]  # every span, for the excerpt
    cue_start: int
    own_voice: bool = False  # the document's outlet speaks ("the report said")
    antecedent: str | None = None  # the full mention a pointing-back one resolved to

    @property
    def start(self) -> int:
        return min(span.start for span in self.spans)

    @property
    def end(self) -> int:
        return max(span.end for span in self.spans)


@dataclass
class _Work:
    source: str
    source_start: int
    via: list[str]
    cue: str
    content: str
    content_spans: list[Span]
    mode: str
    stance: str
    spans: list[Span]
    cue_start: int
    dropped: bool = False
    via_first: list[str] = field(default_factory=list)
    unattributed: bool = False  # "reportedly", "it is believed": nobody is named


def _joined(text: str, spans: tuple[Span, ...] | list[Span]) -> str:
    return " … ".join(" ".join(span.text(text).split()) for span in spans)


def _work(text: str, attribution: Attribution) -> _Work:
    spans = list(attribution.source + attribution.cue + attribution.content + attribution.via)
    source = _joined(text, attribution.source)
    via = [_joined(text, (span,)) for span in attribution.via]
    if re.match(r"by\s", source, re.I) and via:  # "X was quoted by Y as saying"
        source, via = via[-1], [source[3:].strip()] + via[:-1]
    content = _joined(text, attribution.content)
    content_spans = list(attribution.content)
    if content_spans:  # "said at least 84 people were killed": the extractor leaves the hedge out
        hedge = _HEDGE.search(text, max(0, content_spans[0].start - 25), content_spans[0].start)
        content = hedge.group(1) + " " + content if hedge else content
    source_end = max((s.end for s in attribution.source), default=0)
    question = source.endswith("?") or text[source_end:source_end + 1] == "?"
    if question and len(content.split()) <= 5:  # "Is it X? asked the analyst"
        source, content = content, source
    if not source:
        source, source_at = _subject(text, min(s.start for s in attribution.cue), content)
    else:
        source_at = min(s.start for s in attribution.source)
        named = re.match(r"\s+([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)", text[source_end:])
        if source.lower() in ("the", "a", "an") and named:  # "The IS claimed": the tagger stopped at "The"
            source = f"{source} {named.group(1)}"
        lead_in = re.search(r"\b[a-z]+\s+$", text[max(0, source_at - 20):source_at])
        tail = re.search(r",\s+((?:the\s+)?[A-Z][^,]*)$", source)
        if lead_in and tail and source[:1].islower():
            # "Adhering to an extremist interpretation of Sunni Islam, the Islamic State opposes":
            # the extractor took the end of an introductory phrase into the source
            source_at += tail.start(1)
            source = tail.group(1)
    cue = _joined(text, attribution.cue)
    cue_at = min(s.start for s in attribution.cue)
    by = _PASSIVE_BY.search(content) if _PASSIVE.match(cue) else None
    if by and source.lower() in ("who", "which", "that", "it", "they", ""):
        source = by.group(1)  # "who is revered as a hero by theocrats in the nation"
    elif source.lower() in ("that", "which"):
        # "... published the statement on Friday, that claimed": the statement it follows
        said = _SAID_THING.findall(text, max(0, source_at - 120), source_at)
        source = said[-1] if said else source
    agentless = _agentless(text, cue, cue_at, source)
    if agentless:
        source, source_at = agentless, cue_at
    return _Work(source, source_at, via, cue, content, content_spans, attribution.mode,
                 attribution.stance, spans, cue_at, unattributed=bool(agentless))


_PASSIVE = re.compile(r"(?:is|was|are|were|been|being)\s", re.I)
_PASSIVE_BY = re.compile(r"\bby\s+((?:the\s+)?[\w’'.-]+(?:\s+(?!and\b|who\b|which\b)[\w’'.-]+){0,5})")
_SAID_THING = re.compile(r"\b(?:the|a|its|their)\s+(?:[\w’'-]+\s+)?(?:statement|message|announcement|"
                         r"communiqu[eé]|report)\b", re.I)
_UNATTRIBUTED_ADVERB = re.compile(r"(?:reportedly|allegedly|purportedly|supposedly|reputedly)$", re.I)
_IMPERSONAL = re.compile(IMPERSONAL_LEAD + "$", re.I)


def _agentless(text: str, cue: str, cue_at: int, source: str) -> str | None:
    """The hedge words when nobody is named: "reportedly", "it is believed that"."""
    if _UNATTRIBUTED_ADVERB.fullmatch(cue.strip()):
        return cue.strip().lower()
    impersonal = _IMPERSONAL.search(text, max(0, cue_at - 30), cue_at)
    if impersonal and cue.strip().lower() in IMPERSONAL_VERBS and source.lower() in ("it", ""):
        return " ".join(text[impersonal.start():cue_at].split() + [cue.strip()]).lower()
    return None


def _subject(text: str, cue: int, content: str) -> tuple[str, int]:
    """Who speaks when the extractor found no source: the sentence's subject before the cue
    ("Bakhshi, the Kerman official, also stated"), else "they" (the last one who spoke)."""
    start = max(text.rfind(mark, 0, cue) for mark in (". ", "\n", "? ", "! ", "” ")) + 1
    before = text[start:cue].strip()
    speech = _SAID_BEFORE.search(before) if _PARTICIPLE.match(text, cue) else None
    if speech:  # "…, the ministry said, adding that …": the one who said it adds it
        indent = len(text[start:cue]) - len(text[start:cue].lstrip())
        return speech.group(1), start + indent + speech.start(1)
    if _SHARED_SUBJECT.search(before) or _PARTICIPLE.match(text, cue):
        # "The Iranian government maintains ... and has blamed": "Iran launched missiles ...,
        # saying": the verb shares the sentence's subject
        lead = _leading_subject(before)
        if lead:
            return lead, start + before.find(lead)
    before = re.sub(r"\s+(?:also|has|have|had|later|earlier|then|further|again|once again)$", "",
                    before)
    head = re.split(r",|\s(?:who|which)\s", before)[0].strip()
    if _ADVERBIAL.match(head):  # "However, ...", "Following the incident, ...": not a subject
        rest = before.split(",", 1)[1].strip() if "," in before else ""
        head = re.split(r",|\s(?:who|which)\s", rest)[0].strip()
    if re.search(r"\s(?:published|said|says|reported|claimed|announced|released)\s", f" {head} "):
        head = ""  # a clause of its own, not the speaker
    if _ADVERBIAL.match(head):
        head = ""
    if head and (head[:1].isupper() or head.lower().startswith(("the ", "it", "they", "he", "she"))) and (
            len(head.split()) <= 8):
        return head, start + (text[start:cue].find(head) if head in text[start:cue] else 0)
    lead = re.match(r"according to ((?:[A-Z][\w.’'-]*\s?){1,5})", content)
    if lead:  # "according to Aaron Y. Zelin, ...": the extractor took the source for content
        return lead.group(1).strip(), cue
    return "they", cue


_SAID_BEFORE = re.compile(
    r"(?:^|,\s*)((?:the |a |an )?[^,]{1,60}?)\s+(?:said|says|stated|added|noted|announced|reported|"
    r"told (?:reporters|journalists|\w+))\s*,$", re.I)
_SHARED_SUBJECT = re.compile(r"\sand(?:\s+(?:has|have|had|also|later|then))*$")
_PARTICIPLE = re.compile(r"(?:saying|adding|claiming|insisting|arguing|warning|noting|stating|vowing|"
                         r"pledging|promising|accusing|blaming|urging|threatening|stressing|"
                         r"emphasi[sz]ing|asserting|denying|rejecting|calling)\b")
_SUBJECT_HEADS = {"government", "ministry", "military", "officials", "authorities", "forces", "army",
                  "police", "group", "spokesman", "spokesperson", "minister", "president", "media",
                  "agency", "court", "judiciary", "regime", "leadership", "office", "council"}


def _leading_subject(sentence: str) -> str | None:
    """The noun phrase a sentence opens with ("The Iranian government", "Iran"), past an
    introductory phrase ("Following the Kerman incident, ")."""
    if _ADVERBIAL.match(sentence) and "," in sentence:
        sentence = sentence.split(",", 1)[1].strip()
    words = sentence.split()
    taken: list[str] = []
    for word in words[:7]:
        bare = word.strip(",;:")
        if not taken and bare.lower() == "the" or bare[:1].isupper():
            taken.append(bare)
        elif bare.lower() in _SUBJECT_HEADS and taken:
            taken.append(bare)
            break
        else:
            break
        if bare != word:
            break
    rest = words[len(taken):len(taken) + 6]
    titled = next((i for i, word in enumerate(rest[:-1]) if word.lower() in ROLE_HEADS), None)
    if taken and titled is not None and all(w[:1].islower() for w in rest[:titled + 1]):
        # "Top emergencies official Juan Manuel Mendez released …": the title, then the name
        name = _NAME.match(" ".join(rest[titled + 1:]))
        if name:
            taken += [*rest[:titled + 1], name.group(0)]
    phrase = " ".join(taken)
    return phrase if any(w[:1].isupper() for w in taken) else None


def _inside(inner: _Work, outer: _Work) -> bool:
    return any(s.start <= inner.cue_start < s.end for s in outer.content_spans)


def _nest(works: list[_Work]) -> None:
    """Fold "according to", "citing" and repeated attributions into the ones they wrap."""
    for outer in works:
        cue = outer.cue.lower()
        inner = [w for w in works if w is not outer and not w.dropped and _inside(w, outer)]
        if cue.startswith("citing"):
            cited = re.split(r",", outer.content, maxsplit=1)[0].strip()
            for work in inner:
                work.via_first = [cited, *work.via_first]
            outer.dropped = True
        elif cue.startswith("according to") and inner:
            for work in inner:
                work.via_first = [outer.source, *work.via_first]
            outer.dropped = True
        elif (cue.startswith("according to") or cue.split()[-1:] == ["reported"]) and (
                split_mention(outer.source).kind in ("outlet", "news_agency")):
            clause = re.split(r"\s(?:--|—|–)\s", outer.content)[-1].lstrip("“\"‘'")
            found = _SUBJECT_VERB.match(clause)
            if found and any(w[:1].isupper() for w in found.group("subject").split()):
                outer.via = [outer.source, *outer.via]
                outer.source = found.group("subject").strip()
                said = found.group("verb") in ("said", "says", "stated", "told", "added", "noted")
                outer.content = clause[found.end() if said else found.end("subject"):].strip()
        elif inner and split_mention(outer.source).refers_back == "pronoun":
            outer.dropped = True  # "The minister blamed X, he said": the inner one says it all


def _relay_tails(works: list[_Work]) -> None:
    """"According to spokesman Tariq Arian, DPA news agency reported": the agency after the
    comma relays the speaker (a hop of the chain, not part of the name), and the agency's own
    "reported" over the same words is that one statement again."""
    for work in works:
        head, comma, tail = work.source.rpartition(",")
        named = tail.strip()[:1].isupper() and not re.match(r"(?:the|a|an)\s", tail.strip(), re.I)
        if comma and head.strip() and named and split_mention(tail).kind in ("news_agency", "outlet") and (
                split_mention(head).kind not in ("news_agency", "outlet")):
            work.source, work.via = head.strip(), [*work.via, tail.strip()]
    seen: set[tuple[str, str]] = set()
    for work in sorted(works, key=lambda w: w.cue_start):
        key = (work.source, work.content)
        if not work.dropped and key in seen:
            work.dropped = True
        seen.add(key)


def _entities(text: str, works: list[_Work]) -> list[tuple[int, Mention]]:
    """Full mentions in the order the text makes them: named people with their titles, sources."""
    found: list[tuple[int, Mention]] = []
    for match in _NAME.finditer(text):
        if _NEGATED.match(match.group(0)):  # "Neither Putin nor the FSB": nobody said it
            continue
        before = text[max(0, match.start() - 60): match.start()]
        before = _CLAUSE_START.split(before)[-1].split(",")[-1]
        words = before.split()
        title: list[str] = []
        for word in reversed(words):
            if word[:1].isupper() or word.lower().rstrip("’'s") in ROLE_HEADS or word.lower() in (
                    "deputy", "foreign", "interior", "state", "prime", "vice", "senior"):
                title.insert(0, word)
            else:
                break
        mention = split_mention(" ".join([*title, match.group(0)]))
        if mention.kind not in ("anonymous",) and not mention.refers_back:
            found.append((match.start(), mention))
    for work in works:
        mention = split_mention(work.source) if work.source and not work.unattributed and (
            not _NEGATED.match(work.source)) else None
        if mention and not mention.refers_back and mention.kind != "anonymous":
            found.append((work.source_start, mention))
        for via in work.via:
            found.append((work.cue_start, split_mention(via)))
    found.sort(key=lambda pair: pair[0])
    return found


def _compatible(pointer: Mention, candidate: Mention) -> bool:
    word = pointer.name.lower().split()[-1] if pointer.name.split() else ""
    if pointer.refers_back == "pronoun":
        if word in ("he", "she", "him", "her"):
            return candidate.kind == "person" and len(candidate.name.split()) >= 2
        return candidate.kind in ("government_body", "government", "armed_group", "group",
                                  "organization", "outlet", "news_agency")
    if pointer.refers_back == "role":
        role = (candidate.role or "").lower()
        return candidate.kind == "person" and bool(role) and word.rstrip("s") in role
    if pointer.refers_back == "surname":
        return candidate.kind == "person" and len(candidate.name.split()) >= 2 and (
            candidate.name.split()[-1].lower() == word)
    if pointer.refers_back == "group":
        if word == "agency":
            return candidate.kind == "news_agency"
        if word in candidate.name.lower().split():  # "the ministry": the Intelligence Ministry
            return True
        if pointer.kind == "government_body":
            return False
        return candidate.kind in ("armed_group", "group", "organization")
    return False


def _continuing(pointer: Mention, previous: Mention | None) -> Mention | None:
    """The last speaker, when the pointer continues what they said ("It also said", "The
    statement says", "he added")."""
    if previous is None or previous.anonymous and pointer.refers_back != "pronoun":
        return None
    word = pointer.name.lower().split()[-1] if pointer.name.split() else ""
    if word in ("statement", "message", "they", "it") and previous.kind == "person":
        return None  # a person's words are not "the statement", nor "it"
    if word in ("statement", "message", "they", "it") or (
            pointer.refers_back == "pronoun" and _compatible(pointer, previous)):
        return previous
    return None


def _antecedent(pointer: Mention, at: int, entities: list[tuple[int, Mention]]) -> Mention | None:
    for offset, candidate in reversed(entities):
        if offset < at and candidate is not pointer and _compatible(pointer, candidate):
            return candidate
    if pointer.refers_back == "surname":  # named later in a headline-first text, or never in full
        for _offset, candidate in entities:
            if candidate is not pointer and _compatible(pointer, candidate):
                return candidate
        # The family name comes first in Chinese, Korean, Vietnamese or Hungarian names ("Wang
        # Wenbin" ... "Wang replied"): the first word of an earlier full name, when no last word fits.
        for offset, candidate in reversed(entities):
            if (offset < at and candidate is not pointer and candidate.kind == "person"
                    and len(candidate.name.split()) >= 2
                    and candidate.name.split()[0].lower() == pointer.name.lower().strip()):
                return candidate
    return None


def resolve_document(text: str, attributions: list[Attribution],
                     is_known: Callable[[str], bool] | None = None) -> list[Resolved]:
    """The document's attributions with speakers resolved and nested sourcing made into chains.

    ``is_known`` says whether words name a known agent: "the intelligence ministry" then is that
    agent rather than a mention pointing back.
    """
    works = [_work(text, a) for a in attributions if a.cue and a.content]
    _nest(works)
    _relay_tails(works)
    entities = _entities(text, works)
    resolved: list[Resolved] = []
    previous: Mention | None = None
    for work in sorted(works, key=lambda w: w.cue_start):
        if work.dropped:
            continue
        via = [split_mention(v) for v in [*work.via_first, *work.via]
               if v.strip() and not _AUDIENCE.match(v.strip())]
        stated = work.source
        speaker = split_mention(stated) if stated else Mention("", "", None, "group", "unknown")
        if work.unattributed:
            speaker = Mention(stated, stated, None, "unattributed")
        antecedent = None
        own_voice = bool(speaker.refers_back == "group" and speaker.name.split()
                         and speaker.name.split()[-1].lower() in OWN_VOICE)
        if own_voice and via:  # "citing state media, the report said": state media said it
            speaker, via, own_voice = via[-1], via[:-1], False
        elif speaker.refers_back in ("group", "role") and is_known and is_known(speaker.text):
            speaker = replace(speaker, refers_back=None)
        elif speaker.refers_back and not own_voice:
            found = _continuing(speaker, previous) or _antecedent(speaker, work.source_start, entities)
            if found is not None:
                antecedent = found.text
                speaker = replace(found, refers_back=None)
        via = [v for v in via if v.name.lower() != speaker.name.lower()]
        previous = speaker if not speaker.refers_back and speaker.text and (
            speaker.kind != "unattributed") and not _NEGATED.match(speaker.text) else previous
        resolved.append(Resolved(speaker, stated, via, work.cue, work.content, work.mode,
                                 work.stance, work.spans, work.cue_start, own_voice, antecedent))
    return resolved
