"""Files made in the background, and the PDF of each plan version."""

from django.db import models

from clinic.visibility import PatientOwnedQuerySet

from .plans import PlanVersion


class RenderStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class RenderedFile(models.Model):
    """A file made in the background (plans/services/rendering.py): the row is the truth, the Celery
    message only a doorbell. Subclasses add ``file`` with their own storage path."""

    status = models.CharField(
        max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    checksum = models.CharField(max_length=64, blank=True)  # SHA-256 of the stored file
    enqueued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


def pdf_path(instance, filename: str) -> str:
    return f"plans/{instance.version.plan_id}/{filename}"


class RenderJob(RenderedFile):
    """The PDF of one plan version."""

    PATIENT_PATH = "version__plan__patient"

    version = models.OneToOneField(PlanVersion, on_delete=models.PROTECT, related_name="render")
    content_hash = models.CharField(max_length=64)  # of the snapshot that was rendered
    file = models.FileField(upload_to=pdf_path, blank=True)

    objects = PatientOwnedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["status", "enqueued_at"])]

    def __str__(self) -> str:
        return f"PDF of {self.version} ({self.status})"
