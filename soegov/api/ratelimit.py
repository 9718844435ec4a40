"""A fixed-window request limit per client address, kept in the cache (shared by a deployment's workers)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from soegov.audit.context import client_ip


def over_limit(request: HttpRequest, bucket: str) -> bool:
    """Count this request; True when the client already used its allowance for the current minute."""
    limit = int(settings.SOEGOV_PUBLIC_RATE_PER_MINUTE)
    if limit <= 0:
        return False
    window = int(time.time() // 60)
    key = f"rl:{bucket}:{client_ip(request) or '-'}:{window}"
    if cache.add(key, 1, timeout=70):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=70)
        return False
    return bool(count > limit)
