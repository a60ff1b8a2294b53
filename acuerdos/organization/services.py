"""Writes on the organisation: the reference catalog, themes, users and memberships."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from acuerdos.audit import services as audit
from acuerdos.audit.models import AuditEvent
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
from acuerdos.organization.tokens import tokens_revoke_all

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
    source: str | None = None,
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
    *, user: User, unit: Unit, role: str, actor: Any = None, source: str | None = None
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


# --- People: invitations, memberships, deactivation, passwords ----------------------------------


class PersonError(Exception):
    """A people operation refused for a reason the coordinator should read (Spanish)."""


def _site_url(base_url: str | None) -> str:
    """The scheme and host the e-mailed links point to: the request's, else `SITE_URL`."""
    url = base_url or str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000"))
    return url.rstrip("/")


def password_link(user: User, *, route: str, base_url: str | None = None) -> str:
    """An absolute one-time link to choose a password (`route` is the invitation or the reset
    page). Django's token generator signs the password hash and the last login, so the link stops
    working once used, once a newer link replaced the hash, and after `PASSWORD_RESET_TIMEOUT`."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return _site_url(base_url) + reverse(route, kwargs={"uidb64": uid, "token": token})


def account_mail(
    user: User, *, template: str, context: dict[str, Any], to: str | None = None
) -> None:
    """One plain-text e-mail in Spanish about the person's account
    (`organization/email/<template>.txt` and its subject), to their work address or to `to`."""
    context = {"user": user, "timeout_days": invitation_days(), **context}
    subject = render_to_string(f"organization/email/{template}_subject.txt", context)
    body = render_to_string(f"organization/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to or user.email])


def invitation_days() -> int:
    return max(1, round(int(settings.PASSWORD_RESET_TIMEOUT) / 86400))


def _invitation_send(user: User, *, actor: Any, base_url: str | None, action: str) -> None:
    # A fresh unusable hash makes every earlier invitation link stop working.
    user.set_unusable_password()
    user.save(update_fields=["password"])
    link = password_link(user, route="invitation_accept", base_url=base_url)
    audit.record(actor=actor, action=action, target=user, context={"email": user.email})
    account_mail(user, template="invitation", context={"link": link, "actor": actor})


@transaction.atomic
def user_invite(
    *,
    email: str,
    full_name: str,
    unit: Unit,
    role: str,
    actor: Any,
    base_url: str | None = None,
) -> User:
    """Give a person an account (no password yet) with their first membership, and e-mail them
    an invitation with a one-time link to choose their password (the first login).

    Audited as `user.created`, `membership.granted` and `user.invited`; the e-mail is sent last,
    so a mail server that refuses it leaves no account behind."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise PersonError(_("Ya existe una cuenta con ese correo."))
    user = user_create(
        email=email, full_name=full_name, password=None, memberships=[(unit, role)], actor=actor
    )
    _invitation_send(user, actor=actor, base_url=base_url, action="user.invited")
    return user


@transaction.atomic
def invitation_resend(*, user: User, actor: Any, base_url: str | None = None) -> User:
    """Send the invitation again (the earlier link stops working). Only for an active person who
    has never logged in: someone who already entered uses «¿Olvidó su contraseña?»."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise PersonError(_("La cuenta está desactivada; reactívela antes de invitar."))
    if user.last_login is not None:
        raise PersonError(
            _("Esta persona ya ingresó; si olvidó su contraseña, puede restablecerla.")
        )
    _invitation_send(user, actor=actor, base_url=base_url, action="user.invitation_resent")
    return user


@transaction.atomic
def membership_end(*, membership: Membership, actor: Any, source: str | None = None) -> Membership:
    """Take a role away: the membership stays (not vigente) so that the history of who did what
    in that unit keeps its meaning. Audited as `membership.ended`."""
    membership = Membership.objects.select_for_update().select_related("unit").get(pk=membership.pk)
    if membership.is_active:
        membership.is_active = False
        membership.full_clean()
        membership.save(update_fields=["is_active", "updated_at"])
        audit.record(
            actor=actor,
            action="membership.ended",
            target=membership,
            changes={"is_active": [True, False]},
            context={"unit": membership.unit.code, "role": membership.role},
            source=source,
        )
    return membership


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """Delete the person's open sessions but `keep` (a session key: the one acting now), so
    that a change to how they log in also applies to every browser already logged in. Database
    sessions are scanned: few are open."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep:
            continue
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, user: User, actor: Any, reason: str = "") -> User:
    """A person left: the account cannot log in any more, their open sessions end and every
    membership ends. Nothing they did is deleted or re-attributed. Audited as
    `user.deactivated` (and `membership.ended` per membership)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if getattr(actor, "pk", None) == user.pk:
        raise PersonError(_("No puede desactivar su propia cuenta."))
    if not user.is_active:
        return user
    for membership in Membership.objects.filter(user=user, is_active=True):
        membership_end(membership=membership, actor=actor)
    user.is_active = False
    user.full_clean(exclude=["password"])
    user.save(update_fields=["is_active"])
    sessions = end_sessions(user)
    tokens_revoke_all(user=user, actor=actor, reason=_("cuenta desactivada"))
    audit.record(
        actor=actor,
        action="user.deactivated",
        target=user,
        changes={"is_active": [True, False]},
        context={"reason": reason.strip(), "sessions_ended": sessions},
    )
    return user


@transaction.atomic
def user_reactivate(*, user: User, actor: Any) -> User:
    """Let a person who came back log in again; their roles are given again one by one.
    Audited as `user.reactivated`."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    user.full_clean(exclude=["password"])
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor, action="user.reactivated", target=user, changes={"is_active": [False, True]}
    )
    return user


