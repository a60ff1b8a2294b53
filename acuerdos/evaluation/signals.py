"""Signals of the evaluation, for the apps above it (reporting) that must react to its events
without evaluation importing them."""

from __future__ import annotations

from django.dispatch import Signal

cutoff_closed = Signal()
"""Sent after the transaction that closed a cut-off commits; `cutoff_id` is its id."""
