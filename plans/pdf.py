"""The printable plan: a Django template rendered by WeasyPrint, with a locked-down fetcher.

Everything the PDF shows comes from the frozen snapshot; drawings and the QR code are inline
SVG. The fetcher serves only the project's own static files and stored exercise photos: no
network, no file:// outside them, no redirects, no attachments.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import mimetypes
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "clinic-static:"
PHOTO_SCHEME = "clinic-photo:"
DRAWING_SCHEME = "data:image/svg+xml;base64,"  # plan_tags.drawing_image
PAGE_SIZES = {"letter": "letter", "a4": "A4"}


class FetchRefused(ValueError):
    """A resource the PDF may not load."""


class ClinicFetcher(URLFetcher):
    """Serves clinic-static:<path> from static files, clinic-photo:<name> from exercise photos
    and the drawings the template put in SVG data: URLs; refuses every other URL (http,
    https, file, other data:, ftp …). An SVG's own references come back here and are refused."""

    def __init__(self):
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url, headers=None):
        if url.startswith(STATIC_SCHEME):
            return self._static(url, url[len(STATIC_SCHEME) :])
        if url.startswith(PHOTO_SCHEME):
            return self._photo(url, url[len(PHOTO_SCHEME) :])
        if url.startswith(DRAWING_SCHEME):
            return self._drawing(url, url[len(DRAWING_SCHEME) :])
        raise FetchRefused(f"the PDF may not load {url[:80]!r}")

    def _static(self, url: str, path: str) -> URLFetcherResponse:
        if ".." in Path(path).parts:
            raise FetchRefused("path traversal")
        found = finders.find(path.lstrip("/"))
        if not found:
            raise FetchRefused(f"no static file {path!r}")
        return _response(url, Path(found).read_bytes(), path)

    def _photo(self, url: str, name: str) -> URLFetcherResponse:
        if not name.startswith("exercises/") or ".." in Path(name).parts:
            raise FetchRefused("only exercise photos")
        with default_storage.open(name, "rb") as handle:
            return _response(url, handle.read(), name)

    def _drawing(self, url: str, data: str) -> URLFetcherResponse:
        try:
            body = base64.b64decode(data, validate=True)
        except binascii.Error as error:
            raise FetchRefused("a drawing that is not base64") from error
        return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/svg+xml"})


def _response(url: str, body: bytes, name: str) -> URLFetcherResponse:
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})


def content_hash(snapshot: dict) -> str:
    """What decides whether a version needs rendering: the snapshot and the page settings."""
    material = json.dumps(
        {"snapshot": snapshot, "page": settings.PLAN_PAGE_SIZE}, sort_keys=True, default=str
    )
    return hashlib.sha256(material.encode()).hexdigest()


def qr_svg(url: str) -> str:
    """The patient's online plan as a QR code, inline SVG (no image fetch)."""
    return segno.make(url, error="m").svg_inline(scale=3, dark="#111827", light=None)


def plan_html(snapshot: dict, *, online_url: str = "") -> str:
    return render_to_string(
        "plans/pdf/plan.html",
        {
            "s": snapshot,
            "page_size": PAGE_SIZES.get(settings.PLAN_PAGE_SIZE, "letter"),
            "qr": qr_svg(online_url) if online_url else "",
            "online_url": online_url,
            "static_css": f"{STATIC_SCHEME}css/plan-print.css",
        },
    )


def render_pdf(html: str) -> bytes:
    document = HTML(string=html, url_fetcher=ClinicFetcher(), base_url=STATIC_SCHEME)
    return document.write_pdf(pdf_variant="pdf/ua-1")
