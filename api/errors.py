"""The one shape of every API refusal: ``{"errors": {field: [message, …]}}``, with ``__all__``
for the request as a whole (DESIGN.md "REST API")."""

from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def errors_response(errors: dict[str, list[str]], status: int = 400) -> Response:
    return Response({"errors": errors}, status=status)


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [str(message) for messages in detail.values() for message in _messages(messages)]
    if isinstance(detail, list):
        return [str(message) for item in detail for message in _messages(item)]
    return [str(detail)]


def field_errors(detail) -> dict[str, list[str]]:
    """A serializer's errors as field → messages; errors not of one field go under ``__all__``."""
    if not isinstance(detail, dict):
        return {"__all__": _messages(detail)}
    return {("__all__" if field == "non_field_errors" else field): _messages(value) for field, value in detail.items()}


def exception_handler(exc, context):
    """DRF's own refusals (a bad method, an unparsable body, a failed serializer) in the same
    shape as the views' refusals."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    # DRF has turned Django's Http404 and PermissionDenied into its own {"detail": …} by now.
    if isinstance(exc, ValidationError):
        response.data = {"errors": field_errors(response.data)}
    else:
        detail = response.data.get("detail", response.data) if isinstance(response.data, dict) else response.data
        response.data = {"errors": {"__all__": _messages(detail)}}
    return response
