"""The clinic's own exercise photos, streamed to staff and to a plan link's holder."""

import mimetypes

from django.http import FileResponse, Http404

from clinic.responses import private_file_response

# A library photo carries no patient data, so a browser may keep it for an hour.
PHOTO_MAX_AGE = 3600


def photo_response(exercise) -> FileResponse:
    """Stream an exercise photo; the stored name was chosen by the server on upload."""
    try:
        handle = exercise.photo.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = mimetypes.guess_type(exercise.photo.name)[0] or "application/octet-stream"
    filename = exercise.photo.name.rsplit("/", 1)[-1]
    return private_file_response(handle, filename, content_type, inline=True, max_age=PHOTO_MAX_AGE)
