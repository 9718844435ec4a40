"""The one file store of every upload and download (content checks, hash-addressed storage, the download).

    with file_scope():                       # a failure inside takes the new file back
        stored = file_store(data, field="file", label="法律意见书")
        Attachment.objects.create(sha256=stored.sha256, ...)   # sha256 = FileHashField()
    file_release(old.sha256)                 # deleted after commit when nothing refers to it
    return file_response(a.sha256, a.original_name, actor=request.user)
"""

from soegov.core.files.content import DOCUMENTS, content_type
from soegov.core.files.download import SANDBOX_CSP, file_response
from soegov.core.files.store import (
    FileCorrupt,
    FileHashField,
    StoredFile,
    file_check_size,
    file_exists,
    file_fields,
    file_key,
    file_path,
    file_read,
    file_referenced,
    file_release,
    file_scope,
    file_storage,
    file_store,
    upload_max_bytes,
)

__all__ = [
    "DOCUMENTS", "SANDBOX_CSP", "FileCorrupt", "FileHashField", "StoredFile", "content_type", "file_check_size",
    "file_exists", "file_fields", "file_key", "file_path", "file_read", "file_referenced", "file_release",
    "file_response", "file_scope", "file_storage", "file_store", "upload_max_bytes",
]
