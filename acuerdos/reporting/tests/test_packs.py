"""Each region's follow-up meeting pack made with a closed cut-off's informes: the cut-off's
frozen figures, stored once, delivered once to the coordinators; the on-demand pack stays."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from typing import Any

import pytest
import time_machine

from acuerdos.commitments.models import ExtensionRequest, ExtensionStatus
from acuerdos.evaluation.tests.boards_data import NOW, add_report, build_graded, grow
from acuerdos.notifications.models import Notification, OutgoingEmail
from acuerdos.organization.models import Region
from acuerdos.progress.inputs import refresh_inputs
from acuerdos.reporting.models import Audience, DeliveryChannel, Report, ReportDelivery
from acuerdos.reporting.packs import cutoff_packs_generate, meeting_pack_generate, pack_content

pytestmark = pytest.mark.django_db


def pdf_text(report: Report) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF text")
    with report.file.open("rb") as handle:
        data = handle.read()
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True)
    return done.stdout.decode()


@pytest.fixture
def closed(world: Any) -> Any:
    grow(world.meeting, 2, world.users["liaison"])
    return build_graded(world)


def test_it_makes_each_regions_pack_of_a_cutoff_once_and_delivers_it_to_coordinators(
    world: Any, closed: Any
) -> None:
    cutoff = closed.cutoff
    centro = Region.objects.get(code="REG-CENTRO")
    # After the cut-off, Hidalgo's overdue commitment is reported done and validated: the
    # cut-off's pack still shows it overdue (its frozen figures), the on-demand one does not.
    add_report(
        world.foreign_commitment,
        world.users["other_liaison"],
        as_of=dt.date(2026, 7, 10),
        percent=100,
        submitted_on=dt.date(2026, 7, 10),
        validated_on=dt.date(2026, 7, 11),
    )
    with time_machine.travel(NOW, tick=False):
        refresh_inputs()
        first = cutoff_packs_generate(cutoff=cutoff)
        again = cutoff_packs_generate(cutoff=cutoff)
        on_demand, _ = meeting_pack_generate(region=centro, actor=world.users["coordinator"])
    assert [(p.pk, x.pk) for p, x in first] == [(p.pk, x.pk) for p, x in again]
    packs = Report.objects.filter(cutoff=cutoff, audience=Audience.MEETING_PACK)
    assert packs.count() == 2 * len(first) and centro.pk in {p.audience_key for p, _ in first}
    pdf = packs.get(audience_key=centro.pk, format="pdf")
    assert pdf.as_of == cutoff.date and pdf.file_name == "paquete-reg-centro-2026-06-30.pdf"
    text = pdf_text(pdf)
    assert "Situación con corte al 30 de junio de 2026" in text
    assert "TST-CEN-2026-0002" in text  # overdue at the cut-off
    assert "TST-CEN-2026-0002" not in pdf_text(on_demand)  # fulfilled since
    assert on_demand.cutoff is None and on_demand.as_of == NOW.date()

    coordinator = world.users["coordinator"]
    for channel in (DeliveryChannel.EMAIL, DeliveryChannel.INBOX):
        people = set(
            ReportDelivery.objects.filter(report=pdf, channel=channel).values_list(
                "user_id", flat=True
            )
        )
        assert people == {coordinator.pk}
    assert ReportDelivery.objects.filter(report__audience=Audience.MEETING_PACK).count() == 2 * len(
        first
    )  # once per pack and channel, though generated twice; the on-demand pack is not mailed
    email = ReportDelivery.objects.get(report=pdf, channel=DeliveryChannel.EMAIL).email
    assert email is not None
    assert "Paquete de reunión de seguimiento" in email.subject
    assert "con corte al 30 de junio de 2026" in email.subject
    assert "paquete de la reunión de seguimiento" in email.body
    assert email.attachments == [[pdf.file_name, pdf.file.name, "application/pdf"]]
    assert OutgoingEmail.objects.filter(to=coordinator.email).count() == len(first)
    assert Notification.objects.filter(
        recipient=coordinator, kind="report.published", title__startswith="Nuevo paquete"
    ).count() == len(first)


def test_a_cutoffs_pack_tells_each_report_and_extension_as_it_stood_that_day(
    world: Any, closed: Any
) -> None:
    cutoff = closed.cutoff  # 30 June 2026
    commitment = world.foreign_commitment  # overdue at the cut-off
    add_report(
        commitment,
        world.users["other_liaison"],
        as_of=dt.date(2026, 6, 25),
        percent=60,
        submitted_on=dt.date(2026, 6, 26),
        validated_on=dt.date(2026, 7, 2),  # validated after the cut-off
    )
    ExtensionRequest.objects.create(
        commitment=commitment,
        requested_by=world.users["other_liaison"],
        previous_due_date=commitment.due_date,
        new_due_date=commitment.due_date + dt.timedelta(days=90),
        justification="Licitación desierta",
        status=ExtensionStatus.APPROVED,
        decided_by=world.users["coordinator"],
        decided_on=dt.date(2026, 7, 5),  # decided after the cut-off
    )
    ExtensionRequest.objects.filter(commitment=commitment).update(
        created_at=dt.datetime(2026, 6, 27, 12, tzinfo=dt.UTC)
    )
    with time_machine.travel(NOW, tick=False):
        refresh_inputs()
        content = pack_content(Region.objects.get(code="REG-CENTRO"), cutoff=cutoff)
        today_content = pack_content(Region.objects.get(code="REG-CENTRO"))
    (line,) = [
        ln for unit in content.units for ln in unit.lines if ln.commitment_id == commitment.pk
    ]
    assert (dt.date(2026, 6, 25), dt.date(2026, 6, 26), "Enviado") in [r[:3] for r in line.reports]
    assert line.extensions[-1][2:] == ("Pendiente", None)
    now = [
        ln for unit in today_content.units for ln in unit.lines if ln.commitment_id == commitment.pk
    ]
    assert not now or ("Validado" in [r[2] for r in now[0].reports])
