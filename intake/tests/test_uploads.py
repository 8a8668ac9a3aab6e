"""Gait-analysis uploads are judged by their bytes, never by their name."""

from __future__ import annotations

import re

import pytest

from intake.uploads import (
    ALLOWED_MEDIA,
    EMPTY,
    MAX_IMAGE_BYTES,
    MAX_VIDEO_BYTES,
    NOT_ACCEPTED,
    check_upload,
    safe_stored_name,
    sniff,
)

MIB = 1024 * 1024


def ftyp(brand: bytes) -> bytes:
    """The opening "ftyp" box of an ISO base media file (MP4, MOV, HEIC, …)."""
    return b"\x00\x00\x00\x20ftyp" + brand + b"\x00\x00\x02\x00" + brand + b"mp41"


# Minimal real file openings, as written by cameras, phones and browsers.
HEADS = {
    "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01",
    "image/png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    "image/webp": b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00",
    "video/mp4": ftyp(b"isom"),
    "video/quicktime": ftyp(b"qt  "),
    "video/webm": b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm",
}

NOT_MEDIA = {
    "html": b"<!DOCTYPE html><html><head><title>x</title></head>",
    "html_lower": b"<html><script>alert(1)</script></html>",
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">',
    "svg_xml": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">',
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
    "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",
    "gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
    "heic": ftyp(b"heic"),
    "avif": ftyp(b"avif"),
    "m4a_audio": ftyp(b"M4A "),
    "riff_wav": b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00",
    "text": b"hello, this is a plain text file",
    "short_ftyp": b"\x00\x00\x00\x08ftyp",
    "jpeg_two_bytes": b"\xff\xd8",
}


@pytest.mark.parametrize(("content_type", "head"), HEADS.items())
def test_each_allowed_type_is_detected(content_type, head):
    assert sniff(head) == content_type
    assert check_upload("anything", 1000, head) == (content_type, None)


@pytest.mark.parametrize("brand", [b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash"])
def test_mp4_brands(brand):
    assert sniff(ftyp(brand)) == "video/mp4"


def test_every_allowed_type_has_a_head():
    assert set(HEADS) == ALLOWED_MEDIA


@pytest.mark.parametrize("head", NOT_MEDIA.values(), ids=NOT_MEDIA.keys())
def test_other_content_is_rejected(head):
    assert sniff(head) is None
    assert check_upload("gait.jpg", 1000, head) == (None, NOT_ACCEPTED)


def test_not_accepted_message():
    assert NOT_ACCEPTED == (
        "This file is not a photo or video we accept (JPEG, PNG, WebP, MP4, MOV or WebM)."
    )


@pytest.mark.parametrize(("size", "head"), [(0, b""), (0, HEADS["image/jpeg"]), (10, b"")])
def test_empty_file(size, head):
    assert check_upload("run.mp4", size, head) == (None, EMPTY)


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("gait.jpg", NOT_MEDIA["pdf"]),
        ("gait.jpg", NOT_MEDIA["html"]),
        ("run.mp4", NOT_MEDIA["exe"]),
        ("photo.png", NOT_MEDIA["svg"]),
        ("video.webm", NOT_MEDIA["zip"]),
    ],
)
def test_renamed_file_is_rejected(name, head):
    assert check_upload(name, 5000, head) == (None, NOT_ACCEPTED)


def test_name_does_not_decide_the_type():
    # A real PNG named .mp4 is a PNG, with the image limit.
    assert check_upload("clip.mp4", 1000, HEADS["image/png"]) == ("image/png", None)
    assert check_upload("clip.mp4", MAX_IMAGE_BYTES + 1, HEADS["image/png"])[0] is None


def test_limits_are_10_and_100_mib():
    assert MAX_IMAGE_BYTES == 10 * MIB
    assert MAX_VIDEO_BYTES == 100 * MIB


@pytest.mark.parametrize("content_type", ["image/jpeg", "image/png", "image/webp"])
def test_image_size_limit_at_the_boundary(content_type):
    head = HEADS[content_type]
    assert check_upload("p", MAX_IMAGE_BYTES, head) == (content_type, None)
    assert check_upload("p", MAX_IMAGE_BYTES + 1, head) == (
        None,
        "This photo is larger than the 10 MB limit.",
    )


@pytest.mark.parametrize("content_type", ["video/mp4", "video/quicktime", "video/webm"])
def test_video_size_limit_at_the_boundary(content_type):
    head = HEADS[content_type]
    assert check_upload("v", MAX_VIDEO_BYTES, head) == (content_type, None)
    assert check_upload("v", MAX_VIDEO_BYTES + 1, head) == (
        None,
        "This video is larger than the 100 MB limit.",
    )


@pytest.mark.parametrize(
    ("content_type", "extension"),
    [
        ("image/jpeg", ".jpg"),
        ("image/png", ".png"),
        ("image/webp", ".webp"),
        ("video/mp4", ".mp4"),
        ("video/quicktime", ".mov"),
        ("video/webm", ".webm"),
    ],
)
def test_stored_name_is_random_with_the_right_extension(content_type, extension):
    names = {safe_stored_name(content_type) for _ in range(50)}
    assert len(names) == 50
    for name in names:
        assert re.fullmatch(r"[0-9a-f]{32}" + re.escape(extension), name)


def test_stored_name_refuses_other_types():
    with pytest.raises(ValueError):
        safe_stored_name("application/pdf")
