"""Checks on gait-analysis uploads (photos and videos), by content, never by name.

Pure Python, no Django. The caller reads the first SNIFF_BYTES of the upload and passes them
with the size; the file name the browser sent is never consulted, and the stored name is chosen
by the server (safe_stored_name).
"""

from __future__ import annotations

import uuid

SNIFF_BYTES = 64  # read at least this much of the file's start for sniff(); 12 are needed

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
VIDEO_TYPES = {"video/mp4", "video/quicktime", "video/webm"}
ALLOWED_MEDIA = IMAGE_TYPES | VIDEO_TYPES

MIB = 1024 * 1024
MAX_IMAGE_BYTES = 10 * MIB  # product limit (storage and upload time), not a clinical number
MAX_VIDEO_BYTES = 100 * MIB  # product limit (storage and upload time), not a clinical number

EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/webm": ".webm",
}

NOT_ACCEPTED = "This file is not a photo or video we accept (JPEG, PNG, WebP, MP4, MOV or WebM)."
EMPTY = "This file is empty."

_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"
_EBML = b"\x1a\x45\xdf\xa3"  # WebM and Matroska share this header; both are taken as WebM
# ISO base media "ftyp" major brands taken as MP4. Only listed brands: HEIC/AVIF photos
# ("heic", "mif1", "avif"), 3GP and M4A audio use the same box and are not accepted.
_MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"M4VH",
    b"M4VP",
    b"dash",
    b"mmp4",
    b"MSNV",
}
_QUICKTIME_BRAND = b"qt  "


def _sniff_ftyp(head: bytes) -> str | None:
    if len(head) < 12 or head[4:8] != b"ftyp":
        return None
    brand = head[8:12]
    if brand == _QUICKTIME_BRAND:
        return "video/quicktime"
    return "video/mp4" if brand in _MP4_BRANDS else None


def sniff(head: bytes) -> str | None:
    """The media type of a file from its first bytes, if it is one of ALLOWED_MEDIA."""
    if head.startswith(_JPEG):
        return "image/jpeg"
    if head.startswith(_PNG):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(_EBML):
        return "video/webm"
    return _sniff_ftyp(head)


def _too_large(content_type: str, size: int) -> str | None:
    if content_type in IMAGE_TYPES and size > MAX_IMAGE_BYTES:
        return f"This photo is larger than the {MAX_IMAGE_BYTES // MIB} MB limit."
    if content_type in VIDEO_TYPES and size > MAX_VIDEO_BYTES:
        return f"This video is larger than the {MAX_VIDEO_BYTES // MIB} MB limit."
    return None


def check_upload(name: str, size: int, head: bytes) -> tuple[str | None, str | None]:
    """(content_type, None) for an acceptable upload, else (None, error in plain words).

    `name` is what the browser sent; it is deliberately not used to decide anything.
    """
    del name  # never trusted: a .jpg may be a PDF, an .mp4 may be a program
    if size <= 0 or not head:
        return None, EMPTY
    content_type = sniff(head)
    if content_type is None:
        return None, NOT_ACCEPTED
    error = _too_large(content_type, size)
    return (None, error) if error else (content_type, None)


def safe_stored_name(content_type: str) -> str:
    """A random, server-chosen file name with the extension of the sniffed type."""
    if content_type not in EXTENSIONS:
        raise ValueError(f"not an accepted media type: {content_type!r}")
    return uuid.uuid4().hex + EXTENSIONS[content_type]
