"""Pages of the public transparency portal (no login): validated figures of closed cut-offs
and their open data.

Thin views: access (a closed cut-off, a region) → selectors → render. Only GET is accepted.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from acuerdos.core.exports import csv_response
from acuerdos.evaluation.models import CutOff
from acuerdos.portal import opendata, selectors
from acuerdos.portal.forms import CutOffChoiceForm
from acuerdos.portal.permissions import access_public_region, access_published_cutoff

CACHE_SECONDS = 24 * 60 * 60
"""How long a download of a closed cut-off may be cached (its content never changes)."""


def _chosen(request: HttpRequest) -> dict[str, Any]:
    """The published cut-offs, the one chosen with `?corte=` (the latest by default; an open or
    unknown one is a 404) and the selector form."""
    cutoffs = selectors.published_cutoffs()
    form = CutOffChoiceForm(request.GET or None, cutoffs=cutoffs)
    cutoff = access_published_cutoff(cutoffs, form.chosen_date()) if cutoffs else None
    return {"cutoffs": cutoffs, "cutoff": cutoff, "form": form, "query": form.query(cutoff)}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Transparencia: the national figures of the latest closed cut-off (or the one chosen),
    by region, theme and normative area, and their trend."""
    context = _chosen(request)
    context["regions"] = selectors.regions()
    if context["cutoff"] is not None:
        context["board"] = selectors.national_board(context["cutoff"], context["cutoffs"])
    return render(request, "portal/index.html", context)


@require_GET
def region(request: HttpRequest, code: str) -> HttpResponse:
    """A region at a closed cut-off: its units (OOAD and UMAE), themes and trend."""
    found = access_public_region(code)
    context = _chosen(request)
    context["region"] = found
    context["regions"] = selectors.regions()
    if context["cutoff"] is not None:
        context["board"] = selectors.region_board(context["cutoff"], found, context["cutoffs"])
    return render(request, "portal/region.html", context)


@require_GET
def data(request: HttpRequest) -> HttpResponse:
    """Datos abiertos: the downloads of every closed cut-off and the data dictionary."""
    context = {
        "cutoffs": selectors.published_cutoffs(),
        "commitment_fields": opendata.COMMITMENT_FIELDS,
        "unit_fields": opendata.UNIT_FIELDS,
        "licence": opendata.LICENCE_TEXT,
        "regions": selectors.regions(),
    }
    return render(request, "portal/data.html", context)


def _cacheable(
    request: HttpRequest, cutoff: CutOff, kind: str
) -> tuple[str, HttpResponseBase | None]:
    """The ETag of a download and, when the client already holds it, the 304 to answer."""
    etag = f'"{selectors.cutoff_version(cutoff)}-{kind}"'
    last_modified = cutoff.closed_at.timestamp() if cutoff.closed_at else None
    return etag, get_conditional_response(
        request, etag=etag, last_modified=int(last_modified) if last_modified else None
    )


def _cache_headers(response: HttpResponseBase, cutoff: CutOff, etag: str) -> HttpResponseBase:
    response["ETag"] = etag
    if cutoff.closed_at is not None:
        response["Last-Modified"] = http_date(cutoff.closed_at.timestamp())
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _csv_download(
    request: HttpRequest,
    date: dt.date,
    *,
    kind: str,
    name: str,
    fields: Any,
    rows: Callable[[CutOff], Iterable[Any]],
) -> HttpResponseBase:
    """A closed cut-off's open data as CSV (UTF-8 with BOM), cacheable: it never changes."""
    cutoff = access_published_cutoff(selectors.published_cutoffs(), date)
    etag, not_modified = _cacheable(request, cutoff, kind)
    if not_modified is not None:
        return _cache_headers(not_modified, cutoff, etag)
    response = csv_response(
        f"{name}-{date.isoformat()}",
        opendata.columns(fields),
        opendata.as_cells(fields, rows(cutoff)),
    )
    return _cache_headers(response, cutoff, etag)


@require_GET
def data_csv(request: HttpRequest, date: dt.date) -> HttpResponseBase:
    """One row per commitment of a closed cut-off (CSV, UTF-8 with BOM)."""
    return _csv_download(
        request,
        date,
        kind="csv",
        name="acuerdos-compromisos",
        fields=opendata.COMMITMENT_FIELDS,
        rows=selectors.commitment_rows,
    )


@require_GET
def data_units_csv(request: HttpRequest, date: dt.date) -> HttpResponseBase:
    """One row per responsible unit with its figures at a closed cut-off (CSV)."""
    return _csv_download(
        request,
        date,
        kind="units-csv",
        name="acuerdos-unidades",
        fields=opendata.UNIT_FIELDS,
        rows=selectors.unit_rows,
    )


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not serialisable: {type(value).__name__}")


@require_GET
def data_json(request: HttpRequest, date: dt.date) -> HttpResponseBase:
    """The same rows as the CSV with the metadata: cut-off, when it was generated, licence
    and the data dictionary."""
    cutoff = access_published_cutoff(selectors.published_cutoffs(), date)
    etag, not_modified = _cacheable(request, cutoff, "json")
    if not_modified is not None:
        return _cache_headers(not_modified, cutoff, etag)
    payload = {
        "corte": cutoff.date,
        "generado": cutoff.closed_at.isoformat() if cutoff.closed_at else None,
        "licencia": opendata.LICENCE,
        "licencia_texto": opendata.LICENCE_TEXT,
        "fuente": opendata.SOURCE,
        "descripcion": (
            "Un registro por compromiso (acuerdo × unidad responsable) con las cifras "
            "validadas y congeladas al cerrar el corte. Sin datos personales."
        ),
        "diccionario": opendata.dictionary(opendata.COMMITMENT_FIELDS),
    }

    def stream() -> Iterator[str]:
        # The records one by one: a national cut-off is never held in memory whole.
        head = json.dumps(payload, ensure_ascii=False, default=_json_default)
        yield head[:-1] + ', "registros": ['
        for index, row in enumerate(selectors.commitment_rows(cutoff)):
            yield ("," if index else "") + json.dumps(
                row, ensure_ascii=False, default=_json_default
            )
        yield "]}"

    response = StreamingHttpResponse(stream(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'inline; filename="acuerdos-compromisos-{date.isoformat()}.json"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _cache_headers(response, cutoff, etag)
