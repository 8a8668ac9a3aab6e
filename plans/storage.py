"""Reading stored files safely: the file must still match the checksum taken when it was made."""

import hashlib
import io
import logging

from .models import RenderStatus

logger = logging.getLogger(__name__)


def verified_file(job):
    """An open file of a rendered job (plans.models.RenderedFile), or None when missing,
    not ready or altered."""
    if job is None or job.status != RenderStatus.READY or not job.file.name:
        return None
    try:
        with job.file.storage.open(job.file.name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        logger.error("%s %s: stored file is missing", type(job).__name__, job.pk)
        return None
    if hashlib.sha256(data).hexdigest() != job.checksum:
        logger.error("%s %s: stored file does not match its checksum", type(job).__name__, job.pk)
        return None
    return io.BytesIO(data)


verified_pdf = verified_file  # the plan PDFs' name for it
