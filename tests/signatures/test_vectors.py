"""The SM2/SM3/SM4 implementations against the standards' published examples (not the libraries' own tests).

Sources, transcribed from the published texts:
- GB/T 32918.5-2017 (= GM/T 0003.5-2012) §5, the recommended curve's parameters, and its Appendix A
  signature example on that curve (ID 1234567812345678, message "message digest", fixed k).
- GB/T 32918.2-2016 (= GM/T 0003.2-2012) Appendix A.2, the signature example over the 256-bit example
  curve E(Fp) (ID ALICE123@YAHOO.COM, fixed k), with its intermediate values Z_A, e and (x1, y1);
  the same appendix is reproduced in IETF draft-shen-sm2-ecdsa-02 Appendix A.2.
- GB/T 32905-2016 Appendix A example 1 (SM3 of "abc") and GB/T 32907-2016 Appendix A example 1 (SM4).
"""

from __future__ import annotations

import gmalg
import pytest
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from gmalg.ellipticcurve import ECDLP
from gmalg.sm2 import SM2Core

from soegov.signatures import sm2


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", "").replace("\n", ""))


def n(text: str) -> int:
    return int.from_bytes(h(text), "big")


# GB/T 32918.5-2017 §5: the recommended 256-bit curve over Fp.
RECOMMENDED = {
    "p": n("FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFF"),
    "a": n("FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFC"),
    "b": n("28E9FA9E 9D9F5E34 4D5A9E4B CF6509A7 F39789F5 15AB8F92 DDBCBD41 4D940E93"),
    "n": n("FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF 7203DF6B 21C6052B 53BBF409 39D54123"),
    "xG": n("32C4AE2C 1F198119 5F990446 6A39C994 8FE30BBF F2660BE1 715A4589 334C74C7"),
    "yG": n("BC3736A2 F4F6779C 59BDCEE3 6B692153 D0A9877C C62A4740 02DF32E5 2139F0A0"),
}

# GB/T 32918.5-2017 Appendix A: signature on the recommended curve.
REC_D = h("3945208F 7B2144B1 3F36E38A C6D39F95 88939369 2860B51A 42FB81EF 4DF7C5B8")
REC_X = h("09F9DF31 1E5421A1 50DD7D16 1E4BC5C6 72179FAD 1833FC07 6BB08FF3 56F35020")
REC_Y = h("CCEA490C E26775A5 2DC6EA71 8CC1AA60 0AED05FB F35E084A 6632F607 2DA9AD13")
REC_K = n("59276E27 D506861A 16680F3A D9C02DCC EF3CC1FA 3CDBE4CE 6D54B80D EAC1BC21")
REC_Z = h("B2E14C5C 79C6DF5B 85F4FE7E D8DB7A26 2B9DA7E0 7CCB0EA9 F4747B8C CDA8A4F3")
REC_E = h("F0B43E94 BA45ACCA ACE692ED 534382EB 17E6AB5A 19CE7B31 F4486FDF C0D28640")
REC_R = n("F5A03B06 48D2C463 0EEAC513 E1BB81A1 5944DA38 27D5B741 43AC7EAC EEE720B3")
REC_S = n("B1B6AA29 DF212FD8 763182BC 0D421CA1 BB9038FD 1F7F42D4 840B69C4 85BBC1AA")

# GB/T 32918.2-2016 Appendix A.2: the example curve Fp-256 and its signature.
EX = {
    "p": n("8542D69E 4C044F18 E8B92435 BF6FF7DE 45728391 5C45517D 722EDB8B 08F1DFC3"),
    "a": n("787968B4 FA32C3FD 2417842E 73BBFEFF 2F3C848B 6831D7E0 EC65228B 3937E498"),
    "b": n("63E4C6D3 B23B0C84 9CF84241 484BFE48 F61D59A5 B16BA06E 6E12D1DA 27C5249A"),
    "xG": n("421DEBD6 1B62EAB6 746434EB C3CC315E 32220B3B ADD50BDC 4C4E6C14 7FEDD43D"),
    "yG": n("0680512B CBB42C07 D47349D2 153B70C4 E5D7FDFC BFA36EA1 A85841B9 E46E09A2"),
    "n": n("8542D69E 4C044F18 E8B92435 BF6FF7DD 29772063 0485628D 5AE74EE7 C32E79B7"),
}
EX_ID = b"ALICE123@YAHOO.COM"
EX_D = n("128B2FA8 BD433C6C 068C8D80 3DFF7979 2A519A55 171B1B65 0C23661D 15897263")
EX_PUB = (n("0AE4C779 8AA0F119 471BEE11 825BE462 02BB79E2 A5844495 E97C04FF 4DF2548A"),
          n("7C0240F8 8F1CD4E1 6352A73C 17B7F16F 07353E53 A176D684 A9FE0C6B B798E857"))
EX_Z = h("F4A38489 E32B45B6 F876E3AC 2168CA39 2362DC8F 23459C1D 1146FC3D BFB7BC9A")
EX_E = h("B524F552 CD82B8B0 28476E00 5C377FB1 9A87E6FC 682D48BB 5D42E3D9 B9EFFE76")
EX_K = n("6CB28D99 385C175C 94F94E93 4817663F C176D925 DD72B727 260DBAAE 1FB2F96F")
EX_X1 = n("110FCDA5 7615705D 5E7B9324 AC4B856D 23E6D918 8B2AE477 59514657 CE25D112")
EX_R = n("40F1EC59 F793D9F4 9E09DCEF 49130D41 94F79FB1 EED2CAA5 5BACDB49 C4E755D1")
EX_S = n("6FC6DAC3 2C5D5CF1 0C77DFB2 0F7C2EB6 67A45787 2FB09EC5 6327A67E C7DEEBE7")

