"""The demo plan: every meeting, agreement, commitment and milestone to create, as plain data.

Planning is pure: it reads a snapshot of the catalog (units and themes ordered by code) and draws
from one `random.Random(seed)`, never from the clock, database ids or the iteration order of a
set, so the same seed always gives the same plan. `services.py` persists the plan.

The 8th round reproduces the two bulletins: Occidente signs exactly 467 agreements and Centro
exactly 816 commitments (both times `scale`); Norte and Sureste are invented (`is_demo`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import TypeVar

from acuerdos.commitments.models import Priority, TargetKind
from acuerdos.commitments.services import folio_format
from acuerdos.core.dates import long_date
from acuerdos.demo import texts
from acuerdos.meetings.models import Meeting
from acuerdos.organization.models import UnitKind

ROUND_NAME = "8ª Ronda de Reuniones Regionales 2026"

_T = TypeVar("_T")


# --- The catalog, as the planner sees it --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """What the planner needs to know about a unit."""

    code: str
    kind: str
    short_name: str
    city: str
    region: str
    parent_code: str


@dataclass(frozen=True, slots=True)
class ThemeInfo:
    """A línea de acción of the catalog and its lead normative area."""

    code: str
    name: str
    lead_area: str
    order: int


@dataclass(frozen=True)
class CatalogSnapshot:
    """The units and themes of the catalog, each ordered by code."""

    units: tuple[UnitInfo, ...]
    themes: tuple[ThemeInfo, ...]

    @cached_property
    def _by_code(self) -> dict[str, UnitInfo]:
        return {unit.code: unit for unit in self.units}

    def unit(self, code: str) -> UnitInfo | None:
        return self._by_code.get(code)

    def region_units(self, region: str, kind: str) -> tuple[UnitInfo, ...]:
        """The active units of a kind in a region (short name: Norte, Centro…), by code."""
        return tuple(u for u in self.units if u.region == region and u.kind == kind)

    def is_within(self, code: str, ancestor: str) -> bool:
        """Whether `code` is `ancestor` or lies below it in the tree of normative areas."""
        seen: set[str] = set()
        current = self.unit(code)
        while current is not None and current.code not in seen:
            if current.code == ancestor:
                return True
            seen.add(current.code)
            current = self.unit(current.parent_code) if current.parent_code else None
        return False


# --- What the 8th round looked like --------------------------------------------------------------


@dataclass(frozen=True)
class MeetingSpec:
    """One regional meeting of the round and how much it signed at scale 1.

    Exactly one of `agreements` (Occidente: 467 agreements) or `commitments` (the sum over its
    agreements: Centro 816) fixes the size of the meeting.
    """

    code: str
    name: str
    region: str
    venue: str
    start_date: dt.date
    end_date: dt.date
    is_demo: bool = False
    agreements: int | None = None
    commitments: int | None = None
    working_groups: bool = False


MEETINGS: tuple[MeetingSpec, ...] = (
    MeetingSpec(
        code="RR8-NTE",
        name="8ª Reunión Regional Norte",
        region="Norte",
        venue="Monterrey, Nuevo León",
        start_date=dt.date(2026, 3, 19),
        end_date=dt.date(2026, 3, 20),
        is_demo=True,
        commitments=470,
    ),
    MeetingSpec(
        code="RR8-SE",
        name="8ª Reunión Regional Sureste",
        region="Sureste",
        venue="Mérida, Yucatán",
        start_date=dt.date(2026, 3, 26),
        end_date=dt.date(2026, 3, 27),
        is_demo=True,
        commitments=455,
    ),
    MeetingSpec(
        code="RR8-OCC",
        name="8ª Reunión Regional Occidente",
        region="Occidente",
        venue="Morelia, Michoacán",
        start_date=dt.date(2026, 4, 14),
        end_date=dt.date(2026, 4, 15),
        agreements=467,
    ),
    MeetingSpec(
        code="RR8-CEN",
        name="8ª Reunión Regional Centro",
        region="Centro",
        venue="Santiago de Querétaro, Querétaro",
        start_date=dt.date(2026, 4, 27),
        end_date=dt.date(2026, 4, 30),
        commitments=816,
        working_groups=True,
    ),
)

# Fechas compromiso: month ends and mid-months from June 2026 to March 2027 (weights).
DUE_DATES: tuple[tuple[dt.date, int], ...] = (
    (dt.date(2026, 6, 30), 4),
    (dt.date(2026, 7, 15), 2),
    (dt.date(2026, 7, 31), 5),
    (dt.date(2026, 8, 14), 2),
    (dt.date(2026, 8, 31), 6),
    (dt.date(2026, 9, 15), 2),
    (dt.date(2026, 9, 30), 8),
    (dt.date(2026, 10, 15), 2),
    (dt.date(2026, 10, 30), 6),
    (dt.date(2026, 11, 13), 2),
    (dt.date(2026, 11, 30), 6),
    (dt.date(2026, 12, 15), 5),
    (dt.date(2027, 1, 29), 3),
    (dt.date(2027, 2, 26), 2),
    (dt.date(2027, 3, 31), 2),
)
MIN_TERM_DAYS = 30

# Who an agreement binds (weights): one unit, a few, or all the OOAD/UMAE of the region.
BINDINGS: tuple[tuple[str, int], ...] = (
    ("single_ooad", 42),
    ("single_umae", 18),
    ("few", 22),
    ("all_ooad", 8),
    ("all_umae", 6),
    ("all", 4),
)
PRIORITIES: tuple[tuple[str, int], ...] = (
    (Priority.HIGH.value, 30),
    (Priority.MEDIUM.value, 50),
    (Priority.LOW.value, 20),
)
WEIGHTS: tuple[tuple[int, int], ...] = ((1, 80), (2, 15), (3, 5))
CO_RESPONSIBLE_SHARE = 0.12
TEXT_ATTEMPTS = 40


# --- The plan -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorkingGroupPlan:
    """A local IMSS–SNTSS working group installed at a meeting, under its OOAD."""

    code: str
    name: str
    short_name: str
    parent_code: str
    region: str
    city: str


@dataclass(frozen=True, slots=True)
class MilestonePlan:
    """A hito: name, scheduled date, weight."""

    name: str
    due_date: dt.date
    weight: Decimal


@dataclass(frozen=True, slots=True)
class CommitmentPlan:
    """One responsible unit's commitment within an agreement, with its target."""

    unit_code: str
    co_responsible: tuple[str, ...]
    start_date: dt.date
    due_date: dt.date
    weight: Decimal
    target_kind: str
    indicator_name: str = ""
    unit_of_measure: str = ""
    baseline: Decimal | None = None
    target_value: Decimal | None = None
    milestones: tuple[MilestonePlan, ...] = ()


