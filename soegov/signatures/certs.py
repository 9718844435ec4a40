"""X.509 v3 certificates with SM2 keys signed with SM2-with-SM3 (GM/T 0015-2012), built and read with asn1crypto.

OIDs (GM/T 0006-2012): 1.2.156.10197.1.301 the SM2 curve, 1.2.156.10197.1.501 SM2-with-SM3. The
signature over the TBSCertificate uses the default ID 1234567812345678, as GM/T 0015 and OpenSSL do.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from asn1crypto import keys, x509

from soegov.signatures import sm2

SM2_CURVE = "1.2.156.10197.1.301"
SM2_WITH_SM3 = "1.2.156.10197.1.501"
ID_EC_PUBLIC_KEY = "1.2.840.10045.2.1"

keys.NamedCurve.register("sm2p256v1", SM2_CURVE, 32)


class CertificateError(ValueError):
    """Bytes that are not a certificate soegov can read."""


@dataclass(frozen=True)
class CertInfo:
    """What a verifier needs from a certificate."""

    serial: str
    subject: str
    subject_uid: str
    issuer: str
    not_before: dt.datetime
    not_after: dt.datetime
    public_key: bytes
    is_ca: bool
    tbs: bytes
    signature: bytes
    der: bytes

    @property
    def fingerprint(self) -> str:
        """The SM3 digest of the certificate, in hex (how a person compares two certificates)."""
        return sm2.sm3(self.der).hex()


def _name(common_name: str, organisation: str, uid: str) -> x509.Name:
    attrs = {"country_name": "CN", "organization_name": organisation[:64] or "soegov", "common_name": common_name[:64]}
    name = x509.Name.build(attrs, use_printable=False)
    if uid:
        # userid (0.9.2342.19200300.100.1.1) carries the account the certificate belongs to.
        rdn = x509.RelativeDistinguishedName([x509.NameTypeAndValue({"type": "0.9.2342.19200300.100.1.1",
                                                                      "value": x509.DirectoryString(
                                                                          name="utf8_string", value=uid)})])
        name = x509.Name(name="", value=x509.RDNSequence([*name.chosen, rdn]))
    return name


def new_serial() -> int:
    """A random positive 63-bit serial number (RFC 5280 §4.1.2.2: unique per issuer, at most 20 octets)."""
    return secrets.randbits(63) | (1 << 62)


def build(*, serial: int, subject_cn: str, subject_org: str, subject_uid: str, public_key: bytes,
          issuer_cn: str, issuer_org: str, issuer_private: bytes, not_before: dt.datetime, not_after: dt.datetime,
          is_ca: bool) -> bytes:
    """A DER certificate for the public key, signed by the issuer's private key."""
    sm2.check_public_key(public_key)
    algorithm = {"algorithm": SM2_WITH_SM3}
    usage = {"digital_signature", "non_repudiation"} | ({"key_cert_sign", "crl_sign"} if is_ca else set())
    extensions = [
        {"extn_id": "basic_constraints", "critical": True, "extn_value": {"ca": is_ca}},
        {"extn_id": "key_usage", "critical": True, "extn_value": usage},
        {"extn_id": "key_identifier", "critical": False, "extn_value": sm2.sm3(public_key)[:20]},
    ]
    tbs = x509.TbsCertificate({
        "version": "v3",
        "serial_number": serial,
        "signature": algorithm,
        "issuer": _name(issuer_cn, issuer_org, ""),
        "validity": {"not_before": x509.Time(name="utc_time", value=not_before.astimezone(dt.UTC)),
                     "not_after": x509.Time(name="general_time" if not_after.year >= 2050 else "utc_time",
                                            value=not_after.astimezone(dt.UTC))},
        "subject": _name(subject_cn, subject_org, subject_uid),
        "subject_public_key_info": {
            "algorithm": {"algorithm": ID_EC_PUBLIC_KEY,
                          "parameters": keys.ECDomainParameters(name="named", value="sm2p256v1")},
            "public_key": public_key,
        },
        "extensions": extensions,
    })
    signature = sm2.sign(issuer_private, tbs.dump())
    cert = x509.Certificate({"tbs_certificate": tbs, "signature_algorithm": algorithm, "signature_value": signature})
    return bytes(cert.dump())


def read(der: bytes) -> CertInfo:
    """The fields of a DER certificate; CertificateError when it is not an SM2 certificate."""
    try:
        cert = x509.Certificate.load(bytes(der), strict=True)
        tbs = cert["tbs_certificate"]
        spki = tbs["subject_public_key_info"]
        if cert["signature_algorithm"]["algorithm"].dotted != SM2_WITH_SM3:
            raise CertificateError("证书不是 SM2-with-SM3 签名")
        if spki["algorithm"]["parameters"].chosen.native not in ("sm2p256v1", SM2_CURVE):
            raise CertificateError("证书公钥不是 SM2 曲线")
        public = bytes(spki["public_key"].native)
        subject = tbs["subject"]
        uid = ""
        for rdn in subject.chosen:
            for attr in rdn:
                if attr["type"].dotted == "0.9.2342.19200300.100.1.1":
                    uid = str(attr["value"].native)
        constraints: dict[str, Any] = next((e["extn_value"].native for e in tbs["extensions"]
                            if e["extn_id"].native == "basic_constraints"), {}) or {}
        validity = tbs["validity"]
        return CertInfo(
            serial=f"{tbs['serial_number'].native:X}",
            subject=str(subject.native.get("common_name", "")),
            subject_uid=uid,
            issuer=str(tbs["issuer"].native.get("common_name", "")),
            not_before=validity["not_before"].native,
            not_after=validity["not_after"].native,
            public_key=public,
            is_ca=bool(constraints.get("ca")),
            tbs=bytes(tbs.dump()),
            signature=bytes(cert["signature_value"].native),
            der=bytes(der),
        )
    except CertificateError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # malformed DER
        raise CertificateError("不是有效的证书") from exc


def issued_by(cert: CertInfo, issuer: CertInfo) -> bool:
    """True when the certificate's signature verifies under the issuer's public key and names it."""
    return cert.issuer == issuer.subject and issuer.is_ca and sm2.verify(issuer.public_key, cert.tbs, cert.signature)
