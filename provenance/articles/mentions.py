"""One mention of an agent as an article words it: the name, the title kept as its role, its kind.

"State Department spokesperson Matthew Miller, at a separate briefing with reporters" is the
person Matthew Miller with the role "State Department spokesperson"; "Iran's state-run IRNA news
agency" is a news agency; "an Israeli official, speaking on condition of anonymity" is anonymous;
"he", "the minister" and "Miller" point back to someone named earlier (:attr:`Mention.refers_back`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "who", "which"}
TITLES = {
    "minister", "spokesperson", "spokesman", "spokeswoman", "president", "governor", "prosecutor",
    "official", "officials", "chief", "commander", "director", "secretary", "ambassador", "envoy",
    "leader", "head", "mayor", "lawmaker", "senator", "representative", "general", "deputy",
    "adviser", "advisor", "analyst", "expert", "scholar", "fellow", "researcher", "professor",
    "chairman", "chairwoman", "chair", "speaker", "coordinator", "correspondent", "reporter",
    "editor", "journalist", "cleric", "ayatollah", "judge", "attorney", "officer", "colonel",
    "captain", "major", "lieutenant", "sergeant", "king", "prince", "premier", "chancellor",
    "diplomat", "aide", "member", "mp", "vice", "supreme", "foreign", "interior", "defense",
    "defence", "intelligence", "police", "security", "provincial", "state", "prime", "top",
    "senior", "former", "acting", "regional", "local", "military", "army", "navy",
}
ROLE_HEADS = {
    "minister", "spokesperson", "spokesman", "spokeswoman", "president", "governor", "prosecutor",
    "official", "chief", "commander", "director", "secretary", "ambassador", "envoy", "leader",
    "head", "mayor", "lawmaker", "senator", "general", "adviser", "advisor", "analyst", "expert",
    "scholar", "fellow", "researcher", "professor", "chairman", "chair", "speaker", "judge",
    "attorney", "officer", "diplomat", "aide", "premier", "chancellor", "cleric", "coordinator",
}
POINTING_HEADS = {"organization", "organisation", "group", "militants", "statement", "message",
                  "ministry", "agency", "movement", "outfit"}
_NAMED_GROUP = re.compile(r"\b(islamic state|isis|isil|is-k|iskp|daesh|hamas|hezbollah|houthis?|"
                          r"taliban|al-qaeda)\b", re.I)
_ANONYMOUS = re.compile(
    r"\b(sources?|officials?|aides?|insiders?|diplomats?|persons?|people|witness(es)?|residents?|"
    r"someone|analysts?|experts?|observers?|authorities)\b", re.I)
_ANONYMOUS_MARKS = re.compile(
    r"\b(anonymity|anonymous|unnamed|unidentified|not authori[sz]ed|declined to be named|"
    r"asked not to be (named|identified)|familiar with)\b", re.I)
_AGENCY = re.compile(r"\b(agency|IRNA|ISNA|Tasnim|Fars|Mehr|Reuters|AFP|AP|Anadolu|Xinhua|"
                     r"Associated Press|Agence France-Presse|Sputnik|TASS|Yonhap)\b")
_OUTLET = re.compile(r"\b(news|television|TV|radio|times|post|journal|press|media|channel|"
                     r"outlet|newspaper|daily|broadcaster|website|network|tribune|herald|"
                     r"gazette|report|CNN|BBC|Al Jazeera|Al-Jazeera)\b", re.I)
_BODY = re.compile(r"\b(ministry|council|government|court|parliament|department|office|"
                   r"judiciary|guards|corps|army|police|military|authorities|commission|"
                   r"agency of|administration|cabinet|embassy|pentagon|white house|kremlin|"
                   r"state department|foreign ministry|forces|committee|service)\b", re.I)
_GROUP = re.compile(r"\b(islamic state|isis|isil|is-k|iskp|daesh|hamas|hezbollah|houthis?|"
                    r"taliban|al-qaeda|militants?|militia|group|organization|organisation|"
                    r"rebels|insurgents)\b", re.I)
_COUNTRY = re.compile(r"^(the )?(united states|us|u\.s\.|usa|iran|israel|russia|ukraine|china|"
                      r"france|britain|uk|turkey|iraq|syria|lebanon|pakistan|washington|tehran|"
                      r"moscow|kyiv|beijing|jerusalem|saudi arabia|germany|india)$", re.I)
# "authorities", "local media", "emergency officials": nobody is named, whoever they work for.
_COLLECTIVE = re.compile(
    r"(?:the )?(?:(?:local|state|national|regional|provincial|federal|security|health|emergency|"
    r"government|military|news|some|other|several|top|senior) )*(?:authorities|media|officials)")
_ROLE_HEAD = re.compile(rf"\b(?:{'|'.join(sorted(ROLE_HEADS))})\b", re.I)
_TAIL = re.compile(r",\s*(?!the\b|a\b|an\b|who\b)|\s+(?:at|in|on|during|after|before|from|"
                   r"speaking|while|when|later|earlier|also|told|wrote|who)\s", re.I)
_DET = re.compile(r"^(the|a|an|this|that|these|those|its|his|her|their|one|two|three|several|"
                  r"some|many|other)\s+", re.I)
_DATELINE = re.compile(r"^[A-Z][A-Z .]+(?:,\s*[A-Z][a-z]{2,}\.?\s+\d{1,2})?\s*(?:\([^)]*\)\s*)?(?:--|—|–)\s*")
_WORD = re.compile(r"[\w'’.-]+")
_HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame)\.?\s+")


@dataclass(frozen=True)
class Mention:
    """An agent as the text names it."""

    text: str  # as stated, trimmed
    name: str  # the name alone ("Matthew Miller"), or the whole noun phrase when no name
    role: str | None  # the title kept as role ("State Department spokesperson")
    kind: str  # an agent kind (person, outlet, news_agency, government_body, ...)
    refers_back: str | None = None  # "pronoun", "role", "surname", "group": points to someone earlier

    def _replace_text(self, text: str) -> Mention:
        return Mention(text, self.name, self.role, self.kind, self.refers_back)

    @property
    def anonymous(self) -> bool:
        """Nobody is named: an anonymous source, or none at all ("reportedly")."""
        return self.kind in ("anonymous", "unattributed")


def _bare(word: str) -> str:
    return re.sub(r"[’']s?$", "", word.lower())


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def split_mention(raw: str) -> Mention:
    """The name, role and kind of one mention (see the module's examples)."""
    stated = " ".join(raw.split()).strip(" ,.;:")
    stated = re.sub(r"^by\s+", "", stated, flags=re.I)
    stated = _DATELINE.sub("", stated)
    honorific = _HONORIFIC.match(stated)
    if honorific and stated[honorific.end():][:1].isupper():  # "Mr Putin" is "Putin", named earlier
        return split_mention(stated[honorific.end():])._replace_text(stated)
    lowered = stated.lower()
    marks = bool(_ANONYMOUS_MARKS.search(stated))
    appositive = None
    parts = re.split(r",\s*", stated, maxsplit=1)
    if len(parts) == 2 and re.match(r"(the|a|an)\s", parts[1], re.I) and not marks:
        appositive = re.split(r",|\s+(?:at|in|on|during|who|speaking)\s", parts[1])[0]
        appositive = re.sub(r"^(the|a|an)\s+", "", appositive, flags=re.I)
    head = _TAIL.split(stated, maxsplit=1)[0].strip(" ,") or stated
    if len(parts) == 2 and re.fullmatch(r"(?:[A-Z][\w’'.-]*\s?){2,4}", parts[1].strip()) and (
            _DET.match(parts[0]) or parts[0].split()[-1:] and _bare(parts[0].split()[-1]) in TITLES):
        # "The head of Kerman's emergency services, Mohammad Saberi": the name comes last
        role = _DET.sub("", parts[0]).strip()
        name = parts[1].strip()
        return Mention(stated, name, role, infer_kind(name, role, stated, marks))
    if lowered in PRONOUNS:
        return Mention(stated, stated, None, "person", "pronoun")
    words = _WORD.findall(_DET.sub("", head)) or [head]
    determined = bool(_DET.match(head))
    # The role is every word up to the last title; the name is the capitalised words after it.
    last_title = max((i for i, w in enumerate(words) if _bare(w) in ROLE_HEADS), default=-1)
    name_words = words[last_title + 1:]
    role_words = words[: last_title + 1]
    if name_words and all(_capitalised(w) for w in name_words) and last_title >= 0:
        name, role = " ".join(name_words), " ".join(role_words)
    else:
        name, role = " ".join(words), None
    role = role or appositive
    name = name.strip(" ,.’'")
    if (honorific := _HONORIFIC.match(name)) and name[honorific.end():][:1].isupper():
        name = name[honorific.end():]  # "Chief medical officer Dr. Arun Sharma" is Arun Sharma
    kind = infer_kind(name, role, stated, marks)
    if kind in ("news_agency", "outlet"):
        name = _outlet_name(name)
    if determined and not role and _bare(words[-1]) in ROLE_HEADS and kind != "anonymous":
        kind = "person"
    refers = None
    if kind == "anonymous":
        pass
    elif determined and name.lower().split()[-1:] and name.lower().split()[-1] in ROLE_HEADS | {
            "spokesperson", "spokesman", "spokeswoman"} and not any(_capitalised(w) for w in words):
        refers = "role"
    elif determined and not any(_capitalised(w) for w in words) and kind in (
            "group", "armed_group", "organization", "outlet", "news_agency", "government_body"):
        refers = "group"
    elif kind == "person" and len(name.split()) == 1 and role is None:
        refers = "surname"
    elif determined and _bare(words[-1]) in POINTING_HEADS and not _NAMED_GROUP.search(name) and (
            not all(_capitalised(w) for w in words)):  # "The Iranian Intelligence Ministry" is named
        refers = "group"  # "The militant Sunni Muslim organization", not "the Islamic State group"
    return Mention(stated, name, role, kind, refers)


def _outlet_name(name: str) -> str:
    """"the official news agency IRNA" is IRNA; "Iran's state-run Mehr News Agency" is Mehr News Agency;
    "the state-run outlet PressTV" is PressTV."""
    runs: list[list[str]] = [[]]
    for word in name.split():
        if _capitalised(word) and not re.search(r"[’']s$", word):
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    named = [run for run in runs
             if len(run) >= 2 or (run and re.fullmatch(r"[A-Z]{2,}\w*|[A-Z][a-z]+[A-Z]\w*", run[0]))]
    return " ".join(named[-1]) if named else name


def infer_kind(name: str, role: str | None, stated: str, marks: bool = False) -> str:
    """The agent kind a mention suggests: person, outlet, news agency, body, group, anonymous."""
    lowered = name.lower()
    capital_words = [w for w in name.split() if _capitalised(w)]
    last = _bare(name.split()[-1]) if name.split() else ""
    if marks or (not capital_words and _ANONYMOUS.search(lowered) and not _BODY.search(lowered)):
        return "anonymous"
    if not role and re.fullmatch(r"(sources?|officials?|aides?|insiders?|diplomats?|experts|"
                                 r"analysts|observers|critics|witnesses|residents)", last):
        return "anonymous"
    if re.search(r"\b(unnamed|unidentified)\b", lowered) or _COLLECTIVE.fullmatch(lowered):
        return "anonymous"
    if role and _ROLE_HEAD.search(role) and capital_words and len(capital_words) == len(name.split()):
        return "person"  # "the ministry's spokesman Tariq Arian, DPA news agency": a person
    if _AGENCY.search(name) or re.search(r"\bnews agency\b", stated, re.I):
        return "news_agency"
    if _OUTLET.search(name) and not _BODY.search(name):
        return "outlet"
    if _GROUP.search(name) and not role:
        return "armed_group" if not re.search(r"organi[sz]ation|group$", lowered) or re.search(
            r"islamic state|isis|daesh", lowered) else "group"
    if _COUNTRY.match(name.strip()):
        return "government"
    if _BODY.search(name):
        return "government_body"
    if role or (1 <= len(capital_words) <= 4 and len(capital_words) == len(name.split())):
        return "person"
    return "group"
