"""Reading what the HR system says: a CSV or .xlsx file, a JSON document, or the same JSON over HTTP (with
retries), each as a checked Dataset (checks.build_dataset).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from soegov.core.errors import InputError
from soegov.hrsync.checks import build_dataset
from soegov.hrsync.dataset import Dataset
from soegov.hrsync.tables import MAX_BYTES, document_rows, parse_document, read_table


def dataset_from_bytes(data: bytes, filename: str, *, as_of: dt.date | None = None) -> Dataset:
    """A file (CSV, .xlsx or JSON) as a checked dataset."""
    from django.utils import timezone

    digest = hashlib.sha256(data).hexdigest()
    day = as_of or timezone.localdate()
    if filename.lower().endswith(".json"):
        doc = parse_document(data)
        return _from_document(doc, day, digest)
    return build_dataset(read_table(data, filename), as_of=day, digest=digest)


def _from_document(doc: dict[str, Any], day: dt.date, digest: str) -> Dataset:
    if doc.get("as_of"):
        try:
            day = dt.date.fromisoformat(str(doc["as_of"]))
        except ValueError:
            raise InputError("invalid_date", f"as_of“{doc['as_of']}”不是 YYYY-MM-DD 格式的日期", "as_of", "bad as_of") from None
    scope = doc.get("scope")
    if scope is not None and not isinstance(scope, list):
        raise InputError("bad_json", "scope 应为统一社会信用代码的数组", "scope", "scope must be a list")
    return build_dataset(document_rows(doc), as_of=day, scope=scope, digest=digest)


def fetch(url: str, *, token: str = "", timeout: float = 30, attempts: int = 3) -> bytes:
    """The HR interface's JSON, retried with back-off on connection errors and 5xx; InputError when it fails."""
    import time

    import requests

    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    last = ""
    for attempt in range(1, attempts + 1):
        try:
            with requests.get(url, headers=headers, timeout=timeout, stream=True) as response:
                if response.status_code >= 500:
                    last = f"HTTP {response.status_code}"
                elif response.status_code != 200:
                    raise InputError("source_refused", f"人事系统接口返回 HTTP {response.status_code}，未作任何修改", "url",
                                     f"HR source answered HTTP {response.status_code}")
                else:
                    body = response.raw.read(MAX_BYTES + 1, decode_content=True)
                    if len(body) > MAX_BYTES:
                        raise InputError("too_large", "人事系统接口返回的数据过大", "url", "HR source answer too large")
                    return bytes(body)
        except requests.RequestException as exc:
            last = type(exc).__name__
        if attempt < attempts:
            time.sleep(min(2 ** attempt, 10) * 0.5)
    raise InputError("source_unavailable", f"人事系统接口 {url} 连续 {attempts} 次无法读取（{last}），未作任何修改，稍后将重试",
                     "url", f"HR source unavailable after {attempts} attempts ({last})")


def dataset_from_url(url: str, *, token: str = "", as_of: dt.date | None = None) -> Dataset:
    """The HR interface's JSON document as a checked dataset."""
    from django.utils import timezone

    data = fetch(url, token=token)
    return _from_document(parse_document(data), as_of or timezone.localdate(), hashlib.sha256(data).hexdigest())
