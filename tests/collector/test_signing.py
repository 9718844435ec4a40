"""The signature on a reported package: what it covers, and the key file it is made with (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soegov.collector import signing
from soegov.signatures import sm2

BODY = b"PK\x03\x04 a zip"


def _signed(private: bytes, body: bytes = BODY, **over: str) -> signing.Signed:
    headers = signing.sign_headers(key_id="K-1", private_key=private, package_id="p-1", file_name="甲.zip", body=body)
    headers.update(over)
    parsed = signing.read_headers(headers)
    assert isinstance(parsed, signing.Signed)
    return parsed


def test_a_signature_verifies_and_any_change_breaks_it() -> None:
    private, public = sm2.generate_keypair()
    signed = _signed(private)
    assert signed.file_name == "甲.zip" and signing.verify(signed, public, BODY)
    assert not signing.verify(signed, public, BODY + b"x")  # the package changed
    other = _signed(private, **{signing.HEADERS["package_id"]: "p-2"})
    assert not signing.verify(other, public, BODY)  # a header changed
    assert not signing.verify(signed, sm2.generate_keypair()[1], BODY)  # another key


def test_each_request_has_its_own_nonce_and_the_clock_is_bounded() -> None:
    private, _ = sm2.generate_keypair()
    a, b = _signed(private), _signed(private)
    assert a.nonce != b.nonce
    assert signing.skew_ok(a, float(a.timestamp) + signing.MAX_SKEW_SECONDS)
    assert not signing.skew_ok(a, float(a.timestamp) + signing.MAX_SKEW_SECONDS + 1)


@pytest.mark.parametrize("field", ["key_id", "timestamp", "nonce", "signature"])
def test_a_missing_or_malformed_header_is_named(field: str) -> None:
    private, _ = sm2.generate_keypair()
    headers = signing.sign_headers(key_id="K-1", private_key=private, package_id="p", file_name="a.zip", body=BODY)
    headers[signing.HEADERS[field]] = "" if field == "key_id" else "!!"
    assert signing.read_headers(headers) == signing.HEADERS[field]


def test_the_key_file_round_trips_and_a_bad_one_is_named(tmp_path: Path) -> None:
    private, _ = sm2.generate_keypair()
    good = tmp_path / "k.key"
    good.write_text(signing.key_file_text("K-1", private), encoding="utf-8")
    assert signing.read_key_file(good) == private
    bad = tmp_path / "bad.key"
    bad.write_text("not a key\n", encoding="utf-8")
    with pytest.raises(ValueError, match="不是 SM2 私钥"):
        signing.read_key_file(bad)
    with pytest.raises(ValueError, match="无法读取"):
        signing.read_key_file(tmp_path / "absent.key")


PRIVATE, PUBLIC = sm2.generate_keypair()


@settings(max_examples=25, deadline=None)
@given(body=st.binary(min_size=1, max_size=200), where=st.integers(min_value=0), flip=st.integers(1, 255),
       name=st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s))
def test_any_changed_byte_of_the_package_or_name_breaks_the_signature(body: bytes, where: int, flip: int,
                                                                      name: str) -> None:
    headers = signing.sign_headers(key_id="K-1", private_key=PRIVATE, package_id="p-1", file_name=name, body=body)
    signed = signing.read_headers(headers)
    assert isinstance(signed, signing.Signed) and signed.file_name == name  # any name survives its header
    assert signing.verify(signed, PUBLIC, body)
    changed = bytearray(body)
    changed[where % len(body)] ^= flip
    assert not signing.verify(signed, PUBLIC, bytes(changed))
    renamed = signing.Signed(signed.key_id, signed.timestamp, signed.nonce, signed.package_id, name + "x",
                             signed.signature)
    assert not signing.verify(renamed, PUBLIC, body)
