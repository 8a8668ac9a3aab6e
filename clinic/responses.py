"""Private downloads: stored files streamed under a name the server chose, never cached."""

from django.http import FileResponse

NO_STORE = "private, no-store"


def private_file_response(
    handle, filename: str, content_type: str, *, inline: bool = False, max_age: int | None = None
) -> FileResponse:
    """A private file under a name the server chose (never the patient's name).

    Patient files are never stored by a browser or a proxy (no-store); a caller whose file
    carries no patient data (an exercise photo) may let the browser keep it for max_age
    seconds. nosniff stops a browser from running an upload it guesses to be HTML or script.
    """
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = NO_STORE if max_age is None else f"private, max-age={max_age}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
