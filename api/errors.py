"""Every refusal of the API has one shape: {"detail": a sentence, "errors": {parameter: [sentences]}}.

DRF's own sentences are mostly untranslated; ours go through the catalogue, so a Vietnamese
caller reads Vietnamese. Nothing here changes data: a refused request has changed nothing.
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import APIView, exception_handler


def _errors_flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(_errors_flatten(value, f"{prefix}{key}" if not prefix else f"{prefix}.{key}"))
        return flat
    if isinstance(detail, list):
        return {prefix or "request": [str(item) for item in detail]}
    return {prefix or "request": [str(detail)]}


def _message(exc: exceptions.APIException, *, method: str) -> str:
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Log in, or send an API key as “Authorization: Bearer <key>”.")
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail) == str(exceptions.PermissionDenied.default_detail):
        return _("You may not see this.")
    if isinstance(exc, exceptions.NotFound) and str(exc.detail) == str(exceptions.NotFound.default_detail):
        return _("Not found, or you may not see it.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("The API only reads: %(method)s is not allowed here.") % {"method": method}
    if isinstance(exc, exceptions.NotAcceptable):
        return _("The API answers in JSON only.")
    if isinstance(exc, exceptions.ParseError):
        return _("The request could not be read.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("The API only reads: it takes no request body.")
    return str(exc.detail)


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _errors_flatten(exc.detail)
        lines = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
        response.data = {"detail": _("The request was refused: %(reasons)s") % {"reasons": lines}, "errors": errors}
    elif isinstance(exc, exceptions.APIException):
        response.data = {"detail": _message(exc, method=getattr(context.get("request"), "method", ""))}
    return response


class ApiNotFound(APIView):
    """Any address under /api/ that is not one of ours: a JSON answer, not the site's HTML page.

    Like every other API address it first asks who is calling (401 without a key or session), so
    the API tells an anonymous caller nothing, not even which addresses it lacks.
    """

    schema = None  # not part of the OpenAPI description

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("The API has no such address. Its description is at /api/v1/schema/."))

    options = http_method_not_allowed
