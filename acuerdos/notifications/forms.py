"""The form of the notification preferences page."""

from __future__ import annotations

from django import forms

from acuerdos.notifications.models import NotificationPreference


class NotificationPreferenceForm(forms.ModelForm[NotificationPreference]):
    """E-mail digest on or off (in-app notifications always stay)."""

    class Meta:
        model = NotificationPreference
        fields = ("email_enabled",)
