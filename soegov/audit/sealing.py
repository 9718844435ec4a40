"""What makes the audit chain hold against someone who can write to the database.

- Every entry carries an HMAC-SM3 (RFC 2104 with SM3, GB/T 32905) of its chain hash, under a key derived
  from the key-encryption key in the key folder ($SOEGOV_KEY_DIR). The key is never in the database, so
  rows rewritten, appended or re-hashed there do not carry a valid code.
- After each committed entry, its sequence number and hash are appended, with their own HMAC, to an
  anchor file outside the database ($SOEGOV_AUDIT_ANCHOR_DIR, else <data dir>/audit-anchors). Deleting the
  last rows, every row or the whole table (TRUNCATE) leaves anchors naming rows that are no longer there.
- A checkpoint is one such anchor written to a file of the operator's choice, to be kept elsewhere.
"""

from __future__ import annotations

import contextlib
import hmac as std_hmac
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.hmac import HMAC
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from soegov.paths import data_dir
from soegov.signatures.keystore import kek, key_dir

ANCHOR_FILE = "anchors.jsonl"
CHECKPOINT_KIND = "soegov-audit-checkpoint"
_KEY_INFO = b"soegov audit chain hmac-sm3"
_keys: dict[str, bytes] = {}
log = logging.getLogger(__name__)


def anchor_dir() -> Path:
    """The anchor folder: $SOEGOV_AUDIT_ANCHOR_DIR, else <data dir>/audit-anchors."""
    configured = os.environ.get("SOEGOV_AUDIT_ANCHOR_DIR")
    return Path(configured).expanduser() if configured else data_dir() / "audit-anchors"


def chain_key(*, create: bool = False) -> bytes:
    """The HMAC-SM3 key of the audit chain, derived from the key folder's KEK (KeyStoreError when absent)."""
    path = key_dir()
    # An absolute folder is its own name: resolving it (a system call for each part of the path) cost a quarter of
    # a millisecond on every audited change.
    folder = str(path if path.is_absolute() else path.resolve())
    key = _keys.get(folder)
    if key is None:
        key = _keys[folder] = HKDF(algorithm=hashes.SM3(), length=32, salt=None, info=_KEY_INFO).derive(kek(create=create))
    return key


def forget_keys() -> None:
    """Drop the derived keys held in memory (after a restore replaced the key folder)."""
    _keys.clear()


def mac_hex(key: bytes, message: bytes) -> str:
    """HMAC-SM3 of the message as 64 hex digits."""
    h = HMAC(key, hashes.SM3())
    h.update(message)
    return h.finalize().hex()


def entry_mac(key: bytes, seq: int, entry_hash: str) -> str:
    """The keyed code stored beside an entry's chain hash."""
    return mac_hex(key, f"soegov-audit-entry:{seq}:{entry_hash}".encode("ascii"))


def _anchor_message(seq: int, entry_hash: str, at: str) -> bytes:
    return f"soegov-audit-anchor:{seq}:{entry_hash}:{at}".encode("ascii")


@dataclass(frozen=True)
class Anchor:
    """A keyed statement that entry `seq` with chain hash `hash` existed at time `at` (UTC, ISO 8601)."""

    seq: int
    hash: str
    at: str
    source: str

    @property
    def when(self) -> str:
        """The anchor's time in Beijing time, for messages."""
        from zoneinfo import ZoneInfo

        try:
            moment = datetime.fromisoformat(self.at)
        except ValueError:
            return self.at
        return moment.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")


def anchor_record(key: bytes, seq: int, entry_hash: str, at: datetime | None = None) -> dict[str, Any]:
    """One anchor as JSON data with its HMAC."""
    stamp = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    return {"seq": seq, "hash": entry_hash, "at": stamp, "mac": mac_hex(key, _anchor_message(seq, entry_hash, stamp))}


def append_anchor(key: bytes, seq: int, entry_hash: str) -> None:
    """Append one anchor line to the anchor file (created 0600 in a 0700 folder)."""
    folder = anchor_dir()
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)
    line = json.dumps(anchor_record(key, seq, entry_hash), separators=(",", ":")) + "\n"
    # O_APPEND: one write of a short line lands whole at the end even with several processes writing. No fsync:
    # it would double the cost of every audited change, and a line still in the page cache survives a crash of
    # the process; only a power loss can drop the last anchors, which widens the unanchored tail and never
    # raises a false alarm (the entry was committed first).
    fd = os.open(folder / ANCHOR_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("ascii"))
    finally:
        os.close(fd)


def anchor_after_commit(seq: int, entry_hash: str) -> None:
    """Write the anchor of a committed entry; a failure is logged, never raised (the entry is already kept)."""
    try:
        append_anchor(chain_key(create=True), seq, entry_hash)
    except Exception:  # the change is committed; losing one anchor only widens the unanchored tail
        log.exception("审计锚点写入失败：%s", anchor_dir())


def parse_anchor(key: bytes, data: Any, source: str) -> Anchor | str:
    """An Anchor from JSON data, or why it is not one (malformed or a code that does not match)."""
    if not isinstance(data, dict):
        return f"{source} 不是锚点记录"
    try:
        seq, entry_hash, at, code = int(data["seq"]), str(data["hash"]), str(data["at"]), str(data["mac"])
    except (KeyError, TypeError, ValueError):
        return f"{source} 缺少序号、哈希、时间或校验码"
    expected = mac_hex(key, _anchor_message(seq, entry_hash, at))
    if not std_hmac.compare_digest(expected, code):
        return f"{source} 的校验码不符（锚点被伪造或改动，或密钥不是本系统的）"
    return Anchor(seq=seq, hash=entry_hash, at=at, source=source)


def read_anchors(key: bytes, extra: list[Path] | None = None) -> tuple[list[Anchor], list[str]]:
    """The anchors of the anchor file and of the given checkpoint files, and the lines that do not check."""
    anchors: list[Anchor] = []
    problems: list[str] = []
    path = anchor_dir() / ANCHOR_FILE
    if path.exists():
        with path.open("rb") as f:
            for number, raw in enumerate(f, start=1):
                source = f"锚点文件 {path} 第 {number} 行"
                if not raw.endswith(b"\n"):
                    # A write cut short by a crash: the line never finished, so it states nothing.
                    continue
                try:
                    data = json.loads(raw)
                except ValueError:
                    problems.append(f"{source} 无法解析")
                    continue
                found = parse_anchor(key, data, source)
                (anchors.append(found) if isinstance(found, Anchor) else problems.append(found))
    for checkpoint in extra or []:
        source = f"检查点 {checkpoint}"
        try:
            data = json.loads(checkpoint.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{source} 无法读取：{exc}")
            continue
        if not isinstance(data, dict) or data.get("kind") != CHECKPOINT_KIND:
            problems.append(f"{source} 不是 soegov 审计检查点")
            continue
        found = parse_anchor(key, data, source)
        (anchors.append(found) if isinstance(found, Anchor) else problems.append(found))
    return anchors, problems


def checkpoint_json(key: bytes, seq: int, entry_hash: str) -> str:
    """A checkpoint file's text: the chain head as a keyed anchor, for the audit administrator to keep."""
    return json.dumps({"kind": CHECKPOINT_KIND, **anchor_record(key, seq, entry_hash)}, indent=2) + "\n"
