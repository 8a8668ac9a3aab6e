"""A small fixed-window rate limit on the shared cache (Redis in production).

RATELIMIT_CACHE names the cache alias (the benchmark points it at a dummy cache, so that its
load from one address measures pages, not the "slow down" page).
"""

from django.conf import settings
from django.core.cache import caches


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit; False once ``limit`` hits happened in the current window."""
    cache = caches[getattr(settings, "RATELIMIT_CACHE", "default")]
    name = f"ratelimit:{scope}:{key}"
    if cache.add(name, 1, timeout=window_seconds):
        return True
    try:
        return cache.incr(name) <= limit
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window_seconds)
        return True
