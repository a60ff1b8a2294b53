"""Writes of the reporting app: storing generated informes (immutable, with their SHA-256) and
delivering them by e-mail and to the Informes inbox."""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse

from acuerdos.audit import services as audit
from acuerdos.core.dates import long_date
from acuerdos.evaluation.models import CutOff
from acuerdos.notifications.mail import email_enqueue
from acuerdos.notifications.services import area_validators, coordinators, notify, unit_people
from acuerdos.organization.models import User
from acuerdos.reporting import documents
from acuerdos.reporting.models import (
    Audience,
    DeliveryChannel,
    Report,
    ReportDelivery,
    ReportFormat,
)
from acuerdos.reporting.selectors import ReportContent, audiences, cutoff_contents

logger = logging.getLogger(__name__)
MIMETYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Generated:
    """The files of one audience, and whether they were made now (False: already stored)."""

    pdf: Report
    xlsx: Report
    created: bool


def _existing(cutoff: CutOff, kind: str, key: int | None, fmt: str) -> Report | None:
    return Report.objects.filter(cutoff=cutoff, audience=kind, audience_key=key, format=fmt).first()


def report_store(
    *,
    content: ReportContent,
    fmt: str,
    data: bytes,
    actor: Any = None,
    source: str = "worker",
) -> tuple[Report, bool]:
    """Store one generated file as an immutable Report (and audit it). If the same cut-off,
    audience and format is already stored, that row is returned and nothing is written: a
    closed cut-off's figures never change, so neither does its report."""
    ref = content.audience
    existing = _existing(content.cutoff, ref.kind, ref.key, fmt)
    if existing is not None:
        return existing, False
    digest = hashlib.sha256(data).hexdigest()
    name = f"informes/{content.cutoff.date:%Y-%m-%d}/{ref.kind}-{ref.key or 0}-{digest[:16]}.{fmt}"
    stored = default_storage.save(name, ContentFile(data))
    try:
        with transaction.atomic():
            report = Report(
                cutoff=content.cutoff,
                as_of=content.cutoff.date,
                audience=ref.kind,
                audience_key=ref.key,
                audience_code=ref.code[:40],
                audience_name=ref.name[:300],
                format=fmt,
                sha256=digest,
                size=len(data),
                generated_by=actor if getattr(actor, "pk", None) else None,
                figures=content.figures(),
                bundle=f"corte-{content.cutoff.pk}-{ref.kind}-{ref.key or 0}",
            )
            report.file.name = stored
            report.full_clean(validate_constraints=False)
            report.save()
            audit.record(
                actor=actor,
                action="report.generated",
                target=report,
                context={"sha256": digest, "size": len(data), "format": fmt},
                source=source,
            )
    except IntegrityError:
        # Another worker stored it first: keep theirs, drop our file.
        default_storage.delete(stored)
        found = _existing(content.cutoff, ref.kind, ref.key, fmt)
        if found is None:
            raise
        return found, False
    except Exception:
        default_storage.delete(stored)
        raise
    return report, True


def recipients(report: Report) -> list[User]:
    """The people of a report's audience: heads and liaisons of a unit, validators of an area,
    coordinators for regions and the nation."""
    if report.audience == Audience.UNIT and report.audience_key:
        people = unit_people(report.audience_key)
    elif report.audience == Audience.AREA and report.audience_key:
        people = area_validators(report.audience_key)
    else:
        people = coordinators()
    return list(people.order_by("pk"))


