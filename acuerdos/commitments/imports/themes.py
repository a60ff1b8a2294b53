"""Recognising a línea de acción in a cell by its code or name, without regard to accents."""

from __future__ import annotations

import difflib
import re

from acuerdos.commitments.imports.units import match_key
from acuerdos.organization.models import Theme

_PARENTHESES = re.compile(r"\(([^)]*)\)")


class ThemeMatcher:
    """The active themes by code, name, name without its parenthesis (`Centros de Educación y
    Cuidado Infantil`) and the parenthesis alone (`CECI`)."""

    def __init__(self) -> None:
        self.themes = list(Theme.objects.filter(is_active=True).select_related("lead_area"))
        self.keys: dict[str, Theme] = {}
        self._raw: dict[str, Theme | None] = {}  # by the cell as written
        for theme in self.themes:
            names = {theme.code, theme.name, _PARENTHESES.sub("", theme.name)}
            names.update(_PARENTHESES.findall(theme.name))
            for name in names:
                key = match_key(name)
                if key:
                    self.keys.setdefault(key, theme)

    def match(self, value: str) -> Theme | None:
        if value not in self._raw:
            self._raw[value] = self.keys.get(match_key(value))
        return self._raw[value]

    def choices_hint(self) -> str:
        listed = ", ".join(f"{t.code} ({t.name})" for t in self.themes)
        return f"Use la clave o el nombre de una línea de acción: {listed}."

    def unknown_message(self, value: str) -> str:
        close = difflib.get_close_matches(match_key(value), list(self.keys), n=1, cutoff=0.6)
        hint = f" ¿Quiso decir «{self.keys[close[0]].name}»?" if close else ""
        return f"No se reconoce la línea de acción «{value}».{hint} {self.choices_hint()}"
