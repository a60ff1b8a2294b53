"""Writes on the organisation: the reference catalog, themes, users and memberships."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from acuerdos.audit import services as audit
from acuerdos.core.text import normalize
from acuerdos.organization.models import (
    Membership,
    Region,
    Role,
    Theme,
    Unit,
    UnitAlias,
    UnitKind,
    User,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
REGION_ORDER = {"Norte": 1, "Occidente": 2, "Sureste": 3, "Centro": 4}


@dataclass
class CatalogResult:
    """What `catalog_load` did, per kind of object: created, updated, unchanged."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: str, kind: str) -> None:
        target = getattr(self, bucket)
        target[kind] = target.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(
    model: type[Any],
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    kind: str,
    result: CatalogResult,
    actor: Any,
) -> Any:
    """Create or update one catalog row and audit what changed; unchanged rows are not touched."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        audit.record(
            actor=actor,
            action=f"{model._meta.model_name}.created",
            target=obj,
            changes={k: [None, v] for k, v in values.items()},
            source="command",
        )
        result.count("created", kind)
        return obj
    before = {k: getattr(obj, k) for k in values}
    changes = audit.diff(before, values)
    if not changes:
        result.count("unchanged", kind)
        return obj
    for key, value in values.items():
        setattr(obj, key, value)
    obj.full_clean()
    obj.save()
    audit.record(
        actor=actor,
        action=f"{model._meta.model_name}.updated",
        target=obj,
        changes=changes,
        source="command",
    )
    result.count("updated", kind)
    return obj


def _parents_first(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The catalog rows ordered so that every unit comes after its parent (UMAE rows come
    before DPM-CUMAE in the file)."""
    ordered: list[dict[str, str]] = []
    placed: set[str] = set()
    pending = list(rows)
    while pending:
        ready = [row for row in pending if not row["parent"] or row["parent"] in placed]
        if not ready:
            missing = sorted({row["parent"] for row in pending})
            raise ValueError(f"Unidades superiores inexistentes en el catálogo: {missing}")
        ordered.extend(ready)
        placed.update(row["code"] for row in ready)
        pending = [row for row in pending if row["code"] not in placed]
    return ordered


@transaction.atomic
def catalog_load(*, actor: Any = None) -> CatalogResult:
    """Load or update the reference catalog (regions, OOAD, UMAE, normative areas), the unit
    aliases and the themes with their lead areas. Idempotent: a second run changes nothing."""
    result = CatalogResult()
    rows = _read_csv("catalog.csv")
    regions: dict[str, Region] = {}
    for row in rows:
        if row["kind"] != "region":
            continue
        regions[row["short_name"]] = _upsert(
            Region,
            {"code": row["code"]},
            {
                "name": row["name"],
                "short_name": row["short_name"],
                "order": REGION_ORDER.get(row["short_name"], 9),
            },
            kind="region",
            result=result,
            actor=actor,
        )
    units: dict[str, Unit] = {}
    for row in _parents_first([row for row in rows if row["kind"] != "region"]):
        units[row["code"]] = _upsert(
            Unit,
            {"code": row["code"]},
            {
                "name": row["name"],
                "short_name": row["short_name"],
                "kind": UnitKind(row["kind"]),
                "region": regions.get(row["region"]) if row["region"] else None,
                "parent": units[row["parent"]] if row["parent"] else None,
                "city": row["city"],
                "source": row["source"],
            },
            kind="unit",
            result=result,
            actor=actor,
        )
    for row in _read_csv("aliases.csv"):
        alias_unit = units[row["unit"]]
        existing = UnitAlias.objects.filter(normalized=normalize(row["alias"])).first()
        if existing is None:
            alias = UnitAlias(unit=alias_unit, alias=row["alias"])
            alias.save()
            audit.record(
                actor=actor,
                action="unitalias.created",
                target=alias,
                changes={"unit": [None, alias_unit.code], "alias": [None, row["alias"]]},
                source="command",
            )
            result.count("created", "alias")
        else:
            result.count("unchanged", "alias")
    for row in _read_csv("themes.csv"):
        _upsert(
            Theme,
            {"code": row["code"]},
            {"name": row["name"], "lead_area": units[row["lead_area"]], "order": int(row["order"])},
            kind="theme",
            result=result,
            actor=actor,
        )
    return result


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None,
    memberships: list[tuple[Unit, str]],
    actor: Any = None,
    source: str = "web",
) -> User:
    """Create a user with their memberships (unit, role), audited."""
    user = User(email=email.strip().lower(), full_name=full_name.strip())
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor,
        action="user.created",
        target=user,
        changes={"email": [None, user.email], "full_name": [None, user.full_name]},
        source=source,
    )
    for unit, role in memberships:
        membership_grant(user=user, unit=unit, role=role, actor=actor, source=source)
    return user


@transaction.atomic
def membership_grant(
    *, user: User, unit: Unit, role: str, actor: Any = None, source: str = "web"
) -> Membership:
    """Give a user a role in a unit (or re-activate it), audited."""
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, role=Role(role), defaults={"is_active": True}
    )
    if created or not membership.is_active:
        membership.is_active = True
        membership.full_clean()
        membership.save()
        audit.record(
            actor=actor,
            action="membership.granted",
            target=membership,
            changes={"unit": [None, unit.code], "role": [None, role]},
            source=source,
        )
    return membership
