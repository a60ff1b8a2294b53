"""Fill the input periods of the commitments that already exist (from their reports and
extensions, with the same pure function as progress.inputs.refresh_inputs)."""

from collections import defaultdict
from dataclasses import asdict
from typing import Any

from django.db import migrations

from acuerdos.progress.inputs import input_periods

CHUNK = 5_000


def fill(apps: Any, schema_editor: Any) -> None:
    Commitment = apps.get_model("commitments", "Commitment")
    ExtensionRequest = apps.get_model("commitments", "ExtensionRequest")
    ProgressReport = apps.get_model("progress", "ProgressReport")
    InputPeriod = apps.get_model("progress", "InputPeriod")
    ids = list(Commitment.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        counting: dict[int, list[Any]] = defaultdict(list)
        submissions: dict[int, list[Any]] = defaultdict(list)
        extensions: dict[int, list[Any]] = defaultdict(list)
        reports = ProgressReport.objects.filter(
            commitment_id__in=part, submitted_on__isnull=False
        ).values_list(
            "commitment_id",
            "state",
            "as_of",
            "validated_on",
            "pk",
            "progress_num",
            "progress_den",
            "submitted_on",
        )
        for cid, state, as_of, validated_on, pk, num, den, submitted_on in reports:
            submissions[cid].append(submitted_on)
            if state == "validated" and validated_on is not None:
                counting[cid].append((as_of, validated_on, pk, num, den))
        approved = ExtensionRequest.objects.filter(
            commitment_id__in=part, status="approved", decided_on__isnull=False
        ).values_list("commitment_id", "decided_on", "created_at", "pk", "new_due_date")
        for cid, decided_on, created_at, pk, new_due in approved:
            extensions[cid].append((decided_on, created_at, pk, new_due))
        InputPeriod.objects.bulk_create(
            [
                InputPeriod(
                    commitment_id=cid,
                    valid_from=period.valid_from,
                    valid_to=period.valid_to,
                    **asdict(period.inputs),
                )
                for cid in part
                for period in input_periods(
                    sorted(counting[cid]), submissions[cid], sorted(extensions[cid])
                )
            ],
            batch_size=2_000,
        )


def empty(apps: Any, schema_editor: Any) -> None:
    apps.get_model("progress", "InputPeriod").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("progress", "0003_input_periods")]

    operations = [migrations.RunPython(fill, empty)]
