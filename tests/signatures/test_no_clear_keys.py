"""No private key in clear: not in the database, not in the data or key folder, not in the logs."""

from __future__ import annotations

import base64
import io
import logging
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from soegov.signatures import keystore, packages, signing, sm2
from tests.signatures.factories import PIN, organisation_with_key, person_with_key, security_admin
from tests.signatures.test_signing import frozen

pytestmark = pytest.mark.django_db


def forms_of(key: bytes) -> list[bytes]:
    """The ways a 32-byte key could be written down."""
    return [key, key.hex().encode(), key.hex().upper().encode(), base64.b64encode(key),
            base64.urlsafe_b64encode(key).rstrip(b"="), str(int.from_bytes(key, "big")).encode()]


def test_private_keys_appear_nowhere_in_clear(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
                                              settings: Any, tmp_path: Path) -> None:
    made: list[bytes] = []
    real = sm2.generate_keypair

    def recording() -> tuple[bytes, bytes]:
        private, public = real()
        made.append(private)
        return private, public

    monkeypatch.setattr(sm2, "generate_keypair", recording)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # every SQL statement with its parameters goes to the log
    try:
        admin = security_admin()
        person = person_with_key(admin)
        jurisdiction = organisation_with_key(admin)
        document = frozen()
        signing.sign_as_person(actor=person, key=signing.unlock_own_key(actor=person, pin=PIN),
                               purpose="document.sign", ref=document.ref, document=document)
        signing.sign_as_organisation(actor=None, jurisdiction=jurisdiction, purpose="reply.seal", ref=document.ref,
                                     document=document)
        downloads = [packages.signed_file(document, fmt) for fmt in ("pdf", "docx")]
    finally:
        connection.force_debug_cursor = False
    assert len(made) == 3  # root, person, organisation
    dump = io.StringIO()
    call_command("dumpdata", format="json", stdout=dump)
    haystacks: dict[str, bytes] = {"database dump": dump.getvalue().encode("utf-8"),
                                   "logs": caplog.text.encode("utf-8"),
                                   "downloads": b"".join(downloads)}
    folders = [Path(settings.DATA_DIR), keystore.key_dir()]
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                haystacks[str(path)] = path.read_bytes()
    db_file = connection.settings_dict.get("NAME")
    if connection.vendor == "sqlite" and db_file and Path(str(db_file)).is_file():
        haystacks["sqlite file"] = Path(str(db_file)).read_bytes()
    assert "signatures_signingcertificate" in caplog.text  # the logs really hold the SQL
    for private in made:
        for needle in forms_of(private):
            for where, hay in haystacks.items():
                assert needle not in hay, f"a private key appears in clear in {where}"
    # The PIN is not stored or logged either.
    for where, hay in haystacks.items():
        assert PIN.encode() not in hay, f"the signing PIN appears in {where}"