@dataclass(frozen=True, slots=True)
class AgreementPlan:
    """An agreement to create: folio, wording, theme, validating area and its commitments."""

    folio: str
    text: str
    deliverable: str
    theme_code: str
    validating_area_code: str
    priority: str
    commitments: tuple[CommitmentPlan, ...]


@dataclass(frozen=True)
class MeetingPlan:
    """A meeting to create with its participants and every agreement signed there."""

    spec: MeetingSpec
    participant_codes: tuple[str, ...]
    working_groups: tuple[WorkingGroupPlan, ...]
    agreements: tuple[AgreementPlan, ...]

    @property
    def commitment_count(self) -> int:
        return sum(len(a.commitments) for a in self.agreements)


def working_groups_plan(
    catalog: CatalogSnapshot, spec: MeetingSpec
) -> tuple[WorkingGroupPlan, ...]:
    """One IMSS–SNTSS local working group per OOAD of the meeting's region (Centro only)."""
    if not spec.working_groups:
        return ()
    return tuple(
        WorkingGroupPlan(
            code=f"GT-SNTSS-{ooad.code.removeprefix('OOAD-')}",
            name=f"Grupo Local de Trabajo IMSS–SNTSS {ooad.short_name}",
            short_name=f"GLT IMSS–SNTSS {ooad.short_name}",
            parent_code=ooad.code,
            region=spec.region,
            city=ooad.city,
        )
        for ooad in catalog.region_units(spec.region, UnitKind.OOAD)
    )


