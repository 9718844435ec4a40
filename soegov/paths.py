"""Where soegov keeps the files a deployment writes (database, uploads, imported calendars)."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: every `soegov` command imports this module (keep_private)
if TYPE_CHECKING:
    from pathlib import Path


def data_dir() -> Path:
    """The writable data directory: $SOEGOV_DATA_DIR, else ~/.local/share/soegov."""
    from pathlib import Path  # here, not at the top: pathlib costs `soegov classify` start-up time

    configured = os.environ.get("SOEGOV_DATA_DIR")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "soegov"


def demo_dir() -> Path:
    """The demo's own data directory: $SOEGOV_DEMO_DIR, else ~/.local/share/soegov-demo — never the one
    `soegov serve` uses, so a production start never finds the demo accounts."""
    from pathlib import Path  # as in data_dir()

    configured = os.environ.get("SOEGOV_DEMO_DIR")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "soegov-demo"


# Files 0600, folders 0700: the database, uploads, keys, anchors and backups are the deployment's alone.
PRIVATE_UMASK = 0o077


def keep_private() -> None:
    """From here on this process creates files 0600 and folders 0700 (umask 077); every entry point calls it."""
    os.umask(PRIVATE_UMASK)


def private_dir(path: Path) -> Path:
    """`path`, with every missing folder on the way created 0700 whatever the umask; an existing one is kept."""
    missing = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # another process made it meanwhile
            continue
        os.chmod(folder, 0o700)  # mkdir's mode is cut by the umask; a looser umask must not widen it
    return path


def private_file(path: Path) -> Path:
    """`path` created empty 0600 (and its folders 0700) unless it exists, so that what is written into it later,
    by any library, stays private."""
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return path  # kept as it is (contextlib.suppress would import contextlib at every start-up)
    return path
