"""A local S3 server (moto's server mode) on 127.0.0.1 for the object-store tests; stops with the test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

KEYS = {"SOEGOV_S3_ACCESS_KEY": "soegov-test", "SOEGOV_S3_SECRET_KEY": "soegov-test-secret", "SOEGOV_S3_REGION": "us-east-1"}


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    """The URL of a fresh S3 server (its own port, its own empty state)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    import requests

    # moto keeps its buckets in the process, not in the server: start each test from an empty store.
    requests.post(f"http://{host}:{port}/moto-api/reset", timeout=10).raise_for_status()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str) -> Any:
    """A boto3 client of that server, with the test keys."""
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=KEYS["SOEGOV_S3_ACCESS_KEY"],
                        aws_secret_access_key=KEYS["SOEGOV_S3_SECRET_KEY"], region_name=KEYS["SOEGOV_S3_REGION"])


def s3_storages(endpoint: str, bucket: str) -> dict[str, Any]:
    """STORAGES as settings.py builds it for SOEGOV_S3_BUCKET=bucket on that server."""
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": bucket, "endpoint_url": endpoint, "access_key": KEYS["SOEGOV_S3_ACCESS_KEY"],
            "secret_key": KEYS["SOEGOV_S3_SECRET_KEY"], "region_name": KEYS["SOEGOV_S3_REGION"], "location": "",
            "addressing_style": "path", "signature_version": "s3v4", "default_acl": None, "file_overwrite": False,
            "querystring_auth": True, "verify": True}},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    }
