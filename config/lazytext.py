"""Messages whose translation waits until they are shown, in the reader's language."""
from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise, lazy


def _message_render(template: Promise | str, params: Mapping[str, object]) -> str:
    return str(template) % params


_message_lazy = lazy(_message_render, str)


def message_format(*, template: Promise | str, **params: object) -> Promise:
    """Fill a lazily translated `%(name)s` template without translating it yet."""
    return _message_lazy(template, dict(params))
