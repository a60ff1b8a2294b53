"""Stored reports for tests that need one without drawing it (matrix rows, scoping)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from acuerdos.evaluation.models import CutOff, CutOffStatus
from acuerdos.organization.models import Region, Unit
from acuerdos.reporting.models import Audience, Report, ReportFormat

CUTOFF_DATE = dt.date(2026, 3, 31)


def closed_cutoff(date: dt.date = CUTOFF_DATE) -> CutOff:
    """A closed cut-off row (without snapshot rows: enough for the inbox)."""
    from django.utils import timezone

    cutoff, _ = CutOff.objects.get_or_create(
        date=date, defaults={"status": CutOffStatus.CLOSED, "closed_at": timezone.now()}
    )
    return cutoff


def stored_report(kind: str, code: str | None = None, fmt: str = ReportFormat.PDF) -> Report:
    """A report of the unit, area or region with that code (or the nation), with a small file."""
    key: int | None = None
    name = "Nacional"
    if kind in (Audience.UNIT, Audience.AREA):
        unit = Unit.objects.get(code=code)
        key, name = unit.pk, unit.name
    elif kind == Audience.REGION:
        region = Region.objects.get(code=code)
        key, name = region.pk, region.name
    data = f"%PDF-1.4 informe {kind} {code}".encode()
    stored = default_storage.save(f"informes/prueba/{kind}-{code}.{fmt}", ContentFile(data))
    report = Report(
        cutoff=closed_cutoff(),
        as_of=CUTOFF_DATE,
        audience=kind,
        audience_key=key,
        audience_code=code or "NACIONAL",
        audience_name=name,
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        bundle=f"prueba-{kind}-{code}",
    )
    report.file.name = stored
    report.save()
    return report
