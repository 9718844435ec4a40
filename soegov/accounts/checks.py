"""Start-up checks of the security settings: the administrators' networks, the data folder's mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from soegov.accounts.networks import parse_networks

TAG = "soegov_security"


@checks.register(TAG)
def check_admin_networks(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Each SOEGOV_ADMIN_NETWORKS entry is a network in CIDR notation (else soegov.E161, and no start)."""
    _networks, problems = parse_networks(list(getattr(settings, "SOEGOV_ADMIN_NETWORKS", [])))
    return [checks.Error(f"SOEGOV_ADMIN_NETWORKS 中的{p}", id="soegov.E161",
                         hint="应为逗号分隔的网段，如 10.20.0.0/16,192.168.8.5/32,fd00::/8；留空则不限制管理员的访问地址")
            for p in problems]


@checks.register(TAG)
def check_private_data_dir(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn (soegov.W162) when others may enter the data folder: one made by an earlier version keeps its mode."""
    import stat
    from pathlib import Path

    folder = Path(settings.DATA_DIR)
    try:
        mode = stat.S_IMODE(folder.stat().st_mode)
    except OSError:
        return []
    if not mode & 0o077:
        return []
    return [checks.Warning(f"数据目录 {folder} 的权限为 {mode:o}，本机其他用户可以进入（数据库、上传文件、密钥都在其中）",
                           id="soegov.W162", hint=f"请执行 chmod -R go-rwx {folder}（soegov 新建的文件为 600、目录为 700）")]
