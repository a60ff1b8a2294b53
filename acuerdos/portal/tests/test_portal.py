"""The public transparency portal: what anyone sees without logging in, and what it never shows.

Built on the dashboard tests' data (`build_graded`): the cut-off of 30 jun 2026 is closed, a
report awaits validation after it, and one commitment is cancelled.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from acuerdos.core.tests.querycount import assert_constant_queries
from acuerdos.evaluation.models import CutOff
from acuerdos.evaluation.rules import Status
from acuerdos.evaluation.tests.boards_data import CUTOFF, NOW, TODAY, add_report, build_graded, grow
from acuerdos.portal import opendata
from acuerdos.progress.inputs import refresh_inputs
from acuerdos.progress.models import Comment, Evidence, ProgressReport, ReportState

pytestmark = pytest.mark.django_db

DAY = CUTOFF.isoformat()


@pytest.fixture
def graded(world):
    return build_graded(world)


def page_urls() -> list[str]:
    return [
        reverse("portal:index"),
        f"{reverse('portal:index')}?corte={DAY}",
        reverse("portal:region", args=["REG-CENTRO"]),
        f"{reverse('portal:region', args=['REG-CENTRO'])}?corte={DAY}",
        reverse("portal:region", args=["REG-NORTE"]),
        reverse("portal:data"),
    ]


def download_urls() -> list[str]:
    return [
        reverse("portal:data_csv", args=[CUTOFF]),
        reverse("portal:data_json", args=[CUTOFF]),
        reverse("portal:data_units_csv", args=[CUTOFF]),
    ]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


CSRF = re.compile(rb'"X-CSRFToken": "[^"]*"')


def everything(client: Client) -> dict[str, bytes]:
    """Every portal page and download, as the public gets them (pages without the per-request
    CSRF token of the layout)."""
    result = {}
    for url in [*page_urls(), *download_urls()]:
        response = client.get(url)
        assert response.status_code == 200, url
        result[url] = CSRF.sub(b"", body(response))
    return result


# --- Before any cut-off is closed -----------------------------------------------------------


def test_it_says_in_spanish_that_no_cut_off_is_closed_yet(world):
    CutOff.objects.create(date=CUTOFF)  # open: never published
    for url in (
        reverse("portal:index"),
        reverse("portal:region", args=["REG-CENTRO"]),
        reverse("portal:data"),
    ):
        response = Client().get(url)
        assert response.status_code == 200
        assert "Aún no hay cortes cerrados" in response.content.decode()
    for url in download_urls():
        assert Client().get(url).status_code == 404


# --- What is published ----------------------------------------------------------------------


def test_it_shows_the_latest_closed_cut_off_to_the_public(graded):
    response = Client().get(reverse("portal:index"))
    html = response.content.decode()
    assert "Cifras con corte al 30 de junio de 2026" in html
    assert "Nivel de cumplimiento" in html
    assert "Por región" in html and "Por línea de acción" in html and "Por área normativa" in html
    assert 'href="/transparencia/region/REG-CENTRO/"' in html
    assert reverse("portal:data_csv", args=[CUTOFF]) in html
    for url in page_urls():  # CSP: no inline code, styles or handlers on any page
        page = Client().get(url).content.decode()
        assert "<script>" not in page and "style=" not in page and " onclick=" not in page, url


def test_it_never_publishes_an_open_cut_off(graded):
    later = dt.date(2026, 7, 10)
    CutOff.objects.create(date=later)
    client = Client()
    assert client.get(f"{reverse('portal:index')}?corte={later.isoformat()}").status_code == 404
    assert client.get(f"{reverse('portal:index')}?corte=2026-02-30").status_code == 404
    assert client.get(reverse("portal:data_csv", args=[later])).status_code == 404
    assert client.get(reverse("portal:data_json", args=[later])).status_code == 404
    assert client.get("/transparencia/datos/2026-02-30.csv").status_code == 404
    html = client.get(reverse("portal:index")).content.decode()
    assert "10 de julio de 2026" not in html
    data_page = client.get(reverse("portal:data")).content.decode()
    assert "/transparencia/datos/2026-07-10" not in data_page


def test_an_unknown_region_is_a_404(graded):
    assert Client().get(reverse("portal:region", args=["REG-NADA"])).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_answers_only_get(graded, method):
    for url in [*page_urls(), *download_urls()]:
        assert getattr(Client(), method)(url).status_code == 405, url


def test_the_figures_equal_the_compliance_command(graded):
    out = io.StringIO()
    call_command("compliance", as_of=DAY, by="region", format="json", stdout=out)
    expected = json.loads(out.getvalue())["groups"]
    assert expected, "the command has groups to compare"
    from acuerdos.portal.selectors import national_board

    board = national_board(graded.cutoff, [graded.cutoff])
    published = [
        {
            "code": row.code,
            "total": row.figures.total,
            "counts": {s.value: n for s, n in row.figures.counts.items()},
            "levels": [
                row.figures.compliance_level,
                row.figures.average_progress,
                row.figures.timeliness,
            ],
        }
        for row in board.regions
        if row.figures.total
    ]
    from acuerdos.evaluation.rules import shown

    assert [g["code"] for g in expected] == [p["code"] for p in published]
    for group, row in zip(expected, published, strict=True):
        assert group["total"] == row["total"]
        assert group["counts"] == row["counts"]
        levels = [None if v is None else float(shown(v)) for v in row["levels"]]
        assert levels == [group["compliance_level"], group["average_progress"], group["timeliness"]]
    # …and the page shows them: every level of every region, as the command rounds it.
    html = Client().get(reverse("portal:index")).content.decode()
    for group in expected:
        for key in ("compliance_level", "average_progress", "timeliness"):
            value = group[key]
            assert (f"{value}\u00a0%" if value is not None else "n/a") in html
    # The units' open data carry the same figures as `compliance --by unit`.
    out = io.StringIO()
    call_command("compliance", as_of=DAY, by="unit", format="json", stdout=out)
    by_unit = {g["code"]: g for g in json.loads(out.getvalue())["groups"]}
    text = body(Client().get(reverse("portal:data_units_csv", args=[CUTOFF]))).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["unidad_clave"] for r in rows if int(r["compromisos"])} == set(by_unit)
    for r in rows:
        if r["unidad_clave"] in by_unit:
            g = by_unit[r["unidad_clave"]]
            assert int(r["compromisos"]) == g["total"]
            assert (float(r["nivel_cumplimiento"]) if r["nivel_cumplimiento"] else None) == (
                g["compliance_level"]
            )
            assert (float(r["avance_promedio"]) if r["avance_promedio"] else None) == (
                g["average_progress"]
            )


def test_later_reports_do_not_change_what_was_published(graded):
    """A report submitted but not validated after the closing (and even one validated after
    it) changes neither a page nor a download of the closed cut-off."""
    before = everything(Client())
    world = graded.world
    add_report(
        world.foreign_commitment,
        world.users["other_liaison"],
        as_of=dt.date(2026, 6, 29),
        percent=100,
        submitted_on=TODAY,
    )
    add_report(
        world.shared_commitment,
        world.users["other_liaison"],
        as_of=dt.date(2026, 6, 28),
        percent=100,
        submitted_on=TODAY,
        validated_on=TODAY,
    )
    with time_machine.travel(NOW, tick=False):
        refresh_inputs()
    assert everything(Client()) == before


# --- Open data ------------------------------------------------------------------------------


def test_the_csv_has_one_row_per_commitment_with_the_dictionary_columns(graded):
    world = graded.world
    world.meeting.name = '=HYPERLINK("http://x")'
    world.meeting.save()
    response = Client().get(reverse("portal:data_csv", args=[CUTOFF]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = body(response)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == [f.name for f in opendata.COMMITMENT_FIELDS]
    assert len(rows) == graded.cutoff.snapshot_rows == 5
    own = next(r for r in rows if r["folio"] == "TST-CEN-2026-0001")
    assert own["unidad_clave"] == "OOAD-QRO"
    assert own["region"] == "Región Centro"
    assert own["linea_accion_clave"] == "AM"
    assert own["avance"] == "100.0"
    assert own["estado_clave"] == "fulfilled" and own["estado"] == "Cumplido"
    assert own["cumplido_a_tiempo"] == "Sí"
    assert own["fecha_compromiso"] == "2026-06-30"
    assert own["reunion"] == '\'=HYPERLINK("http://x")'  # neutralised, never a formula
    statuses = {r["estado_clave"] for r in rows}
    assert statuses <= {s.value for s in Status}
    # Every enumerated column holds only the values its dictionary entry allows.
    enumerated = ("region_clave", "region", "unidad_tipo", "estado")
    for field in opendata.COMMITMENT_FIELDS:
        if field.name in enumerated:
            allowed = {v.strip() for v in field.allowed.split(",")}
            assert {r[field.name] for r in rows} <= allowed, field.name


def test_the_json_carries_the_same_rows_and_its_metadata(graded):
    response = Client().get(reverse("portal:data_json", args=[CUTOFF]))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    payload = json.loads(body(response))
    assert payload["corte"] == DAY
    assert payload["licencia"] == "Datos abiertos"
    assert payload["generado"] == graded.cutoff.closed_at.isoformat()
    assert [d["nombre"] for d in payload["diccionario"]] == [
        f.name for f in opendata.COMMITMENT_FIELDS
    ]
    assert all(d["tipo"] and d["descripcion"] for d in payload["diccionario"])
    text = body(Client().get(reverse("portal:data_csv", args=[CUTOFF]))).decode("utf-8-sig")
    csv_rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["folio"] for r in csv_rows] == [r["folio"] for r in payload["registros"]]
    assert [float(r["avance"]) for r in csv_rows] == [r["avance"] for r in payload["registros"]]


def test_the_data_page_has_a_dictionary_of_every_column(graded):
    html = Client().get(reverse("portal:data")).content.decode()
    for field in (*opendata.COMMITMENT_FIELDS, *opendata.UNIT_FIELDS):
        assert f"<code>{field.name}</code>" in html
    assert "Datos abiertos" in html
    for url in download_urls():
        assert url in html


@pytest.mark.parametrize("url", download_urls())
def test_downloads_are_cacheable_and_answer_304(graded, url):
    client = Client()
    response = client.get(url)
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert response["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert client.get(url).get("ETag") == etag  # the content of a closed cut-off never changes


# --- No personal data -----------------------------------------------------------------------

SECRETS = (
    "Zacarías Quetzalcóatl Ybarra",
    "zacarias.secreto@imss.gob.mx",
    "Narrativa confidencial del avance 7731",
    "Observación reservada del validador 4419",
    "Comentario privado del hilo 5520",
    "evidencia-confidencial-8841.pdf",
    "Motivo de cancelación reservado 9902",
)


def test_no_personal_data_reaches_any_page_or_download(world):
    from acuerdos.organization.models import Role, Unit
    from acuerdos.organization.tests.factories import MembershipFactory, UserFactory

    person = UserFactory(email=SECRETS[1], full_name=SECRETS[0])
    MembershipFactory(user=person, unit=Unit.objects.get(code="OOAD-QRO"), role=Role.LIAISON)
    for user in world.users.values():
        user.full_name = f"{SECRETS[0]} {user.pk}"
        user.save()
    world.own_commitment.due_date = dt.date(2026, 6, 30)
    world.own_commitment.save()
    report = add_report(
        world.own_commitment,
        person,
        as_of=dt.date(2026, 6, 15),
        percent=100,
        submitted_on=dt.date(2026, 6, 16),
        validated_on=dt.date(2026, 6, 20),
    )
    report.narrative = SECRETS[2]
    report.review_comment = SECRETS[3]
    report.reviewed_by = world.users["validator"]
    report.save()
    returned = add_report(
        world.foreign_commitment,
        person,
        as_of=dt.date(2026, 6, 10),
        percent=20,
        submitted_on=dt.date(2026, 6, 11),
    )
    returned.state = ReportState.RETURNED
    returned.review_comment = SECRETS[3]
    returned.narrative = SECRETS[2]
    returned.save()
    Comment.objects.create(commitment=world.own_commitment, author=person, text=SECRETS[4])
    Evidence.objects.create(
        report=report,
        file=ContentFile(b"%PDF-1.4 test", name="x.pdf"),
        original_name=SECRETS[5],
        size=13,
        sha256="0" * 64,
        content_type="application/pdf",
        uploaded_by=person,
    )
    world.shared_commitment.cancelled_on = dt.date(2026, 6, 1)
    world.shared_commitment.cancellation_reason = SECRETS[6]
    world.shared_commitment.save()
    from acuerdos.evaluation.services import cutoff_close

    with time_machine.travel(NOW, tick=False):
        refresh_inputs()
        cutoff_close(date=CUTOFF, actor=world.users["coordinator"])
    assert ProgressReport.objects.filter(narrative=SECRETS[2]).count() == 2
    published = everything(Client())
    for url, content in published.items():
        text = content.decode("utf-8-sig")
        for secret in SECRETS:
            assert secret not in text, (url, secret)
        assert "@imss.gob.mx" not in text, url
        for user in world.users.values():
            assert user.email not in text, url
    # Even logged in, the portal shows only the public figures (no user menu data leaks into
    # the downloads, which are identical for everyone).
    client = Client()
    client.force_login(person)
    for url in download_urls():
        assert body(client.get(url)) == published[url]


# --- Queries stay constant ------------------------------------------------------------------


LATEST = ["portal:index", "portal:data"]


@pytest.mark.parametrize("name", LATEST)
def test_queries_stay_constant_as_commitments_grow(world, name):
    """The latest closed cut-off is read from frozen rows: a page costs the same with 5
    commitments or, after a later cut-off closed on 35, with 35."""
    build_graded(world)

    def more() -> None:
        from acuerdos.evaluation.services import cutoff_close

        grow(world.meeting, 10, world.users["liaison"])
        with time_machine.travel(NOW, tick=False):
            cutoff_close(date=dt.date(2026, 7, 10), actor=world.users["coordinator"])

    assert_constant_queries(Client(), reverse(name), more)


def test_queries_stay_constant_as_a_closed_cut_off_has_more_rows(world):
    """The same read with 5 frozen rows and with 35: a cut-off closed on a bigger world."""
    from acuerdos.core.tests.querycount import count_queries
    from acuerdos.evaluation.services import cutoff_close

    graded = build_graded(world)
    small = {url: count_queries(Client(), url) for url in [*page_urls()]}
    grow(world.meeting, 10, world.users["liaison"])
    later = dt.date(2026, 7, 10)
    with time_machine.travel(NOW, tick=False):
        cutoff_close(date=later, actor=world.users["coordinator"])
    big = CutOff.objects.get(date=later)
    assert big.snapshot_rows > 5 * graded.cutoff.snapshot_rows
    for url in page_urls():
        url_big = url.replace(DAY, later.isoformat())
        client = Client()
        client.get(url_big)
        assert count_queries(client, url_big) == small[url], url_big
    for name in ("portal:data_csv", "portal:data_json", "portal:data_units_csv"):
        client = Client()
        small_n = _download_queries(client, reverse(name, args=[CUTOFF]))
        big_n = _download_queries(client, reverse(name, args=[later]))
        assert small_n == big_n, name


def _download_queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
        body(response)
    return len(context.captured_queries)


def test_every_decimal_is_plain(graded):
    """Percentages use a point and one decimal, as the dictionary says."""
    text = body(Client().get(reverse("portal:data_csv", args=[CUTOFF]))).decode("utf-8-sig")
    for row in csv.DictReader(io.StringIO(text)):
        assert Decimal(row["avance"]).as_tuple().exponent == -1


@pytest.mark.django_db
def test_the_login_page_and_every_signed_in_page_link_to_the_portal(client, world):
    assert b'href="/transparencia/"' in client.get("/accounts/login/").content
    client.force_login(world.users["liaison"])
    assert b'href="/transparencia/"' in client.get("/").content


def test_its_tables_link_only_to_public_pages(graded):
    page = Client().get(reverse("portal:index")).content.decode()
    assert reverse("portal:region", args=["REG-CENTRO"]) in page
    assert "/tablero/" not in page and "?theme=" not in page and "?area=" not in page
