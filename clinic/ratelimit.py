"""A small fixed-window rate limit on the shared cache (Redis in production).

``allow`` counts a hit and says whether it is within the limit. ``exhausted`` and ``hit`` split
that in two, for limits charged only when something succeeds (a booking made, not a form sent).

RATELIMIT_CACHE names the cache alias (the benchmark points it at a dummy cache, so that its
load from one address measures pages, not the "slow down" page).
"""

from django.conf import settings
from django.core.cache import caches


def _cache():
    return caches[getattr(settings, "RATELIMIT_CACHE", "default")]


def _name(scope: str, key: str) -> str:
    return f"ratelimit:{scope}:{key}"


def hit(scope: str, key: str, *, window_seconds: int) -> int:
    """Count one hit; return how many the current window holds now."""
    cache, name = _cache(), _name(scope, key)
    if cache.add(name, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window_seconds)
        return 1


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit; False once ``limit`` hits happened in the current window."""
    return hit(scope, key, window_seconds=window_seconds) <= limit


def exhausted(scope: str, key: str, *, limit: int) -> bool:
    """True when the current window already holds ``limit`` hits; counts nothing."""
    return (_cache().get(_name(scope, key)) or 0) >= limit
