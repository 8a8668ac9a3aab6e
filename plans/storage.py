"""Reading stored PDFs safely: the file must still match the checksum taken when it was made."""

import hashlib
import io
import logging

from .models import RenderStatus

logger = logging.getLogger(__name__)


def verified_pdf(job):
    """An open file of the job's PDF, or None when missing, not ready or altered."""
    if job is None or job.status != RenderStatus.READY or not job.file.name:
        return None
    try:
        with job.file.storage.open(job.file.name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        logger.error("Render job %s: stored PDF is missing", job.pk)
        return None
    if hashlib.sha256(data).hexdigest() != job.checksum:
        logger.error("Render job %s: stored PDF does not match its checksum", job.pk)
        return None
    return io.BytesIO(data)
