"""Runs one test identity provider: `python -m tests.sso.providers.serve oidc|cas DATA_DIR SEED.json`.

Binds 127.0.0.1 on a port the system picks, migrates its own SQLite database, loads the seed (users, TOTP
devices, OAuth clients), prints `READY <port>` and serves with waitress until terminated, or until the
process that started it is gone (so a killed test run leaves no server behind).
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            os._exit(0)


def _rsa_key(path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def _seed(kind: str, seed: dict[str, Any]) -> None:
    from django.contrib.auth.models import User

    for u in seed.get("users", []):
        user = User.objects.create_user(u["username"], password=u["password"], first_name=u.get("name", ""),
                                        last_name=u.get("employee_number", ""))
        if kind == "oidc" and u.get("totp_key"):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            TOTPDevice.objects.create(user=user, name="app", key=u["totp_key"], confirmed=True)
    if kind == "oidc":
        from oauth2_provider.models import Application

        for c in seed.get("clients", []):
            Application.objects.create(
                client_id=c["client_id"], client_secret=c["client_secret"], name=c["client_id"],
                client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                redirect_uris=" ".join(c["redirect_uris"]), algorithm=Application.RS256_ALGORITHM,
                skip_authorization=True, hash_client_secret=True,
            )


def main(argv: list[str]) -> int:
    kind, data, seed_path = argv[0], Path(argv[1]), Path(argv[2])
    data.mkdir(parents=True, exist_ok=True)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    os.environ["PROVIDER_DATA_DIR"] = str(data)
    os.environ["PROVIDER_PORT"] = str(port)
    os.environ["DJANGO_SETTINGS_MODULE"] = f"tests.sso.providers.{kind}_settings"
    if kind == "oidc":
        _rsa_key(data / "rsa.pem")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    _seed(kind, json.loads(seed_path.read_text()))
    from django.core.wsgi import get_wsgi_application

    # The first request of a Django process imports and compiles its views and templates: pay for it here.
    from django.test import Client
    from waitress import create_server

    for path in (["/o/.well-known/openid-configuration", "/login/"] if kind == "oidc" else ["/cas/login"]):
        Client().get(path)
    server = create_server(get_wsgi_application(), sockets=[sock], threads=4, ident=f"test-{kind}")
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    print(f"READY {port}", flush=True)
    server.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