@transaction.atomic
def user_rename(*, user: User, full_name: str, actor: Any) -> User:
    """Correct how a person's name is written (the e-mail, their login, is not changed here).
    Audited as `user.updated` with the old and new name."""
    user = User.objects.select_for_update().get(pk=user.pk)
    new = " ".join(full_name.split())
    changes = audit.diff({"full_name": user.full_name}, {"full_name": new})
    if not changes:
        return user
    user.full_name = new
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name"])
    audit.record(actor=actor, action="user.updated", target=user, changes=changes)
    return user


def email_domains() -> list[str]:
    """The domains a work e-mail may have (`ACUERDOS_EMAIL_DOMAINS`; none: any)."""
    return [d.lower() for d in getattr(settings, "ACUERDOS_EMAIL_DOMAINS", ())]


def email_domain_allowed(email: str) -> bool:
    """Whether the address is in one of `email_domains()` (any address when none set)."""
    domains = email_domains()
    return not domains or email.rsplit("@", 1)[-1].lower() in domains


@transaction.atomic
def user_email_change(*, user: User, email: str, actor: Any, base_url: str | None = None) -> User:
    """Change the work e-mail a person logs in with (coordinators only; the page checks it too).

    The address must be in an allowed domain (`ACUERDOS_EMAIL_DOMAINS`) and no other account may
    use it (case does not matter). Audited as `user.email_changed` with the old and new address.
    Sessions stay open: Django ties a session to the password, not to the e-mail. Both addresses
    are told: the new one must receive it (if the mail server refuses it, nothing is changed);
    the old one may no longer exist (a person who moved), so a refusal there is not fatal.
    A person who has not chosen a password yet gets a fresh invitation at the new address
    instead, since the earlier link was tied to the old one."""
    if not actor.has_perm("acuerdos.manage"):  # the people pages' permission (coordinators)
        raise PermissionDenied("Solo la Coordinación central cambia el correo de una cuenta.")
    user = User.objects.select_for_update().get(pk=user.pk)
    new = email.strip().lower()
    old = user.email
    if new == old.lower():
        raise PersonError(_("Es el mismo correo que ya tiene la cuenta."))
    if not email_domain_allowed(new):
        raise PersonError(_("Use el correo institucional."))
    if User.objects.filter(email__iexact=new).exclude(pk=user.pk).exists():
        raise PersonError(_("Ya existe una cuenta con ese correo."))
    user.email = new
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():  # a savepoint: the same address taken at the same moment
            user.save(update_fields=["email"])
    except IntegrityError as error:
        raise PersonError(_("Ya existe una cuenta con ese correo.")) from error
    audit.record(
        actor=actor,
        action="user.email_changed",
        target=user,
        changes={"email": [old, new]},
    )
    notice = {"old": old, "new": new, "actor": actor}
    if user.is_active and user.last_login is None:
        _invitation_send(user, actor=actor, base_url=base_url, action="user.invitation_resent")
    else:
        account_mail(user, template="email_changed", context=notice, to=new)
    # The old mailbox may be gone (SMTP errors are OSErrors): the change and the new notice stand.
    with contextlib.suppress(OSError):
        account_mail(user, template="email_changed", context=notice, to=old)
    return user


@transaction.atomic
def user_password_set(*, user: User, password: str, via: str) -> User:
    """The person chose a password from an invitation or reset link (`via`: `invitation` or
    `reset`). The password itself is never audited. Audited as `user.password_set`."""
    user.set_password(password)
    user.save(update_fields=["password"])
    if via == "reset":
        tokens_revoke_all(user=user, actor=user, reason=_("contraseña restablecida"))
    audit.record(actor=user, action="user.password_set", target=user, context={"via": via})
    return user


def _reset_recently_requested(user: User) -> int:
    since = timezone.now() - dt.timedelta(hours=1)
    return AuditEvent.objects.filter(
        action="user.password_reset_requested",
        target_type=user._meta.label_lower,
        target_id=str(user.pk),
        occurred_at__gte=since,
    ).count()


def password_reset_ask(*, email: str, base_url: str | None = None) -> None:
    """Someone asked to reset the password of `email`: hand it to the worker without reading
    anything, so that the page answers the same, and just as fast, whether or not an account
    exists (no enumeration, not even by timing)."""
    from acuerdos.organization import tasks  # the job module imports this one

    tasks.send_password_reset(email.strip()[:254], base_url)


@transaction.atomic
def password_reset_request(*, email: str, base_url: str | None = None) -> bool:
    """Run by the worker for `password_reset_ask`. An active account gets a one-time link (at
    most `PASSWORD_RESET_PER_HOUR` e-mails an hour, default 3); an unknown or deactivated
    address gets nothing. Audited as `user.password_reset_requested` (a refused send rolls the
    audit row back and the worker tries again). Returns whether an e-mail was sent."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return False
    if _reset_recently_requested(user) >= getattr(settings, "PASSWORD_RESET_PER_HOUR", 3):
        return False
    audit.record(actor=user, action="user.password_reset_requested", target=user, source="job")
    link = password_link(user, route="password_reset_confirm", base_url=base_url)
    account_mail(user, template="password_reset", context={"link": link})
    return True
