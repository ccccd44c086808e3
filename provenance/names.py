"""Names as people type them: one folded form for matching, insensitive to case, accents,
punctuation and script (Raeisi / Raisi need an alias; "Raïsi", "RAISI" and "raisi" do not).
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_NOT_WORD = re.compile(r"[^0-9a-z]+")


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
