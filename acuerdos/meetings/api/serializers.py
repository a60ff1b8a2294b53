"""Meeting serializers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from acuerdos.meetings.models import Meeting


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    region: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="short_name", read_only=True
    )
    round: serializers.StringRelatedField[Any] = serializers.StringRelatedField(
        read_only=True, allow_null=True
    )
    participants: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Meeting
        fields = (
            "id",
            "code",
            "name",
            "kind",
            "round",
            "region",
            "venue",
            "start_date",
            "end_date",
            "participants",
            "is_demo",
        )
