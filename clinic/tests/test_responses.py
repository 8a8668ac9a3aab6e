"""The private file response every download goes through: never cached, never sniffed."""

import io

from clinic.responses import private_file_response


def test_a_private_file_is_an_uncached_attachment_under_the_given_name():
    response = private_file_response(io.BytesIO(b"%PDF"), "plan-v2.pdf", "application/pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plan-v2.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF"


def test_an_inline_file_may_be_kept_for_max_age_seconds():
    response = private_file_response(
        io.BytesIO(b"jpg"), "squat.jpg", "image/jpeg", inline=True, max_age=3600
    )
    assert response["Content-Disposition"] == 'inline; filename="squat.jpg"'
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["X-Content-Type-Options"] == "nosniff"
