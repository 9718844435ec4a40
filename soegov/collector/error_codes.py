"""The collector's refusals, each code once with its Chinese and English message (soegov.core.errors)."""

from __future__ import annotations

from soegov.core.error_codes import ErrorCode
from soegov.core.errors import InputError, SoegovError


class Unauthenticated(SoegovError):
    """The request is not signed by a key the supervisor issued and still accepts (HTTP 401)."""


class Forbidden(SoegovError):
    """A valid key asking for something its enterprise may not do (HTTP 403)."""


class Conflict(SoegovError):
    """A package id already used for another package (HTTP 409)."""


class TooLarge(InputError):
    """A package over the import's size limit (HTTP 413)."""


class CollectorError(ErrorCode):
    """Refusals of the collector endpoint, of issuing keys and of the enterprise's sender."""

    MISSING_HEADER = ("missing_header", "请求缺少签名头 {header} 或其格式不对（须由企业端 soegov 签名后发送）",
                      "the request lacks the signing header {header}, or it is malformed", Unauthenticated)
    UNKNOWN_KEY = ("unknown_key", "密钥编号 {key_id} 不是本采集端签发的有效密钥（未签发或已吊销）",
                   "key id {key_id} was not issued by this collector or has been revoked", Unauthenticated)
    BAD_SIGNATURE = ("bad_signature", "签名验证失败：数据包或请求头在签名后被改动，或私钥与密钥编号 {key_id} 不符",
                     "the signature does not verify: the package or a header was changed after signing, or the "
                     "private key is not key {key_id}'s", Unauthenticated)
    CLOCK_SKEW = ("clock_skew", "请求时间与采集端时钟相差超过 {seconds} 秒，已拒绝；请校准企业端服务器时钟",
                  "the request's time is more than {seconds} s away from the collector's clock", Unauthenticated)
    REPLAY = ("replay", "该签名请求（随机数 {nonce}）已被接收过，疑似重放，已拒绝",
              "this signed request (nonce {nonce}) was received before: refused as a replay", Unauthenticated)
    NOT_OWN = ("not_own_package", "数据包“{file}”属于统一社会信用代码 {uscc}，不是密钥所属企业（{own}）的数据包",
               "package “{file}” is for USCC {uscc}, not for the key's enterprise ({own})", Forbidden)
    ID_REUSED = ("package_id_reused", "数据包编号 {package_id} 已用于另一个数据包（{file}）；同一编号只能重发同一数据包",
                 "package id {package_id} was used for another package ({file}); an id is re-sent only with the "
                 "same package", Conflict)
    TOO_LARGE = ("package_too_large", "数据包超过 {mb} MB，不予接收", "the package is larger than {mb} MB", TooLarge)
    NO_ENTERPRISE = ("unknown_enterprise", "没有统一社会信用代码为 {uscc} 的企业", "no enterprise has USCC {uscc}",
                     InputError)
    BAD_PUBLIC_KEY = ("invalid_public_key", "公钥无效：应为 SM2 公钥（04 开头的 130 位十六进制）",
                      "the public key must be an SM2 public key (130 hex digits starting 04)", InputError)
    NO_KEY = ("no_such_key", "没有密钥编号为 {key_id} 的报送密钥", "no reporting key has id {key_id}", InputError)
    REVOKED = ("key_revoked", "密钥 {key_id} 已于 {at} 吊销", "key {key_id} was revoked at {at}", InputError)
    NOT_CONFIGURED = ("collector_not_configured", "本系统未配置国资委采集端（SOEGOV_COLLECTOR_URL 等，见 README）",
                      "no collector is configured (SOEGOV_COLLECTOR_URL and the rest; see the README)", InputError)
    WAITING = ("already_waiting", "{what}已在报送队列中（{state}），收到回执后再报送",
               "{what_en} is already waiting to be reported ({state_en}); report it again once its receipt is back",
               InputError)
    NOTHING = ("nothing_to_report", "{what}：没有可报送的内容", "{what_en}: nothing to report", InputError)
