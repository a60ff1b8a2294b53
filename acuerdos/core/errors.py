"""Domain errors whose message is shown to the user as-is (in Spanish)."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the action; `message` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConflictError(DomainError):
    """Someone else changed the object since it was read: nothing was overwritten."""
