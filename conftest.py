"""Suite-wide setup: fail within seconds, naming the service, when PostgreSQL or Redis is down."""

import os
import socket
from urllib.parse import urlparse

import pytest

HOW_TO_START = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
    "--appendonly no",
}


def _unreachable(name: str, url: str, default_port: int) -> str | None:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=3):
            return None
    except OSError as exc:
        return (
            f"{name} is not reachable at {host}:{port} ({exc.strerror or exc}).\n"
            f"  Start it with: {HOW_TO_START[name]}"
        )


def pytest_sessionstart(session):
    problems = []
    db_url = os.environ.get("DATABASE_URL", "")
    if db_url.startswith("postgres"):
        problems.append(_unreachable("PostgreSQL", db_url, 5432))
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if broker.startswith("redis"):
        problems.append(_unreachable("Redis", broker, 6379))
    problems = [p for p in problems if p]
    if problems:
        pytest.exit("\n".join(problems), returncode=3)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and other cached state never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
