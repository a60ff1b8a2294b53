"""Importing agreements (and, through acuerdos.progress.imports, progress history) from the
spreadsheets and minutas IMSS already has: XLSX, CSV and the tables of a DOCX.

The screen and the commands call:

- `agreements_import_plan(file=ImportFile, meeting=Meeting) -> AgreementImportPlan` — preview;
- `agreements_import(file=…, meeting=…, actor=…, dry_run=False)` — plan and, if clean, write;
- `unit_alias_add(unit=…, alias=…, actor=…)` — register an unrecognised name as an alias;
- `template_build(target)` — the downloadable XLSX template;
- `agreements_export(target, commitments)` — agreements in the template's columns (round trip).
"""

from acuerdos.commitments.imports.agreements import (
    AgreementImportPlan,
    PlannedAgreement,
    PlannedCommitment,
    PlannedMilestone,
    agreements_import,
    agreements_import_apply,
    agreements_import_plan,
)
from acuerdos.commitments.imports.aliases import unit_alias_add
from acuerdos.commitments.imports.canonical import agreements_export
from acuerdos.commitments.imports.files import FileRefused, ImportFile
from acuerdos.commitments.imports.issues import ImportIssue, UnknownName
from acuerdos.commitments.imports.template import template_build

__all__ = [
    "AgreementImportPlan",
    "FileRefused",
    "ImportFile",
    "ImportIssue",
    "PlannedAgreement",
    "PlannedCommitment",
    "PlannedMilestone",
    "UnknownName",
    "agreements_export",
    "agreements_import",
    "agreements_import_apply",
    "agreements_import_plan",
    "template_build",
    "unit_alias_add",
]
