"""`soegov verify FILE` on real files, and the certificates read by an independent implementation (OpenSSL 3)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from soegov.cli import main
from soegov.signatures import packages, signing
from soegov.signatures.models import CertStatus, SigningCertificate
from tests.signatures.factories import PIN, person_with_key
from tests.signatures.test_signing import frozen

pytestmark = pytest.mark.django_db


def signed_pdf(tmp_path: Path) -> Path:
    person = person_with_key()
    document = frozen()
    signing.sign_as_person(actor=person, key=signing.unlock_own_key(actor=person, pin=PIN),
                           purpose="document.sign", ref=document.ref, document=document)
    path = tmp_path / "批复.pdf"
    path.write_bytes(packages.signed_file(document, "pdf"))
    return path


def test_cli_names_signer_and_exits_zero_then_one_after_a_byte_changes(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = signed_pdf(tmp_path)
    assert main(["verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert "签名 1：张三" in out and "签名时有效" in out and "核验结论：通过" in out
    data = bytearray(path.read_bytes())
    data[1234] ^= 0x04
    path.write_bytes(bytes(data))
    assert main(["verify", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["intact"] is False
    assert report["signatures"][0]["signer"] == "张三"


def test_cli_on_a_missing_file_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(tmp_path / "nope.pdf")]) == 2
    assert "无法读取文件" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl command not installed")
def test_openssl_verifies_the_certificate_chain(tmp_path: Path) -> None:
    """OpenSSL 3 checks the SM2-with-SM3 signatures of soegov's certificates with the default ID (GM/T 0009)."""
    signed_pdf(tmp_path)
    from soegov.signatures import keystore

    root = tmp_path / "root.der"
    root.write_bytes(keystore.trust_anchor() or b"")
    leaf = tmp_path / "leaf.der"
    leaf.write_bytes(bytes(SigningCertificate.objects.get(holder="person", status=CertStatus.ACTIVE).der))
    pems = []
    for der in (root, leaf):
        pem = der.with_suffix(".pem")
        subprocess.run(["openssl", "x509", "-inform", "DER", "-in", str(der), "-out", str(pem)], check=True)
        pems.append(pem)
    text = subprocess.run(["openssl", "x509", "-in", str(pems[1]), "-noout", "-text"], check=True,
                          capture_output=True, text=True).stdout
    assert "SM2-with-SM3" in text and "ASN1 OID: SM2" in text
    ok = subprocess.run(["openssl", "verify", "-vfyopt", "distid:1234567812345678", "-CAfile", str(pems[0]),
                         str(pems[1])], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    # A certificate from another root is refused by OpenSSL too.
    bad = subprocess.run(["openssl", "verify", "-vfyopt", "distid:1234567812345678", "-CAfile", str(pems[1]),
                          str(pems[1])], capture_output=True, text=True)
    assert bad.returncode != 0
