"""The API's own OpenAPI schema, and a client whose every response is checked against it with openapi-core."""
from __future__ import annotations

import json
from functools import lru_cache

from django.test import Client
from django.utils import translation
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse


@lru_cache(maxsize=1)
def api_schema() -> dict:
    """The schema as /api/v1/schema/ serves it, generated once, as plain JSON values."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    with translation.override("vi"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


@lru_cache(maxsize=1)
def api_openapi() -> OpenAPI:
    return OpenAPI.from_dict(api_schema())


def response_validate(response) -> None:
    """Raise if `response` (to a request made with the Django test client) is not what the schema says."""
    api_openapi().validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))


class ApiClient:
    """GET through the Django test client, as a session or with an API key; every response is validated."""

    def __init__(self, client: Client):
        self.client = client
        self.checked = 0

    def get(self, path: str, *, key: str | None = None, params: dict | None = None, **headers):
        if key is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        response = self.client.get(path, params or {}, **headers)
        response_validate(response)
        self.checked += 1
        return response
