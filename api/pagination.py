"""Pages of at most MAX_PAGE_SIZE rows; a page number or size that is not a positive whole number is refused."""
from __future__ import annotations

from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 200


def _positive_int(raw: str, *, name: str) -> int:
    if not raw.isascii() or not raw.isdigit() or int(raw[:18]) < 1:
        raise exceptions.ValidationError({name: [_("Must be a whole number from 1 upwards, not “%(value)s”.")
                                                 % {"value": raw[:50]}]})
    # Beyond 18 digits the number is only "very large": it is never a page that exists.
    return int(raw) if len(raw) <= 18 else 10**18


class PagePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = _positive_int(raw, name=self.page_size_query_param)
        if size > self.max_page_size:
            raise exceptions.ValidationError({self.page_size_query_param: [
                _("At most %(most)s rows a page.") % {"most": self.max_page_size}]})
        return size

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        number = 1 if raw is None else _positive_int(raw, name=self.page_query_param)
        self.request = request
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise exceptions.NotFound(_("There is no page %(number)s; the last page is %(last)s.")
                                      % {"number": number, "last": paginator.num_pages})
        return list(self.page)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        # OpenAPI 3.1 spelling of "may be null" (DRF writes 3.0's "nullable"); all four keys always present.
        link = {"type": ["string", "null"], "format": "uri"}
        return {"type": "object", "required": ["count", "next", "previous", "results"], "properties": {
            "count": {"type": "integer", "description": "Rows in all pages together."},
            "next": {**link, "description": "The next page, or null on the last."},
            "previous": {**link, "description": "The page before, or null on the first."},
            "results": schema,
        }}

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = f"Rows a page, 1 to {self.max_page_size} (default {self.page_size})."
        return parameters
