"""Registering a spreadsheet's way of naming a unit, from the import preview."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from acuerdos.audit import services as audit
from acuerdos.core.errors import ConflictError, DomainError
from acuerdos.core.text import normalize
from acuerdos.organization.models import Unit, UnitAlias
from acuerdos.organization.scope import scope_for

ALIAS_MAX = UnitAlias._meta.get_field("alias").max_length or 300


@transaction.atomic
def unit_alias_add(*, unit: Unit, alias: str, actor: Any, source: str | None = None) -> UnitAlias:
    """Record that `alias` (e.g. «Cd. de México Nte.») names `unit`, audited as
    `unitalias.created`; the next preview of the same file recognises it.

    An alias already pointing to the same unit is returned as is; one pointing to another unit
    is refused, since an alias must never name two units. Coordinators only (`actor` None is
    the command line).
    """
    if actor is not None and not scope_for(actor).is_coordinator:
        raise PermissionDenied("Sólo la coordinación central registra alias de unidades.")
    text = " ".join(alias.split())
    if not text:
        raise DomainError("Escriba el nombre que quiere registrar como alias.")
    if len(text) > ALIAS_MAX:
        raise DomainError(f"El alias tiene más de {ALIAS_MAX} caracteres.")
    existing = UnitAlias.objects.select_related("unit").filter(normalized=normalize(text)).first()
    if existing is not None:
        if existing.unit_id == unit.pk:
            return existing
        raise ConflictError(
            f"«{text}» ya es alias de {existing.unit.short_name} ({existing.unit.code})."
        )
    created = UnitAlias(unit=unit, alias=text)
    created.save()
    audit.record(
        actor=actor,
        action="unitalias.created",
        target=created,
        changes={"unit": [None, unit.code], "alias": [None, text]},
        source=source,
    )
    return created
