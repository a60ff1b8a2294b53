"""Bulk change of the validating area: the validators who gain or lose the agreement (and its
reports waiting for validation) hear of it, as the units do, and the reports move to the new
area's "Por validar" queue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from acuerdos.commitments.bulk_services import (
    AREA,
    BulkParams,
    commitments_bulk_apply,
    items_of,
)
from acuerdos.commitments.models import Commitment
from acuerdos.commitments.tests.factories import AgreementFactory, CommitmentFactory
from acuerdos.notifications.models import Notification
from acuerdos.organization.models import Role, Unit
from acuerdos.organization.tests.factories import MembershipFactory, UserFactory
from acuerdos.progress.models import ProgressReport

pytestmark = pytest.mark.django_db

KIND = "agreement.validating_area_changed"
REASON = "Corresponde a Administración"


@pytest.fixture(autouse=True)
def _frozen(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(dt.datetime(2026, 6, 15, 18, tzinfo=dt.UTC), tick=False):
        yield


def _validator(key: str, area_code: str):
    user = UserFactory(email=f"{key}@imss.gob.mx", full_name=key.title())
    MembershipFactory(user=user, unit=Unit.objects.get(code=area_code), role=Role.VALIDATOR)
    return user


def _submit(world, commitment: Commitment) -> ProgressReport:
    from acuerdos.progress.services import ReportInput, report_submit
    from acuerdos.progress.tests.helpers import PDF, upload

    return report_submit(
        commitment=commitment,
        actor=world.users["liaison"],
        data=ReportInput(as_of=dt.date(2026, 6, 10), percent=Decimal("40"), narrative="Avance."),
        uploads=[upload(PDF, "avance.pdf")],
    )


def _to_area(world, code: str, *commitments: Commitment) -> None:
    commitments_bulk_apply(
        items=items_of(Commitment.objects.filter(pk__in=[c.pk for c in commitments])),
        params=BulkParams(action=AREA, reason=REASON, area=Unit.objects.get(code=code)),
        actor=world.users["coordinator"],
    )


def _notices(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=KIND).order_by("pk"))


def _queue(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("progress:review_queue"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_waiting_report_moves_to_the_new_area_queue_and_both_areas_hear_of_it(world):
    da_validator = _validator("validador_da", "DA")
    above_both = _validator("validador_dg", "DG")  # sees DPM and DA: nothing changes for them
    report = _submit(world, world.own_commitment)
    old_validator = world.users["validator"]  # DPM
    assert "TST-CEN-2026-0001" in _queue(old_validator)
    assert "TST-CEN-2026-0001" not in _queue(da_validator)

    _to_area(world, "DA", world.own_commitment)

    assert "TST-CEN-2026-0001" in _queue(da_validator)
    assert "TST-CEN-2026-0001" not in _queue(old_validator)
    (arrived,) = _notices(da_validator)
    assert arrived.title == "1 reporte por validar del acuerdo TST-CEN-2026-0001 llegó a su bandeja"
    assert "de Prestaciones Médicas a Administración" in arrived.body
    assert "Por validar" in arrived.body and REASON in arrived.body
    assert arrived.url == reverse("progress:review_queue")
    (left,) = _notices(old_validator)
    assert left.title == "1 reporte por validar del acuerdo TST-CEN-2026-0001 salió de su bandeja"
    assert "Ahora los valida Administración" in left.body
    assert _notices(above_both) == []
    assert _notices(world.users["coordinator"]) == []  # who made the change is not told
    # The units hear of it too, on their commitment.
    for persona in ("liaison", "head"):
        (unit_notice,) = _notices(world.users[persona])
        assert unit_notice.title == "El acuerdo TST-CEN-2026-0001 lo valida ahora Administración"
        assert unit_notice.commitment_id == world.own_commitment.pk
    # The report itself is untouched: still waiting, now for the new area.
    report.refresh_from_db()
    assert report.state == "submitted"


def test_without_waiting_reports_only_the_new_area_is_told(world):
    da_validator = _validator("validador_da", "DA")
    _to_area(world, "DA", world.own_commitment)
    (notice,) = _notices(da_validator)
    assert notice.title == "Su área valida ahora el acuerdo TST-CEN-2026-0001"
    assert notice.url == world.own.get_absolute_url()
    assert _notices(world.users["validator"]) == []


def test_it_counts_the_waiting_reports_of_each_agreement(world):
    da_validator = _validator("validador_da", "DA")
    second = CommitmentFactory(
        agreement=world.own, responsible_unit=Unit.objects.get(code="OOAD-HGO")
    )
    _submit(world, world.own_commitment)
    from acuerdos.progress.services import ReportInput, report_submit
    from acuerdos.progress.tests.helpers import PDF, upload

    report_submit(
        commitment=second,
        actor=world.users["other_liaison"],
        data=ReportInput(as_of=dt.date(2026, 6, 11), percent=Decimal("10"), narrative="x"),
        uploads=[upload(PDF, "b.pdf")],
    )
    _to_area(world, "DA", world.own_commitment)
    (arrived,) = _notices(da_validator)
    assert arrived.title.startswith("2 reportes por validar del acuerdo TST-CEN-2026-0001 llegaron")
    (left,) = _notices(world.users["validator"])
    assert "salieron de su bandeja" in left.title


def test_who_is_told_costs_the_same_queries_for_two_agreements_or_six(world):
    _validator("validador_da", "DA")
    _submit(world, world.own_commitment)

    def notice_queries(n: int) -> int:
        commitments = [world.own_commitment] if n == 6 else []
        for i in range(n - len(commitments)):
            agreement = AgreementFactory(meeting=world.meeting, folio=f"TST-Q{n}-{i:04d}")
            commitments.append(
                CommitmentFactory(
                    agreement=agreement, responsible_unit=Unit.objects.get(code="OOAD-QRO")
                )
            )
        with CaptureQueriesContext(connection) as ctx:
            _to_area(world, "DA", *commitments)
        # The reads of who is told and the writes of what they are told.
        return sum(
            1
            for q in ctx.captured_queries
            if "notifications_notification" in q["sql"]
            or '"organization_user"' in q["sql"]
            or '"parent_id"' in q["sql"]
            or '"progress_progressreport"' in q["sql"]
        )

    assert notice_queries(2) == notice_queries(6)
    assert Notification.objects.filter(kind=KIND).count() > 6


def test_the_review_screen_says_which_waiting_reports_move_and_who_is_told(world, clients):
    _submit(world, world.own_commitment)
    da_validator = _validator("validador_da", "DA")
    prepare = reverse("commitments:bulk_prepare")
    client = clients["coordinator"]
    step2 = client.post(
        prepare, {"action": "area", "ids": [world.own_commitment.pk], "filters": "q=TST"}
    )
    data = {
        "action": "area",
        "items": str(step2.context["form"]["items"].value()),
        "area": Unit.objects.get(code="DA").pk,
        "reason": REASON,
    }
    review = client.post(prepare, data).content.decode()
    assert (
        "1 reporte por validar pasa a la bandeja «Por validar» de Administración; "
        "se avisa a las personas validadoras de ambas áreas." in review
    )
    assert client.post(reverse("commitments:bulk_apply"), data).status_code == 302
    assert len(_notices(da_validator)) == 1
    assert len(_notices(world.users["validator"])) == 1