MESSAGE = b"message digest"


def fixed(k: int):
    """A nonce source that yields the standard's k (the library asks for a k-bit number in [1, n-1])."""
    return lambda bits: k


def test_library_uses_the_recommended_curve_of_gbt_32918_5() -> None:
    """The library's built-in curve, compared with the standard's parameters."""
    from gmalg import sm2 as lib

    ecdlp = lib._ecdlp
    assert (ecdlp.fp.p, ecdlp.ec.a, ecdlp.ec.b) == (RECOMMENDED["p"], RECOMMENDED["a"], RECOMMENDED["b"])
    assert (RECOMMENDED["xG"], RECOMMENDED["yG"]) == ecdlp.G
    assert ecdlp.fpn.p == RECOMMENDED["n"] == sm2.ORDER


def test_recommended_curve_example_public_key_z_and_e() -> None:
    assert sm2.public_key_of(REC_D) == b"\x04" + REC_X + REC_Y
    core = SM2Core(ECDLP(RECOMMENDED["p"], RECOMMENDED["a"], RECOMMENDED["b"],
                         (RECOMMENDED["xG"], RECOMMENDED["yG"]), RECOMMENDED["n"]), gmalg.SM3())
    z = core.entity_info(sm2.DEFAULT_UID, (n(REC_X.hex()), n(REC_Y.hex())))
    assert z == REC_Z
    assert sm2.sm3(z + MESSAGE) == REC_E


def test_recommended_curve_example_signature_with_fixed_k() -> None:
    """soegov's own sign() with the standard's k gives the standard's (r, s)."""
    der = sm2.sign(REC_D, MESSAGE, rnd_fn=fixed(REC_K))
    assert decode_dss_signature(der) == (REC_R, REC_S)
    assert sm2.verify(b"\x04" + REC_X + REC_Y, MESSAGE, der)


def test_recommended_curve_example_rejects_changed_message_key_or_id() -> None:
    der = sm2.sign(REC_D, MESSAGE, rnd_fn=fixed(REC_K))
    pub = b"\x04" + REC_X + REC_Y
    assert not sm2.verify(pub, b"message digesu", der)
    assert not sm2.verify(pub, MESSAGE, der, uid=b"1234567812345679")
    assert not sm2.verify(sm2.public_key_of(sm2.generate_keypair()[0]), MESSAGE, der)
    r, s = decode_dss_signature(der)
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    assert not sm2.verify(pub, MESSAGE, encode_dss_signature(r, s + 1))


def test_example_curve_signature_of_gbt_32918_2_appendix_a() -> None:
    """The library's SM2 core on the standard's example curve reproduces every published value."""
    ecdlp = ECDLP(EX["p"], EX["a"], EX["b"], (EX["xG"], EX["yG"]), EX["n"])
    core = SM2Core(ecdlp, gmalg.SM3(), fixed(EX_K))
    assert core.generate_pk(EX_D) == EX_PUB
    z = core.entity_info(EX_ID, EX_PUB)
    assert z == EX_Z
    assert sm2.sm3(z + MESSAGE) == EX_E
    assert ecdlp.kG(EX_K)[0] == EX_X1
    assert core.sign(MESSAGE, EX_D, EX_ID, EX_PUB) == (EX_R, EX_S)
    assert core.verify(MESSAGE, EX_R, EX_S, EX_ID, EX_PUB)
    assert not core.verify(MESSAGE, EX_R, EX_S, b"ALICE123@YAHOO.CON", EX_PUB)


def test_sm3_example_of_gbt_32905() -> None:
    assert sm2.sm3(b"abc") == h("66C7F0F4 62EEEDD9 D1F2D46B DC10E4E2 4167C487 5CF2F7A2 297DA02B 8F4BA8E0")
    assert sm2.sm3(b"abcd" * 16) == h("DEBE9FF9 2275B8A1 38604889 C18E5A4D 6FDB70E5 387E5765 293DCBA3 9C0C5732")


def test_sm4_example_of_gbt_32907() -> None:
    key = h("01234567 89ABCDEF FEDCBA98 76543210")
    enc = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    assert enc.update(key) + enc.finalize() == h("681EDF34 D206965E 86B3E94F 536E4246")


@pytest.mark.parametrize("bad", [b"", b"\x00" * 32, (sm2.ORDER - 1).to_bytes(32, "big"), b"\x01" * 31])
def test_private_keys_out_of_range_are_refused(bad: bytes) -> None:
    with pytest.raises(sm2.SM2Error):
        sm2.sign(bad, MESSAGE)


def test_points_off_the_curve_are_not_public_keys() -> None:
    pub = sm2.public_key_of(sm2.generate_keypair()[0])
    off = pub[:-1] + bytes([pub[-1] ^ 1])
    with pytest.raises(sm2.SM2Error):
        sm2.check_public_key(off)
    assert not sm2.verify(off, MESSAGE, sm2.sign(sm2.generate_keypair()[0], MESSAGE))


def test_fresh_keys_sign_and_verify_with_random_nonces() -> None:
    private, public = sm2.generate_keypair()
    assert public == sm2.public_key_of(private)
    one, two = sm2.sign(private, MESSAGE), sm2.sign(private, MESSAGE)
    assert one != two  # a fresh k each time
    assert sm2.verify(public, MESSAGE, one) and sm2.verify(public, MESSAGE, two)
