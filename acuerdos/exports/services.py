"""The audit of export downloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import models, transaction

from acuerdos.audit import services as audit
from acuerdos.audit.models import AuditEvent


def plain_filters(values: Mapping[str, Any]) -> dict[str, Any]:
    """The applied filters as plain, readable values (objects by their name, dates ISO)."""
    result: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or value == "":
            continue
        if isinstance(value, models.Model):
            result[key] = str(value)
        elif isinstance(value, dt.date):
            result[key] = value.isoformat()
        else:
            result[key] = value
    return result


@transaction.atomic
def export_downloaded(
    *, actor: Any, list_name: str, file_format: str, filters: Mapping[str, Any], rows: int
) -> AuditEvent:
    """Record that `actor` downloaded a list (`export.downloaded`): which list, in which format,
    with which filters and how many rows — so that the Bitácora tells who took which data."""
    return audit.record(
        actor=actor,
        action="export.downloaded",
        target=actor,
        context={
            "list": list_name,
            "format": file_format,
            "filters": plain_filters(filters),
            "rows": rows,
        },
    )
