"""Records that leave the clinic: letters, the patient's copy of their record and its link."""

from django.conf import settings
from django.db import models

from clinic.links import BirthDateLink, PrivateLinkQuerySet
from intake.models import Evaluation, Patient

from .rendering import RenderedFile


class DocumentKind(models.TextChoices):
    PHYSICIAN_LETTER = "physician_letter", "Letter to the referring physician"
    COACH_LETTER = "coach_letter", "Letter to the coach"
    PATIENT_COPY = "patient_copy", "Patient's copy of the record"


LETTER_KINDS = (DocumentKind.PHYSICIAN_LETTER, DocumentKind.COACH_LETTER)


def document_path(instance, filename: str) -> str:
    return f"records/{instance.patient_id}/{filename}"


class RecordDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Letters of the user's care team (clinical roles only), and the patient copies of
        the patients whose record the user may export (a clinic admin: any, audited)."""
        from plans.records import exportable_patients

        letters = models.Q(kind__in=LETTER_KINDS)
        if user.has_perm("intake.view_clinical"):
            letters &= models.Q(patient__in=Patient.objects.visible_to(user))
        else:
            letters = models.Q(pk__in=[])
        copies = models.Q(kind=DocumentKind.PATIENT_COPY, patient__in=exportable_patients(user))
        return self.filter(letters | copies)

    def letters(self):
        return self.filter(kind__in=LETTER_KINDS)

    def copies(self):
        return self.filter(kind=DocumentKind.PATIENT_COPY)


class RecordDocument(RenderedFile):
    """A letter about a signed evaluation, or the patient's own copy of their record (a zip),
    rendered in the background (plans/services/documents.py)."""

    PATIENT_PATH = "patient"

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="record_documents")
    evaluation = models.ForeignKey(
        Evaluation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="record_documents",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The coach letter: the patient's agreement, as staff recorded it.
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    # The patient's copy: downloadable through their link only once staff release it.
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=document_path, blank=True)

    objects = RecordDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "enqueued_at"], name="plans_recdoc_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=DocumentKind.COACH_LETTER)
                | models.Q(consent_recorded_at__isnull=False, consent_recorded_by__isnull=False),
                name="coach_letter_has_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=DocumentKind.PATIENT_COPY)
                | models.Q(evaluation__isnull=False),
                name="letter_has_evaluation",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=DocumentKind.PATIENT_COPY)
                | models.Q(released_at__isnull=True),
                name="only_patient_copies_are_released",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.status})"

    @property
    def is_letter(self) -> bool:
        return self.kind in LETTER_KINDS


class RecordCopyLinkQuerySet(PrivateLinkQuerySet):
    def visible_to(self, user):
        """The links to the copies this user may see (RecordDocument.objects.visible_to)."""
        return self.filter(document__in=RecordDocument.objects.visible_to(user).copies())


class RecordCopyLink(BirthDateLink):
    """The patient's private link to download their released copy of the record."""

    SALT = "plans.RecordCopyLink"
    FIND_RELATED = ("document__patient",)
    SESSION_PREFIX = "record-link"
    ACTOR_LABEL = "patient (record copy link)"
    PATIENT_PATH = "document__patient"
    URL_NAME = "plans:patient_copy"
    MAIL_TEMPLATE = "plans/mail/record_copy_link.txt"
    MAIL_SUBJECT = "Your health record from {clinic}"

    objects = RecordCopyLinkQuerySet.as_manager()

    document = models.ForeignKey(RecordDocument, on_delete=models.PROTECT, related_name="links")

    class Meta(BirthDateLink.Meta):
        pass

    def __str__(self) -> str:
        return f"Record copy link {self.pk} ({self.state})"

    @property
    def patient(self) -> Patient:
        return self.document.patient

    def refusal(self) -> str:
        # Never before release, even through a link made for it.
        return "copy not released" if self.document.released_at is None else ""
