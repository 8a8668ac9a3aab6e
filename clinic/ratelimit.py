"""A small fixed-window rate limit on the shared cache (Redis in production)."""

from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit; False once ``limit`` hits happened in the current window."""
    name = f"ratelimit:{scope}:{key}"
    if cache.add(name, 1, timeout=window_seconds):
        return True
    try:
        return cache.incr(name) <= limit
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window_seconds)
        return True
