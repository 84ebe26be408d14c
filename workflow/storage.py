"""Store submitted files: checked by content, kept privately, recorded with their checksum."""
from __future__ import annotations

from django.core.exceptions import ValidationError

from workflow.models import StoredFile
from workflow.uploads import UploadRefused, upload_check, upload_store


def files_store(*, files: list[tuple[str, bytes]], uploaded_by, output=None, contribution=None) -> list[StoredFile]:
    """Check every file first, so that one bad file stores none of them."""
    checked = []
    for name, data in files:
        try:
            checked.append((upload_check(data=data, filename=name), data))
        except UploadRefused as refused:
            raise ValidationError(f"{name}: {refused.message}") from refused
    stored = []
    for upload, data in checked:
        path = upload_store(checked=upload, data=data)
        stored.append(StoredFile.objects.create(
            relative_path=path, original_name=upload.original_name, content_type=upload.content_type,
            size=upload.size, sha256=upload.sha256, uploaded_by=uploaded_by, output=output, contribution=contribution,
        ))
    return stored
