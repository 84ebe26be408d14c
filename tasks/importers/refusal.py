"""The one exception a file reader lets escape: the file is refused, and why."""
from __future__ import annotations

from django.utils.functional import Promise


class FileRefused(Exception):
    """A file we will not read. `code` is for programs, `message` (lazy) for people."""

    def __init__(self, *, code: str, message: Promise | str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
