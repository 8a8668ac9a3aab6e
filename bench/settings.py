"""Benchmark settings: the app's own settings (production mode, from the environment) plus
only what the benchmark needs. Used by gunicorn, the Celery worker and bench/run.py.

- ROOT_URLCONF adds the floor view and an admin site for the peer (bench/urls.py).
- bench/work/vendor-static/ (filled by bench/run.py from static/node_modules/) comes after
  static/ in STATICFILES_DIRS: it holds the front-end libraries that `make setup` copies to
  static/vendor/ plus the two source maps that copy leaves out, without which collectstatic
  fails under the production storage. The benchmark never writes outside bench/.
- CACHES: the app's cache for everything (the staff roles and permissions cache included),
  and a dummy cache for the rate limits only: the booking page allows 5 bookings per IP per
  hour and wrk sends everything from 127.0.0.1, so with a real cache every POST after the
  fifth would measure the "too many bookings" page.
"""

from pathlib import Path

from clinic.settings import *  # noqa: F403
from clinic.settings import STATICFILES_DIRS

ROOT_URLCONF = "bench.urls"

_VENDOR = Path(__file__).resolve().parent / "work" / "vendor-static"
if _VENDOR.is_dir():
    STATICFILES_DIRS = [*STATICFILES_DIRS, _VENDOR]

CACHES = {
    **CACHES,  # noqa: F405
    "ratelimit": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
RATELIMIT_CACHE = "ratelimit"
