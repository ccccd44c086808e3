"""Names as people type them: one folded form for matching, insensitive to case, accents,
punctuation and script (Raeisi / Raisi need an alias; "Raïsi", "RAISI" and "raisi" do not).

Names are stored and looked up in Unicode NFC, so the same name typed composed or decomposed
is one name; bidirectional control characters, which can make a name read as another, are
shown escaped (``\u202e``) wherever names are displayed.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_NOT_WORD = re.compile(r"[^0-9a-z]+")

#: Characters that reorder the text around them (embeddings, overrides, isolates, marks).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C (composed): how names are stored and compared."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def show_controls(text: str) -> str:
    """``text`` with bidirectional controls written out as ``\u202e`` escapes, for display."""
    if text.isascii() or BIDI_CONTROLS.isdisjoint(text):
        return text
    return "".join(f"\\u{ord(ch):04x}" if ch in BIDI_CONTROLS else ch for ch in text)


def normalize(name: str) -> str:
    """Fold a name for matching: transliterate to ASCII, lowercase, punctuation to spaces."""
    if name.isascii():  # NFKC, the format/mark filter and anyascii leave ASCII as it is
        return " ".join(_join_initials(_NOT_WORD.sub(" ", name.lower()).split()))
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Mn"))
    words = _NOT_WORD.sub(" ", anyascii(text).lower()).split()
    return " ".join(_join_initials(words))


def _join_initials(words: list[str]) -> list[str]:
    """Dotted abbreviations fold like undotted ones: "U.S." and "US" both become "us"."""
    joined: list[str] = []
    run = ""
    for word in words:
        if len(word) == 1:
            run += word
            continue
        if run:
            joined.append(run)
            run = ""
        joined.append(word)
    if run:
        joined.append(run)
    return joined
