"""An enterprise, the key its supervisor issued, and signed requests to the collector endpoint."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from soegov.collector import signing
from soegov.collector.credentials import key_issue
from soegov.exchange import packages as p
from soegov.exchange import records as rec
from tests.factories import EnterpriseFactory

URL = "/api/v1/exchange/collector/packages"
DAY = dt.date(2026, 11, 20)


@dataclass
class Issued:
    """An enterprise with a key: sign and post packages as its soegov would."""

    enterprise: Any
    key: Any
    private: bytes

    def package(self, record: Any, uscc: str | None = None) -> tuple[str, bytes]:
        return rec.zip_name(rec.kind_of(record), DAY, uscc or self.enterprise.uscc), p.build_zip(record, DAY)

    def headers(self, name: str, body: bytes, package_id: str | None = None, **over: Any) -> dict[str, str]:
        signed = signing.sign_headers(key_id=self.key.key_id, private_key=self.private,
                                      package_id=package_id or str(uuid.uuid4()), file_name=name, body=body, **over)
        return {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed.items() if k != "Content-Type"}

    def post(self, client: Any, name: str, body: bytes, package_id: str | None = None,
             headers: dict[str, str] | None = None) -> Any:
        return client.post(URL, data=body, content_type="application/octet-stream",
                           **(headers or self.headers(name, body, package_id)))


@pytest.fixture
def issued(db: Any) -> Issued:
    ent = EnterpriseFactory()
    key, private = key_issue(actor=None, uscc=ent.uscc, label="测试")
    assert private is not None
    return Issued(ent, key, private)
