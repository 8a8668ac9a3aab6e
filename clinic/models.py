"""What every app shares: the append-only audit trail and the worker heartbeat."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Case, Q, Value, When


class AuditAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    SIGNED = "signed", "Signed"
    ISSUED = "issued", "Issued"
    DOWNLOADED = "downloaded", "Downloaded"
    EXPORTED = "exported", "Exported"
    SENT = "sent", "Sent"
    REVOKED = "revoked", "Revoked"
    DISCARDED = "discarded", "Discarded"  # a draft deleted before it was signed
    DENIED = "denied", "Access denied"
    LOGIN = "login", "Logged in"
    LOGIN_FAILED = "login_failed", "Login failed"
    LOGOUT = "logout", "Logged out"
    ROLE_CHANGED = "role_changed", "Role or account changed"
    SECOND_FACTOR = "second_factor", "Second factor changed"
    LOCKED_OUT = "locked_out", "Locked out"
    UNLOCKED = "unlocked", "Lockout lifted"
    EMERGENCY_ACCESS = "emergency", "Emergency access"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    # Bulk paths bypass Model.save()/delete(); close them too.
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def for_patient(self, patient):
        return self.filter(patient=patient)

    def for_actor(self, user):
        return self.filter(actor=user)

    def sealed(self):
        return self.filter(chain_seq__isnull=False).order_by("chain_seq")

    def unsealed(self):
        return self.filter(chain_hash__isnull=True).order_by("id")

    def _seal(self, links: dict[int, tuple[int, str]]) -> None:
        """The one update the trail allows, for clinic.audit.seal_pending() only: give unsealed
        rows (by id) their (chain_seq, chain_hash). The database trigger checks it too."""
        if not links:
            return
        rows = self.filter(pk__in=links, chain_hash__isnull=True)
        updated = models.QuerySet.update(
            rows,
            chain_seq=Case(*(When(pk=pk, then=Value(seq)) for pk, (seq, _) in links.items())),
            chain_hash=Case(*(When(pk=pk, then=Value(h)) for pk, (_, h) in links.items())),
        )
        if updated != len(links):
            raise AppendOnlyError("Only unsealed audit events can be sealed.")


class AuditEvent(models.Model):
    """One read or change of data, or one login; written only through clinic.audit.audit()."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who acted when there is no user: "patient link", "system", a failed login's username.
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    patient = models.ForeignKey(
        "intake.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    # The hash chain (clinic.audit.seal_pending): NULL until a sealing run, which gives each
    # committed row the next number and sha256(previous hash + this row's content).
    chain_seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    chain_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-at"]),
            models.Index(fields=["actor", "-at"]),
            # Sealing reads the few unsealed rows among millions of sealed ones.
            models.Index(
                fields=["id"], condition=Q(chain_hash__isnull=True), name="clinic_audit_unsealed"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(chain_seq__isnull=True, chain_hash__isnull=True)
                | Q(chain_seq__isnull=False, chain_hash__isnull=False),
                name="clinic_audit_sealed_whole",
            ),
        ]
        permissions = [("export_audit", "Can export the audit trail as CSV")]

    def __str__(self) -> str:
        who = self.actor or self.actor_label or "unknown"
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        if self.chain_seq is not None or self.chain_hash is not None:
            raise AppendOnlyError("Audit events are inserted unsealed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")


class WorkerHeartbeat(models.Model):
    """Last sign of life from each Celery worker, written by a beat-scheduled task."""

    worker = models.CharField(max_length=200, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker} @ {self.beat_at:%H:%M:%S}"


class ClinicSession(AbstractBaseSession):
    """Django's database session, with the signed-in user's id in a column of its own.

    Logout, a password change and deactivation end all of a user's sessions
    (clinic/sessions.py): by this index, instead of decoding every staff and patient session.
    The store that fills it is clinic.session_store (SESSION_ENGINE).
    """

    user_id = models.IntegerField(null=True, blank=True, db_index=True)

    @classmethod
    def get_session_store_class(cls):
        from clinic.session_store import SessionStore

        return SessionStore
