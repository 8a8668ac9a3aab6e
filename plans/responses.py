"""Private downloads: stored files streamed under a name the server chose, never cached."""

import mimetypes

from django.http import FileResponse, Http404


def file_response(handle, filename: str, content_type: str) -> FileResponse:
    """A private download under a name the server chose (never the patient's name)."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_response(handle, filename: str) -> FileResponse:
    return file_response(handle, filename, "application/pdf")


def photo_response(exercise) -> FileResponse:
    """Stream an exercise photo; the stored name was chosen by the server on upload."""
    try:
        handle = exercise.photo.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = mimetypes.guess_type(exercise.photo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
