"""Audit for the Django admin: the rare catalog edits made there leave the same trail as the
services' writes (`<model>.created` / `<model>.updated` / `<model>.deleted`, source `admin`).

The admin wraps every change form in a transaction, so `audit.record()` runs inside the write's
transaction as it must. Secrets never reach the trail: password fields are left out.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from acuerdos.audit import services as audit

M = TypeVar("M", bound=models.Model)

SECRET_FIELDS = frozenset({"password", "password1", "password2", "usable_password"})
FORMSET_FIELDS = frozenset({"id", "DELETE", "ORDER"})


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a form value: models become their pk, querysets sorted pk lists."""
    if isinstance(value, models.QuerySet):
        return sorted(obj.pk for obj in value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set) and all(isinstance(v, models.Model) for v in value):
        return sorted(v.pk for v in value)
    return value


def _skip(name: str) -> bool:
    return name in SECRET_FIELDS or name in FORMSET_FIELDS


def created_changes(form: forms.BaseForm) -> dict[str, list[Any]]:
    """`{field: [None, value]}` for every non-empty, non-secret field of a new object's form."""
    return {
        name: [None, _plain(value)]
        for name, value in form.cleaned_data.items()
        if not _skip(name) and value not in (None, "")
    }


def updated_changes(form: forms.BaseForm, changed: list[str]) -> dict[str, list[Any]]:
    """`{field: [before, after]}` for the changed, non-secret fields of a bound model form."""
    before = {n: _plain(form.initial.get(n)) for n in changed if not _skip(n)}
    after = {n: _plain(form.cleaned_data.get(n)) for n in changed if not _skip(n)}
    return audit.diff(before, after)


class AuditedAdmin(admin.ModelAdmin[M], Generic[M]):
    """A ModelAdmin whose saves, and its inlines' saves and deletions, are audited."""

    def save_model(self, request: HttpRequest, obj: M, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action=f"{obj._meta.model_name}.{'updated' if change else 'created'}",
            target=obj,
            changes=updated_changes(form, form.changed_data) if change else created_changes(form),
            source="admin",
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Deletions are recorded first, while the rows still have their primary keys; the
        # admin's transaction undoes these audit rows too if the save fails.
        for deleted_form in getattr(formset, "deleted_forms", []):
            if deleted_form.instance.pk is not None:
                audit.record(
                    actor=request.user,
                    action=f"{deleted_form.instance._meta.model_name}.deleted",
                    target=deleted_form.instance,
                    source="admin",
                )
        super().save_formset(request, form, formset, change)
        form_of = {id(f.instance): f for f in formset.forms}
        for obj in formset.new_objects:
            inline_form = form_of.get(id(obj))
            audit.record(
                actor=request.user,
                action=f"{obj._meta.model_name}.created",
                target=obj,
                changes=created_changes(inline_form) if inline_form is not None else {},
                source="admin",
            )
        for obj, changed in formset.changed_objects:
            inline_form = form_of.get(id(obj))
            audit.record(
                actor=request.user,
                action=f"{obj._meta.model_name}.updated",
                target=obj,
                changes=updated_changes(inline_form, changed) if inline_form is not None else {},
                source="admin",
            )
