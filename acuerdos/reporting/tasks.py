"""Jobs of the reporting app. They take ids and are idempotent: a report already stored for a
cut-off, audience and format is never drawn again, and a delivery is never repeated."""

from __future__ import annotations

from typing import Any

from huey.contrib.djhuey import db_task

from acuerdos.evaluation.models import CutOff
from acuerdos.reporting.models import Audience
from acuerdos.reporting.selectors import audiences


@db_task(retries=2, retry_delay=60)
def generate_audience_report(cutoff_id: int, kind: str, key: int | None) -> int:
    """Generate, store and deliver one audience's report (PDF + XLSX) of a closed cut-off."""
    from acuerdos.reporting.services import reports_generate

    cutoff = CutOff.objects.get(pk=cutoff_id)
    return len(reports_generate(cutoff=cutoff, only=[(kind, key)]))


@db_task(retries=2, retry_delay=60)
def generate_cutoff_pack(cutoff_id: int, region_id: int) -> int:
    """Generate, store and deliver one region's follow-up meeting pack of a closed cut-off."""
    from acuerdos.reporting.packs import cutoff_packs_generate

    cutoff = CutOff.objects.get(pk=cutoff_id)
    return len(cutoff_packs_generate(cutoff=cutoff, regions=[region_id]))


@db_task(retries=2, retry_delay=60)
def generate_cutoff_reports(cutoff_id: int) -> int:
    """Fan out: one job per audience of the cut-off, and one per region for its follow-up
    meeting pack (each one idempotent)."""
    cutoff = CutOff.objects.get(pk=cutoff_id)
    refs = audiences(cutoff)
    for ref in refs:
        generate_audience_report(cutoff_id, ref.kind, ref.key)
    for ref in refs:
        if ref.kind == Audience.REGION and ref.key is not None:
            generate_cutoff_pack(cutoff_id, ref.key)
    return len(refs)


@db_task(retries=1, retry_delay=30)
def generate_meeting_pack(region_id: int, actor_id: int | None) -> int:
    """Generate a region's follow-up meeting pack (PDF + XLSX) for a coordinator."""
    from acuerdos.organization.models import Region, User
    from acuerdos.reporting.packs import meeting_pack_generate

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    pdf, _xlsx = meeting_pack_generate(region=Region.objects.get(pk=region_id), actor=actor)
    return pdf.pk


def on_cutoff_closed(sender: Any, cutoff_id: int, **kwargs: Any) -> None:
    """Receiver of `evaluation.signals.cutoff_closed`: queue the cut-off's reports."""
    from django.conf import settings

    if getattr(settings, "REPORTS_ON_CUTOFF_CLOSE", True):
        generate_cutoff_reports(cutoff_id)
