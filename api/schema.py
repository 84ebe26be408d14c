"""The OpenAPI description: the API key's security scheme, and the refusals every operation can answer."""
from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What was wrong, in one sentence (Vietnamese by default)."},
        "errors": {
            "type": "object",
            "description": "For a refused parameter: its name, and what was wrong with it.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail"],
}

ERROR_RESPONSES = {
    "400": "A parameter was refused; nothing was changed.",
    "401": "No session and no API key, or the key is unknown or revoked.",
    "403": "The caller may not see this.",
    "404": "No such object, or the caller may not see it.",
}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "An API key from `manage.py api_token_create`, sent as `Authorization: Bearer <key>`."}


def error_responses_add(result, generator, request, public):
    """drf-spectacular post-processing hook: document the error shape on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(status, {"description": description,
                                              "content": {"application/json": {"schema": reference}}})
    return result