def report_deliver(*, pdf: Report, xlsx: Report | None = None) -> list[ReportDelivery]:
    """Deliver an audience's report to each of its people, once per person and channel: an
    e-mail with the PDF attached (through the outbox, which retries until it is sent), the
    Informes inbox, and an in-app notification. Running it again delivers nothing twice."""
    people = recipients(pdf)
    done = set(ReportDelivery.objects.filter(report=pdf).values_list("user_id", "channel"))
    inbox_url = reverse("reporting:inbox")
    subject = (
        f"{pdf.get_audience_display()}: {pdf.audience_name}, con corte al {long_date(pdf.as_of)}"
    )
    created: list[ReportDelivery] = []
    fresh: list[User] = []
    is_pack = pdf.audience == Audience.MEETING_PACK
    noun = "Nuevo paquete de reunión de seguimiento" if is_pack else "Nuevo informe"
    with transaction.atomic():
        for user in people:
            if (user.pk, DeliveryChannel.EMAIL) not in done:
                what = (
                    "el paquete de la reunión de seguimiento de"
                    if is_pack
                    else "el informe de seguimiento de compromisos"
                )
                body = (
                    f"Buen día:\n\nSe adjunta {what} "
                    f"«{pdf.audience_name}» con corte al {long_date(pdf.as_of)}.\n\n"
                    f"También puede consultarlo, junto con su versión en XLSX, en la bandeja "
                    f"Informes del sistema Acuerdos ({inbox_url}).\n\n"
                    "Dirección de Operación y Evaluación · Instituto Mexicano del Seguro Social"
                )
                email = email_enqueue(
                    to=user.email,
                    subject=subject,
                    body=body,
                    attachments=[(pdf.file_name, pdf.file.name, MIMETYPES[ReportFormat.PDF])],
                    dedupe_key=f"report:{pdf.pk}:user:{user.pk}",
                    user=user,
                )
                created.append(
                    ReportDelivery(
                        report=pdf,
                        user=user,
                        channel=DeliveryChannel.EMAIL,
                        outcome=str(email.status),
                        email=email,
                    )
                )
            if (user.pk, DeliveryChannel.INBOX) not in done:
                created.append(
                    ReportDelivery(
                        report=pdf, user=user, channel=DeliveryChannel.INBOX, outcome="delivered"
                    )
                )
                fresh.append(user)
        ReportDelivery.objects.bulk_create(created, ignore_conflicts=True)
        if fresh:
            notify(
                recipients=fresh,
                kind="report.published",
                title=f"{noun}: {pdf.audience_name}, con corte al {long_date(pdf.as_of)}",
                body="Disponible en Informes (PDF y XLSX).",
                url=inbox_url,
            )
        if created:
            audit.record(
                actor=None,
                action="report.delivered",
                target=pdf,
                context={
                    "recipients": len({d.user_id for d in created}),
                    "emails": sum(1 for d in created if d.channel == DeliveryChannel.EMAIL),
                },
                source="worker",
            )
    return created


def reports_generate(
    *,
    cutoff: CutOff,
    only: Sequence[tuple[str, int | None]] | None = None,
    actor: Any = None,
    deliver: bool = True,
    out_dir: Path | None = None,
    source: str = "worker",
) -> list[Generated]:
    """Generate (PDF and XLSX), store and deliver the report of every audience of a closed
    cut-off, or only of the given (kind, key) audiences. Idempotent: an audience whose files
    are stored is not drawn again (and its deliveries are not repeated)."""
    wanted = only if only is not None else [(a.kind, a.key) for a in audiences(cutoff)]
    stored = {
        (r.audience, r.audience_key, r.format): r
        for r in Report.objects.filter(cutoff=cutoff).exclude(audience=Audience.MEETING_PACK)
    }
    missing = [
        (kind, key)
        for kind, key in wanted
        if (kind, key, ReportFormat.PDF) not in stored
        or (kind, key, ReportFormat.XLSX) not in stored
    ]
    results: list[Generated] = []
    for kind, key in wanted:
        if (kind, key) not in missing:
            results.append(
                Generated(
                    stored[(kind, key, ReportFormat.PDF)],
                    stored[(kind, key, ReportFormat.XLSX)],
                    False,
                )
            )
    for content in cutoff_contents(cutoff, only=missing) if missing else []:
        pdf, pdf_new = report_store(
            content=content,
            fmt=ReportFormat.PDF,
            data=documents.render_pdf(documents.render_html(content)),
            actor=actor,
            source=source,
        )
        xlsx, xlsx_new = report_store(
            content=content,
            fmt=ReportFormat.XLSX,
            data=documents.render_xlsx(content),
            actor=actor,
            source=source,
        )
        results.append(Generated(pdf, xlsx, pdf_new or xlsx_new))
    for generated in results:
        if deliver:
            report_deliver(pdf=generated.pdf, xlsx=generated.xlsx)
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            for report in (generated.pdf, generated.xlsx):
                with (
                    report.file.open("rb") as source_file,
                    (out_dir / report.file_name).open("wb") as target,
                ):
                    shutil.copyfileobj(source_file, target)
    return results


@transaction.atomic
def report_downloaded(*, report: Report, actor: Any) -> None:
    """Record that someone downloaded an informe (downloads are audited)."""
    audit.record(
        actor=actor,
        action="report.downloaded",
        target=report,
        context={"sha256": report.sha256, "format": report.format},
    )
