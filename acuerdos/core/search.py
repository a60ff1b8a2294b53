"""Accent- and case-insensitive free-text search that works the same on SQLite and PostgreSQL.

Public servants type "energia" and expect "energía"; neither SQLite nor a stock PostgreSQL folds
accents in `icontains`. We fold the user's term and turn every letter that may carry an accent
into a character class (`a` → `[aáàäâAÁÀÄÂ]`), then search with `iregex`. Everything else in the
term is escaped, so the pattern is a plain sequence of literals and classes: no user-controlled
regular-expression syntax and no catastrophic backtracking.
"""

from __future__ import annotations

import re

from acuerdos.core.text import normalize

_VARIANTS = {
    "a": "aáàäâ",
    "e": "eéèëê",
    "i": "iíìïî",
    "o": "oóòöô",
    "u": "uúùüû",
    "n": "nñ",
    "c": "cç",
}

MAX_TERM_LENGTH = 100


def accent_insensitive_pattern(term: str) -> str:
    """A regular expression that matches `term` ignoring case and accents (use with `iregex`).

    "Energía" and "energia" give the same pattern, which matches "ENERGÍA", "energia", "Energía".
    Runs of spaces match any run of whitespace.
    """
    folded = normalize(term)[:MAX_TERM_LENGTH]
    parts: list[str] = []
    for char in folded:
        variants = _VARIANTS.get(char)
        if variants:
            parts.append(f"[{variants}{variants.upper()}]")
        elif char == " ":
            parts.append(r"\s+")
        else:
            parts.append(re.escape(char))
    return "".join(parts)
