"""Text helpers shared by catalog matching, imports and search."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(value: str) -> str:
    """Fold accents, case, punctuation spacing: `Cd. de México Nte.` → `cd. de mexico nte.`."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()
