"""Recognising units in a spreadsheet cell: "Michoacán, Jalisco y HE CMNO" → three units.

A unit is known by its code, official name, short name and aliases (UnitAlias), compared
without regard to accents, case, dots and quotes. Inside a cell the longest known name is
taken first — UMAE names contain commas and «y» — and removed; what remains is split on
`,` `;` `/` and «y»; any piece left over is an unknown unit, reported with the closest names.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from acuerdos.core.text import normalize
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import Region, Unit, UnitAlias, UnitKind

_DROP = re.compile(r"[.\"“”«»'`´()\[\]]")
_SPACES = re.compile(r"\s+")
_SPLIT = re.compile(r"[,;/\n:|+]|\s(?:y|e)\s")
_SPLIT_ORIGINAL = re.compile(r"[,;/\n:|+]|\s(?:y|e|Y|E)\s")
_WORD = re.compile(r"[0-9a-z]")
_FILLER = frozenset(
    {
        "",
        "y",
        "e",
        "la",
        "las",
        "el",
        "los",
        "de",
        "del",
        "ooad",
        "umae",
        "todas",
        "todos",
        "unidades",
        "delegacion",
        "delegaciones",
        "region",
        "participantes",
    }
)
_REGION_PHRASE = re.compile(
    r"tod[oa]s?\s+(?:las\s+|los\s+)?(ooad|umae|unidades|delegaciones)"
    r"(?:\s+(?:y|e)\s+(?:las\s+|los\s+)?(ooad|umae))?"
    r"(?:\s+(?:de\s+la\s+region|de\s+la\s+reunion|participantes)(?:\s+(norte|occidente|sureste|centro))?)?"
)


def match_key(value: str) -> str:
    """`Cd. de México Nte.` → `cd de mexico nte`; quotes and dots never decide a match."""
    return _SPACES.sub(" ", _DROP.sub("", normalize(value))).strip()


@dataclass
class UnitMatch:
    """The units found in a cell, in order and without repetition, and the unknown pieces."""

    units: list[Unit] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def _find_word(haystack: str, needle: str) -> int:
    start = haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        before = haystack[start - 1] if start > 0 else " "
        after = haystack[end] if end < len(haystack) else " "
        if not _WORD.match(before) and not _WORD.match(after):
            return start
        start = haystack.find(needle, start + 1)
    return -1


class UnitMatcher:
    """Matches cells against the active units, loaded once (one query for units, one for
    aliases). `kinds` restricts the candidates (normative areas for «Área normativa»)."""

    def __init__(
        self,
        *,
        kinds: Iterable[str] | None = None,
        meeting: Meeting | None = None,
    ) -> None:
        queryset = Unit.objects.filter(is_active=True).select_related("region")
        if kinds is not None:
            queryset = queryset.filter(kind__in=list(kinds))
        self.units: dict[int, Unit] = {unit.pk: unit for unit in queryset}
        self.meeting = meeting
        candidates: dict[str, set[int]] = {}

        def add(key: str, unit: Unit) -> None:
            key = match_key(key)
            if key:
                candidates.setdefault(key, set()).add(unit.pk)

        for unit in self.units.values():
            for value in (unit.code, unit.name, unit.short_name):
                add(value, unit)
            short = match_key(unit.short_name)
            if unit.kind == UnitKind.OOAD:
                for prefix in ("ooad", "delegacion", "oooad", "ooad imss"):
                    add(f"{prefix} {short}", unit)
            elif unit.kind == UnitKind.UMAE:
                add(f"umae {short}", unit)
                name = match_key(unit.name)
                if name.startswith("umae "):
                    add(name[len("umae ") :], unit)
        for unit_id, alias in UnitAlias.objects.filter(unit_id__in=self.units).values_list(
            "unit_id", "alias"
        ):
            add(alias, self.units[unit_id])
        # A name that two units share decides nothing: it is left out (and reported unknown).
        self.keys: dict[str, Unit] = {
            key: self.units[next(iter(ids))] for key, ids in candidates.items() if len(ids) == 1
        }
        self.ambiguous = {key for key, ids in candidates.items() if len(ids) > 1}
        self._ordered = sorted(self.keys, key=len, reverse=True)
        self._cache: dict[str, UnitMatch] = {}  # by match_key
        self._raw: dict[str, UnitMatch] = {}  # by the cell as written (most cells repeat)
        self._labels: dict[str, str] = {}
        for unit in self.units.values():
            label = f"{unit.short_name} ({unit.code})"
            for value in (unit.short_name, unit.name, unit.code):
                self._labels.setdefault(match_key(value), label)
        for unit_id, alias in UnitAlias.objects.filter(unit_id__in=self.units).values_list(
            "unit_id", "alias"
        ):
            unit = self.units[unit_id]
            self._labels.setdefault(match_key(alias), f"{unit.short_name} ({unit.code})")

    def _region_units(self, kinds: set[str], region_name: str | None) -> list[Unit]:
        meeting = self.meeting
        region: Region | None = None
        if region_name:
            region = next(
                (
                    u.region
                    for u in self.units.values()
                    if u.region is not None and match_key(u.region.short_name) == region_name
                ),
                None,
            )
        elif meeting is not None:
            region = meeting.region
        if region is None:
            return []
        found = [
            unit
            for unit in self.units.values()
            if unit.region_id == region.pk and unit.kind in kinds
        ]
        return sorted(found, key=lambda u: (u.kind, u.short_name))

    def match(self, value: str) -> UnitMatch:
        """The units named in a cell (see the module docstring)."""
        cached = self._raw.get(value)
        if cached is None:
            cached = self._raw[value] = self._match(value)
        return UnitMatch(units=list(cached.units), unknown=list(cached.unknown))

    def _match(self, value: str) -> UnitMatch:
        key = match_key(value)
        cached = self._cache.get(key)
        if cached is not None:
            return UnitMatch(units=list(cached.units), unknown=list(cached.unknown))
        result = UnitMatch()
        found: list[tuple[int, int, Unit]] = []

        def blank(text: str, start: int, length: int) -> str:
            # Same length, so that the positions of what is left keep the cell's order.
            return f"{text[:start]};{' ' * (length - 1)}{text[start + length :]}"

        exact = self.keys.get(key)
        if exact is not None:
            # The common cell: exactly one known name (no phrase, nothing left over).
            result.units.append(exact)
            self._cache[key] = result
            return UnitMatch(units=[exact])
        rest = key
        for phrase in _REGION_PHRASE.finditer(key):
            words = {w for w in phrase.groups()[:2] if w}
            kinds: set[str] = set()
            if words & {"unidades"}:
                kinds |= {UnitKind.OOAD, UnitKind.UMAE}
            if words & {"ooad", "delegaciones"}:
                kinds.add(UnitKind.OOAD)
            if "umae" in words:
                kinds.add(UnitKind.UMAE)
            for order, unit in enumerate(self._region_units(kinds, phrase.group(3))):
                found.append((phrase.start(), order, unit))
            rest = blank(rest, phrase.start(), len(phrase.group(0)))
        # Longest known name first. One pass suffices: blanking a match (same length, word
        # boundaries kept) never makes a longer name match that did not match before.
        for candidate in self._ordered:
            if candidate not in rest:
                continue
            position = _find_word(rest, candidate)
            while position >= 0:
                found.append((position, 0, self.keys[candidate]))
                rest = blank(rest, position, len(candidate))
                position = _find_word(rest, candidate)
        seen: set[int] = set()
        for _position, _order, unit in sorted(found, key=lambda item: (item[0], item[1])):
            if unit.pk not in seen:
                seen.add(unit.pk)
                result.units.append(unit)
        originals = [(match_key(part), part.strip(" -")) for part in _SPLIT_ORIGINAL.split(value)]
        for piece in _SPLIT.split(f" {rest} "):
            piece = piece.strip(" -")
            if piece and not set(piece.split()) <= _FILLER:
                # Show the person their own spelling, not the folded form used to compare.
                shown = next((o for k, o in originals if k == piece), None)
                shown = shown or next((o for k, o in originals if piece in k), piece)
                result.unknown.append(shown)
        self._cache[key] = result
        return UnitMatch(units=list(result.units), unknown=list(result.unknown))

    def suggestions(self, piece: str, *, limit: int = 3) -> list[str]:
        """The closest known names to an unknown piece, as «Nombre corto (CLAVE)»."""
        key = match_key(piece)
        labels: list[str] = []
        for close in difflib.get_close_matches(key, list(self._labels), n=limit * 3, cutoff=0.6):
            label = self._labels[close]
            if label not in labels:
                labels.append(label)
        if not labels:
            # A piece that contains a known word (e.g. «Jalisco Norte») still hints a unit.
            for known, label in self._labels.items():
                if len(known) > 3 and (known in key or key in known) and label not in labels:
                    labels.append(label)
        return labels[:limit]

    def unknown_message(self, piece: str, *, what: str = "la unidad") -> str:
        """`No se reconoce la unidad «Jalisco Nte.». ¿Quiso decir: Jalisco (OOAD-JAL)?`"""
        message = f"No se reconoce {what} «{piece}»."
        if match_key(piece) in self.ambiguous:
            message = f"«{piece}» puede ser más de una unidad: escriba su clave."
        hints = self.suggestions(piece)
        if hints:
            message += f" ¿Quiso decir: {', '.join(hints)}?"
        message += (
            " Escriba la clave, el nombre o el nombre corto del catálogo, o registre "
            f"«{piece}» como alias de la unidad."
        )
        return message
