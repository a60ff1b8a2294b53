"""Agreements exported in the import template's own columns, so that an export re-imports
unchanged (export → fresh database → import → the same agreements and commitments).

`agreements_export(target, commitments)` writes the «Acuerdos» and «Hitos» sheets from a
commitments queryset (the caller scopes it with `visible_to(user)`); `agreement_rows` and
`milestone_rows` are the row generators, for CSV or any other writer of acuerdos.core.exports.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from acuerdos.commitments.imports.headers import AGREEMENT_FIELDS, MILESTONE_FIELDS
from acuerdos.commitments.models import Commitment, Milestone, TargetKind
from acuerdos.core.exports import Column, ColumnKind, XlsxExport

ITERATOR_CHUNK = 2_000

_KINDS: dict[str, ColumnKind] = {
    "start_date": "date",
    "due_date": "date",
    "date": "date",
    "weight": "number",
}

AGREEMENT_COLUMNS = [Column(f.label, kind=_KINDS.get(f.key, "text")) for f in AGREEMENT_FIELDS]
MILESTONE_COLUMNS = [Column(f.label, kind=_KINDS.get(f.key, "text")) for f in MILESTONE_FIELDS]


def _plain(value: Any) -> Any:
    """Decimals without trailing zeros (45.0000 → 45), as a person would write them."""
    return value.normalize() if hasattr(value, "normalize") else value


def agreement_rows(commitments: QuerySet[Commitment]) -> Iterator[list[Any]]:
    """One row per commitment, in the order of AGREEMENT_FIELDS; the agreement's fields are
    repeated on each of its rows (which the importer groups back by folio)."""
    queryset = (
        commitments.select_related(
            "agreement__theme", "agreement__validating_area", "responsible_unit"
        )
        .prefetch_related("co_responsible_units")
        .order_by("agreement__folio", "pk")
    )
    for commitment in queryset.iterator(chunk_size=ITERATOR_CHUNK):
        agreement = commitment.agreement
        indicator = commitment.target_kind == TargetKind.INDICATOR
        values = {
            "folio": agreement.folio,
            "text": agreement.text,
            "deliverable": agreement.deliverable,
            "theme": agreement.theme.name,
            "validating_area": agreement.validating_area.code,
            "responsible": commitment.responsible_unit.short_name,
            "co_responsible": "; ".join(
                sorted(u.short_name for u in commitment.co_responsible_units.all())
            ),
            "start_date": commitment.start_date,
            "due_date": commitment.due_date,
            "goal": _plain(commitment.target_value) if indicator else None,
            "baseline": _plain(commitment.baseline) if indicator else None,
            "indicator": commitment.indicator_name if indicator else "",
            "unit_of_measure": commitment.unit_of_measure if indicator else "",
            "weight": _plain(commitment.weight),
            "priority": agreement.get_priority_display(),
        }
        yield [values[field.key] for field in AGREEMENT_FIELDS]


def milestone_rows(commitments: QuerySet[Commitment]) -> Iterator[list[Any]]:
    """The milestones of these commitments, in the order of MILESTONE_FIELDS."""
    queryset = (
        Milestone.objects.filter(commitment__in=commitments)
        .select_related("commitment__agreement", "commitment__responsible_unit")
        .order_by("commitment__agreement__folio", "commitment_id", "order", "pk")
    )
    for milestone in queryset.iterator(chunk_size=ITERATOR_CHUNK):
        yield [
            milestone.commitment.agreement.folio,
            milestone.commitment.responsible_unit.short_name,
            milestone.name,
            milestone.due_date,
            _plain(milestone.weight),
        ]


def agreements_export(target: str | Path, commitments: QuerySet[Commitment]) -> None:
    """An XLSX with the «Acuerdos» and «Hitos» sheets of these commitments, re-importable."""
    export = XlsxExport(target)
    try:
        export.add_sheet("Acuerdos", AGREEMENT_COLUMNS, agreement_rows(commitments))
        export.add_sheet("Hitos", MILESTONE_COLUMNS, milestone_rows(commitments))
    finally:
        export.close()
