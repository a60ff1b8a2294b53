"""What every API module shares: domain refusals as HTTP answers, and query-parameter filters.

Services raise `DomainError` (400, the Spanish message as-is) and `ConflictError` (409: a stale
write, nothing overwritten); Django's `PermissionDenied` and `Http404` are already 403 and 404
in DRF. Filters are typed serializers of the query string: request keys never reach the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.http import FileResponse, Http404
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request

from acuerdos.core.errors import ConflictError, DomainError

T = TypeVar("T")


class Conflict(exceptions.APIException):
    """Someone else changed the object since it was read (optimistic version check)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "Otra persona cambió este objeto; vuelva a leerlo e intente de nuevo."
    default_code = "conflict"


@contextmanager
def domain_errors() -> Iterator[None]:
    """Run a service; its refusals become 409 (conflict) or 400 (any other rule)."""
    try:
        yield
    except ConflictError as error:
        raise Conflict(error.message) from error
    except DomainError as error:
        raise exceptions.ValidationError({"detail": [error.message]}) from error


def query_filters(request: Request, serializer_class: type[serializers.Serializer[Any]]) -> Any:
    """The validated query-string filters (400 with Spanish messages when one is wrong)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def attachment(stream: Any, *, filename: str, content_type: str) -> FileResponse:
    """A scoped download: attachment, never sniffed, never cached."""
    response = FileResponse(
        stream, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def accessed(access: Callable[[Any, int], T], user: Any, pk: str) -> T:
    """What `access(user, pk)` gives for the pk of a URL: a pk that is no number is the same
    404 as a missing or out-of-scope object (the API answers it in Spanish)."""
    if not str(pk).isdigit():
        raise Http404
    return access(user, int(pk))
