"""Printing an import plan on the command line (the import commands share it)."""

from __future__ import annotations

from typing import Protocol

from django.core.management.base import BaseCommand, CommandError

from acuerdos.commitments.imports.issues import ImportIssue

MAX_WARNINGS_SHOWN = 50


class PrintablePlan(Protocol):
    """What an import plan exposes to be printed."""

    errors: list[ImportIssue]
    warnings: list[ImportIssue]

    def summary(self) -> str: ...


def write_plan(command: BaseCommand, plan: PrintablePlan) -> None:
    """Warnings and the summary on stdout; on errors, every error on stderr and exit 1."""
    for warning in plan.warnings[:MAX_WARNINGS_SHOWN]:
        command.stdout.write(command.style.WARNING(f"Aviso: {warning}"))
    if len(plan.warnings) > MAX_WARNINGS_SHOWN:
        command.stdout.write(f"… y {len(plan.warnings) - MAX_WARNINGS_SHOWN} avisos más.")
    if plan.errors:
        for error in plan.errors:
            command.stderr.write(f"Error: {error}")
        raise CommandError(plan.summary())
    command.stdout.write(command.style.SUCCESS(plan.summary()))
