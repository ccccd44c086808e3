"""Cue lexicon: attribution verbs, their inflections, stance, and the words around them."""

from __future__ import annotations

import re
from collections.abc import Iterator


def words(block: str) -> tuple[str, ...]:
    """The whitespace-separated words of a text block (keeps word lists readable)."""
    return tuple(block.split())


# Verbs that report speech or writing: they take quotes and the inverted order ("..., said X").
SPEECH_VERBS = words("""say tell add note write claim argue insist deny warn announce report confirm
suggest accuse describe criticize reject urge acknowledge vow cite condemn assert contend
declare joke blame explain state recall emphasize stress predict estimate respond reply tweet
admit concede allege complain observe remark reveal testify quip boast brag refute dispute
dismiss praise blast slam charge threaten pledge promise point continue ask question
counter caution concur echo lament mention disclose indicate agree express attack label
denounce highlight discuss rate refuse chant worry criticise""")

# Verbs of belief, finding or showing: only "SOURCE VERB (that) CONTENT".
OTHER_VERBS = words("""believe find show expect fear call doubt conclude""")

# Forms that are more often nouns or imperatives than attribution cues (measured on TUNE).
EXCLUDED_FORMS = frozenset(
    words("""state states tweet tweets report reports continue question questions remarks show
    tell add ask charge charges point points reply replies estimate estimates echo echoes
    counter promise promises pledge pledges call calls doubt doubts fear fears claim claims
    joke jokes blast blasts note find finds rate rates attacks attack
    alleged allege""")
)

# Verbs of intention whose content may be a to-infinitive ("vowed to punish X").
INFINITIVE_VERBS = frozenset(words("vow pledge promise refuse agree threaten"))

DENY_VERBS = frozenset(words("deny refute reject dismiss dispute counter"))
QUESTION_VERBS = frozenset(words("question doubt ask"))

IRREGULAR = {
    "say": ["say", "says", "said", "saying"],
    "tell": ["tell", "tells", "told", "telling"],
    "write": ["write", "writes", "wrote", "written", "writing"],
    "find": ["find", "finds", "found", "finding"],
    "show": ["show", "shows", "showed", "shown", "showing"],
    "speak": ["speaks", "spoke", "speaking"],
    "admit": ["admit", "admits", "admitted", "admitting"],
    "quip": ["quip", "quips", "quipped", "quipping"],
    "slam": ["slam", "slams", "slammed", "slamming"],
    "tweet": ["tweet", "tweets", "tweeted", "tweeting"],
    "echo": ["echo", "echoes", "echoed", "echoing"],
}

# Particles that belong to the cue when they follow the verb.
PARTICLES = {
    "call": r"\s+(?:for|on)\b",
    "point": r"\s+(?:out|to)\b",
}
# The bare verb would be too ambiguous without its particle.
NEEDS_PARTICLE = frozenset({"point"})


def inflections(lemma: str) -> list[str]:
    """The base, -s, -ed and -ing forms of a verb."""
    if lemma in IRREGULAR:
        return IRREGULAR[lemma]
    if lemma.endswith("e"):
        return [lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return [lemma, lemma + "es", lemma + "ed", lemma + "ing"]
    return [lemma, lemma + "s", lemma + "ed", lemma + "ing"]


def _form_table() -> dict[str, str]:
    table = {}
    for lemma in (*SPEECH_VERBS, *OTHER_VERBS):
        for form in inflections(lemma):
            if form not in EXCLUDED_FORMS:
                table.setdefault(form, lemma)
    return table


FORM_TO_LEMMA: dict[str, str] = _form_table()
WORD_GROUP_RE = re.compile(r"\b(\w+)\b")


def cue_matches(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Matches (group 1) of the cue-verb forms in ``text[start:end]``, case-insensitively.

    The same matches as one big alternation of the forms between word boundaries, but a word
    scan with a dictionary look-up, which is several times faster than the alternation.
    """
    for m in WORD_GROUP_RE.finditer(text, start, end):
        if m.group(1).lower() in FORM_TO_LEMMA:
            yield m
ACCORDING_RE = re.compile(r"\baccording to\b", re.IGNORECASE)
QUOTED_AS_RE = re.compile(
    r"\b(quoted|quotes|quoting)\s+(.{1,80}?)\s+(as\s+saying|as\s+telling)\b", re.IGNORECASE
)

# Words skipped between a source and its verb ("X has also said").
AUXILIARIES = frozenset(
    words("""has have had is was were are be been will would could may might also later earlier
    previously recently repeatedly often once publicly privately then again later reportedly
    has just already further even still now first initially frequently long quickly""")
)
# Words that end a source noun phrase when scanning left from the verb.
LEFT_STOPS = frozenset(
    words("""that and but while because as when if which since where whom so than though although
    after before until unless whether or nor yet""")
)
# A verb form right after one of these is a noun or an infinitive ("the report", "to show").
NOT_SUBJECT_END = frozenset(
    words("""the a an this these those his her their its our my your of in on for with by from at
    to into about over under no any some every each many more most such another other same
    key new further final first last latest recent public official initial own what
    whose""")
)
# Adverbials between a verb and its content ("said on Monday in a statement that ...").
ADVERBIAL_RE = re.compile(
    r"""(?:\s*,?\s*(?:
        (?:on|last|this|next|early|late|earlier)\s+(?:\w+day|week|month|year|night|morning)\b
        |(?:on|at|in|during|via|through|to|over|from)\s+(?:an?|the|his|her|their|its)?\s*
            (?:[\w’'-]+\s+){0,3}?(?:statement|interview|press\s+conference|speech|email|e-mail|
            tweet|post|call|letter|rally|conference|release|report|appearance|event|debate|
            briefing|hearing|reporters|radio|television|tv|show|video|message|remarks|op-ed)s?\b
        |(?:in|at|from)\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*
        |\w+day\b|today|yesterday|earlier|later|again|also|repeatedly|recently|previously
        |publicly|privately|flatly|bluntly|simply|then|once|too|(?:in\s+)?(?:19|20)\d\d
    ))*""",
    re.IGNORECASE | re.VERBOSE,
)
THAT_RE = re.compile(r"\s*[:,]?\s*(?:that\b)?\s*", re.IGNORECASE)


#: "it is (widely) believed that …": a report that names nobody. The rules draft it as an
#: attribution (``rules.layout_attributions``); the resolver makes its source unattributed.
IMPERSONAL_LEAD = r"\b(?P<source>it)\s+(?:is|was|has\s+been|had\s+been)\s+(?:widely\s+|generally\s+|also\s+)?"
IMPERSONAL_VERBS = ("believed", "said", "reported", "thought", "understood", "alleged", "claimed",
                    "feared", "expected", "known", "rumored", "rumoured", "suspected")