def demo_plans(catalog: CatalogSnapshot, *, scale: int, seed: int) -> Iterator[MeetingPlan]:
    """The plan of every meeting of the round, in order, all drawn from one `Random(seed)`.

    A generator, so that the writer can persist one meeting before the next is planned.
    """
    rng = random.Random(seed)
    for spec in MEETINGS:
        yield meeting_plan(catalog, spec, scale=scale, rng=rng)


def meeting_plan(
    catalog: CatalogSnapshot, spec: MeetingSpec, *, scale: int, rng: random.Random
) -> MeetingPlan:
    """Plan one meeting: its participants and `scale` times its agreements or commitments."""
    return _MeetingPlanner(catalog, spec, scale=scale, rng=rng).plan()


@dataclass(frozen=True)
class _Draft:
    """An agreement before its folio is known (folios follow the theme order)."""

    theme: ThemeInfo
    text: str
    deliverable: str
    validating_area: str
    priority: str
    commitments: tuple[CommitmentPlan, ...]


class _MeetingPlanner:
    """Draws the agreements of one meeting; keeps the texts already used so none repeats."""

    def __init__(
        self, catalog: CatalogSnapshot, spec: MeetingSpec, *, scale: int, rng: random.Random
    ) -> None:
        self.catalog = catalog
        self.spec = spec
        self.scale = scale
        self.rng = rng
        self.ooad = catalog.region_units(spec.region, UnitKind.OOAD)
        self.umae = catalog.region_units(spec.region, UnitKind.UMAE)
        if not self.ooad:
            raise ValueError(f"La región {spec.region} no tiene OOAD en el catálogo.")
        self.themes = tuple(t for t in catalog.themes if t.code in texts.THEMES)
        if not self.themes:
            raise ValueError("El catálogo no tiene líneas de acción conocidas.")
        self.start = spec.end_date
        self.due_dates = [
            (date, weight)
            for date, weight in DUE_DATES
            if (date - self.start).days >= MIN_TERM_DAYS
        ] or [(self.start + dt.timedelta(days=180), 1)]
        self.used_texts: set[str] = set()
        self.fallbacks = 0

    # -- the meeting

    def plan(self) -> MeetingPlan:
        working_groups = working_groups_plan(self.catalog, self.spec)
        participants = sorted(
            [u.code for u in self.ooad]
            + [u.code for u in self.umae]
            + [w.code for w in working_groups]
        )
        drafts = self._drafts()
        # A minuta lists its agreements by línea de acción; the folio follows that order.
        drafts.sort(key=lambda d: (d.theme.order, d.theme.code))
        width = max(4, len(str(len(drafts))))
        folio_base = Meeting(code=self.spec.code, start_date=self.spec.start_date)
        agreements = tuple(
            AgreementPlan(
                folio=folio_format(folio_base, number, width=width),
                text=draft.text,
                deliverable=draft.deliverable,
                theme_code=draft.theme.code,
                validating_area_code=draft.validating_area,
                priority=draft.priority,
                commitments=draft.commitments,
            )
            for number, draft in enumerate(drafts, start=1)
        )
        return MeetingPlan(
            spec=self.spec,
            participant_codes=tuple(participants),
            working_groups=working_groups,
            agreements=agreements,
        )

    def _drafts(self) -> list[_Draft]:
        """Agreements until the meeting's size is reached; the first ones cover every theme."""
        target_agreements = (self.spec.agreements or 0) * self.scale
        target_commitments = (self.spec.commitments or 0) * self.scale
        opening = list(self.themes)
        self.rng.shuffle(opening)
        drafts: list[_Draft] = []
        signed = 0
        while True:
            if self.spec.agreements is not None and len(drafts) >= target_agreements:
                break
            remaining = target_commitments - signed if self.spec.commitments is not None else None
            if remaining is not None and remaining <= 0:
                break
            theme = opening[len(drafts)] if len(drafts) < len(opening) else self._theme()
            draft = self._draft(theme, remaining)
            drafts.append(draft)
            signed += len(draft.commitments)
        return drafts

    def _theme(self) -> ThemeInfo:
        weights = [texts.THEMES[t.code].weight for t in self.themes]
        return self.rng.choices(self.themes, weights=weights)[0]

    # -- one agreement

    def _draft(self, theme: ThemeInfo, remaining: int | None) -> _Draft:
        vocabulary = texts.THEMES[theme.code]
        units, scope, actions = self._binding(vocabulary, remaining)
        due = self._due_date()
        action, text, mentions_due = self._text(vocabulary, actions, scope, units, due)
        kind = self._target_kind(action)
        weight = Decimal(self._weighted(WEIGHTS))
        stages = (
            vocabulary.milestones
            if action.project or theme.code not in texts.PROJECT_MILESTONE_THEMES
            else texts.GENERIC_MILESTONES
        )
        bound = {u.code for u in units}
        commitments = tuple(
            self._commitment(
                unit,
                due=due if mentions_due or self.rng.random() < 0.85 else self._due_date(),
                weight=weight,
                kind=kind,
                indicator=action.indicator,
                stages=stages,
                bound=bound,
            )
            for unit in units
        )
        return _Draft(
            theme=theme,
            text=text,
            deliverable=self._deliverable(vocabulary, action),
            validating_area=self._validating_area(theme, vocabulary, scope),
            priority=self._weighted(PRIORITIES),
            commitments=commitments,
        )

    def _binding(
        self, vocabulary: texts.ThemeTexts, remaining: int | None
    ) -> tuple[tuple[UnitInfo, ...], str, tuple[texts.Action, ...]]:
        """The units an agreement binds, the scope that words its place, and the actions that
        fit them. Commitments never exceed what the meeting has left to sign."""
        umae_allowed = bool(self.umae) and not vocabulary.ooad_only
        for _ in range(100):
            binding = self._weighted(BINDINGS)
            if not umae_allowed and binding in ("single_umae", "all_umae"):
                continue
            if binding == "single_ooad":
                units: tuple[UnitInfo, ...] = (self.rng.choice(self.ooad),)
            elif binding == "single_umae":
                units = (self.rng.choice(self.umae),)
            elif binding == "few":
                pool = self.ooad + self.umae if umae_allowed else self.ooad
                size = min(self.rng.randint(2, 4), len(pool))
                units = tuple(sorted(self.rng.sample(pool, size), key=lambda u: u.code))
            elif binding == "all_ooad" or (binding == "all" and not umae_allowed):
                units = self.ooad
            elif binding == "all_umae":
                units = self.umae
            else:
                units = tuple(sorted(self.ooad + self.umae, key=lambda u: u.code))
            if remaining is not None and len(units) > remaining:
                units = tuple(sorted(self.rng.sample(units, remaining), key=lambda u: u.code))
            scope = _scope(units)
            actions = tuple(a for a in vocabulary.actions if _fits(a, scope))
            if actions:
                return units, scope, actions
        raise ValueError(f"Sin acciones para la línea de acción {vocabulary.code}.")

    def _text(
        self,
        vocabulary: texts.ThemeTexts,
        actions: tuple[texts.Action, ...],
        scope: str,
        units: tuple[UnitInfo, ...],
        due: dt.date,
    ) -> tuple[texts.Action, str, bool]:
        """An agreement text not used before in this meeting: action + place + qualifier."""
        unit = units[0]
        # Some (not all) of the region's units: "los OOAD participantes", not "de la Región".
        partial = len(units) > 1 and len(units) < len(self._scope_pool(scope))
        qualifiers = texts.GENERIC_QUALIFIERS + vocabulary.qualifiers
        # Clauses with a number or date (deadline, quantity) and plain follow-up clauses: after a
        # few collisions a text takes one of each, which squares the space of texts.
        measured = [q for q in qualifiers if "{" in q]
        plain = [q for q in qualifiers if q and "{" not in q]
        action = actions[0]
        text = ""
        mentions_due = False
        for attempt in range(TEXT_ATTEMPTS):
            action = self.rng.choice(actions)
            places = [p for key in action.places for p in texts.PLACES[key].variant(scope)]
            if partial:
                places = [p for p in places if "{region}" not in p] or places
            place = self.rng.choice(places)
            if attempt < TEXT_ATTEMPTS // 4:
                qualifier = self.rng.choice(qualifiers)
            else:
                qualifier = self.rng.choice(measured) + self.rng.choice(plain)
            values = {
                "n": self.rng.randint(1, 99),
                "city": unit.city or unit.short_name,
                "short": unit.short_name,
                "region": self.spec.region,
                "specialty": self.rng.choice(texts.SPECIALTIES),
                "due": long_date(due),
                "pct": self.rng.choice(range(70, 101, 5)),
                "k": self.rng.randint(2, 12),
            }
            text = f"{action.text} {place.format(**values)}{qualifier.format(**values)}."
            mentions_due = "{due}" in qualifier
            if text not in self.used_texts:
                self.used_texts.add(text)
                return action, text, mentions_due
        # Practically unreachable: the space of texts is far larger than any meeting, but a
        # reference to the minuta's annex keeps the text unique whatever happens.
        while text in self.used_texts:
            self.fallbacks += 1
            text = f"{text[:-1]}, conforme al anexo {self.fallbacks} de la minuta."
        self.used_texts.add(text)
        return action, text, mentions_due

    def _scope_pool(self, scope: str) -> tuple[UnitInfo, ...]:
        """Every unit of the region that a scope can name."""
        if scope == "multi_ooad":
            return self.ooad
        if scope == "multi_umae":
            return self.umae
        return self.ooad + self.umae

    def _deliverable(self, vocabulary: texts.ThemeTexts, action: texts.Action) -> str:
        """The action's own evidence mostly, else the theme's or a generic one."""
        if action.deliverables and self.rng.random() < 0.7:
            return self.rng.choice(action.deliverables)
        if self.rng.random() < 0.6:
            return self.rng.choice(vocabulary.deliverables)
        return self.rng.choice(texts.GENERIC_DELIVERABLES)

    def _due_date(self) -> dt.date:
        dates = [d for d, _ in self.due_dates]
        weights = [w for _, w in self.due_dates]
        return self.rng.choices(dates, weights=weights)[0]

    def _target_kind(self, action: texts.Action) -> str:
        if action.indicator is not None and self.rng.random() < 0.8:
            return TargetKind.INDICATOR.value
        if action.project and self.rng.random() < 0.75:
            return TargetKind.MILESTONES.value
        if self.rng.random() < 0.25:
            return TargetKind.MILESTONES.value
        return TargetKind.PERCENT.value

    def _validating_area(self, theme: ThemeInfo, vocabulary: texts.ThemeTexts, scope: str) -> str:
        """The theme's lead area mostly; sometimes one of its coordinations (CUMAE for UMAE)."""
        candidates: Sequence[str] = ()
        if scope in ("umae", "multi_umae") and vocabulary.umae_coordinations:
            if self.rng.random() < 0.6:
                candidates = vocabulary.umae_coordinations
        elif self.rng.random() < 0.3:
            candidates = vocabulary.coordinations
        if candidates:
            choice = self.rng.choice(tuple(candidates))
            if self.catalog.is_within(choice, theme.lead_area):
                return choice
        return theme.lead_area

    # -- one commitment

    def _commitment(
        self,
        unit: UnitInfo,
        *,
        due: dt.date,
        weight: Decimal,
        kind: str,
        indicator: texts.IndicatorSpec | None,
        stages: tuple[str, ...],
        bound: set[str],
    ) -> CommitmentPlan:
        co_responsible: tuple[str, ...] = ()
        if self.rng.random() < CO_RESPONSIBLE_SHARE:
            candidates = [u.code for u in self.ooad + self.umae if u.code not in bound]
            if candidates:
                count = min(len(candidates), 1 if self.rng.random() < 0.7 else 2)
                co_responsible = tuple(sorted(self.rng.sample(candidates, count)))
        indicator_name = unit_of_measure = ""
        baseline = target_value = None
        milestones: tuple[MilestonePlan, ...] = ()
        if kind == TargetKind.INDICATOR and indicator is not None:
            indicator_name, unit_of_measure = indicator.name, indicator.unit_of_measure
            baseline, target_value = self._indicator_values(indicator)
        elif kind == TargetKind.MILESTONES:
            milestones = self._milestones(stages, due)
        return CommitmentPlan(
            unit_code=unit.code,
            co_responsible=co_responsible,
            start_date=self.start,
            due_date=due,
            weight=weight,
            target_kind=kind,
            indicator_name=indicator_name,
            unit_of_measure=unit_of_measure,
            baseline=baseline,
            target_value=target_value,
            milestones=milestones,
        )

    def _indicator_values(self, spec: texts.IndicatorSpec) -> tuple[Decimal, Decimal]:
        """A baseline and a target that differ, with the spec's precision and direction."""
        quantum = Decimal(1).scaleb(-spec.decimals)
        baseline = self._uniform(spec.baseline, quantum)
        if spec.target is not None:
            target = self._uniform(spec.target, quantum)
        else:
            change = self._uniform(spec.change, Decimal("0.001"))
            factor = 1 - change if spec.lower_is_better else 1 + change
            target = (baseline * factor).quantize(quantum, rounding=ROUND_HALF_UP)
        if spec.ceiling is not None:
            target = min(target, spec.ceiling)
        if target == baseline:
            target = baseline - quantum if spec.lower_is_better else baseline + quantum
        return baseline, target

    def _uniform(self, bounds: tuple[str, str], quantum: Decimal) -> Decimal:
        low, high = Decimal(bounds[0]), Decimal(bounds[1])
        value = low + (high - low) * Decimal(repr(self.rng.random()))
        return value.quantize(quantum, rounding=ROUND_HALF_UP)

    def _milestones(self, stages: tuple[str, ...], due: dt.date) -> tuple[MilestonePlan, ...]:
        """2–5 hitos in the order of the stages, the last one on the due date; weights add up
        to 100."""
        span = (due - self.start).days
        count = min(self.rng.randint(2, 5), len(stages), span)
        chosen = [*sorted(self.rng.sample(range(len(stages) - 1), count - 1)), len(stages) - 1]
        days: list[int] = []
        for index in range(1, count + 1):
            ideal = round(span * index / count)
            jitter = self.rng.randint(-span // (4 * count), span // (4 * count))
            day = span if index == count else max(1, min(span - (count - index), ideal + jitter))
            days.append(max(day, days[-1] + 1) if days else day)
        raw = [self.rng.randint(1, 4) for _ in range(count)]
        shares = [round(100 * r / sum(raw)) for r in raw[:-1]]
        shares.append(100 - sum(shares))
        return tuple(
            MilestonePlan(
                name=stages[stage],
                due_date=self.start + dt.timedelta(days=day),
                weight=Decimal(share),
            )
            for stage, day, share in zip(chosen, days, shares, strict=True)
        )

    def _weighted(self, options: Sequence[tuple[_T, int]]) -> _T:
        return self.rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _scope(units: Sequence[UnitInfo]) -> str:
    """How a place is worded for these units: ooad | umae | multi_ooad | multi_umae | mixed."""
    kinds = {u.kind for u in units}
    if len(units) == 1:
        return "umae" if UnitKind.UMAE in kinds else "ooad"
    if kinds == {UnitKind.OOAD.value}:
        return "multi_ooad"
    if kinds == {UnitKind.UMAE.value}:
        return "multi_umae"
    return "mixed"


def _fits(action: texts.Action, scope: str) -> bool:
    if action.ooad_only and scope not in ("ooad", "multi_ooad"):
        return False
    return any(texts.PLACES[key].variant(scope) for key in action.places)
