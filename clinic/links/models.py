"""Private links for patients: random, signed, expiring, revocable, single-use.

Only a hash of the random value is stored, so a copy of the database opens nothing. Every
link kind is a model inheriting :class:`PrivateLink` (or :class:`BirthDateLink`); its views
open it with ``@patient_link(Model, ...)`` (clinic/access.py, clinic/links/opener.py).
"""

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils import timezone

from clinic.audit import audit
from clinic.models import AuditAction
from clinic.visibility import PatientOwnedQuerySet


class PrivateLinkQuerySet(PatientOwnedQuerySet):
    def active(self):
        return self.filter(
            revoked_at__isnull=True, used_at__isnull=True, expires_at__gt=timezone.now()
        )

    def revoke(self) -> int:
        """Stop every link here that is not revoked yet (not audited: the caller's change is)."""
        return self.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


class PrivateLink(models.Model):
    SALT = "intake.PrivateLink"
    FIND_RELATED: tuple[str, ...] = ()  # what find() loads with the link
    ACTOR_LABEL = "patient link"  # who acted, in the audit trail
    AUDIT_REFUSALS = True  # a refused opening (expired, revoked, ...) is an audit row

    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_by_mail = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = PrivateLinkQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @staticmethod
    def hash_token(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        """(signed token for the URL, hash to store). The raw value is never stored."""
        raw = secrets.token_urlsafe(32)
        return signing.Signer(salt=cls.SALT).sign(raw), cls.hash_token(raw)

    @classmethod
    def find(cls, signed_token: str):
        """The link for a URL token, or None when the signature does not hold."""
        try:
            raw = signing.Signer(salt=cls.SALT).unsign(signed_token)
        except signing.BadSignature:
            return None
        links = cls.objects.select_related(*cls.FIND_RELATED)
        return links.filter(token_hash=cls.hash_token(raw)).first()

    def revoke(self, *, actor=None) -> bool:
        """Stop the link at once; True when this call did. Revoking twice changes nothing.
        With ``actor`` (the request, or an Actor) the revocation is audited."""
        now = timezone.now()
        if (
            not type(self)
            .objects.filter(pk=self.pk, revoked_at__isnull=True)
            .update(revoked_at=now)
        ):
            return False
        self.revoked_at = now
        if actor is not None:
            audit(actor, AuditAction.REVOKED, obj=self, patient=getattr(self, "patient", None))
        return True

    def refusal(self) -> str:
        """Why an active link still does not open (audited, shown as revoked), or "" when it
        does; a kind whose record can be withdrawn says so here."""
        return ""

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.used_at:
            return "used"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"


class BirthDateLink(PrivateLink):
    """A patient's private link that opens only after their date of birth is confirmed
    (clinic/links/birth_date.py); it locks after MAX_BIRTH_DATE_TRIES wrong dates."""

    MAX_BIRTH_DATE_TRIES = 5  # then the link locks (the rule; audited)
    SESSION_PREFIX = "link"  # session key "<prefix>-ok-<id>"; lockout username "<prefix>-<id>"
    ACTOR_LABEL = "patient"  # who acted, in the audit trail

    failed_checks = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)

    class Meta(PrivateLink.Meta):
        abstract = True

    @property
    def state(self) -> str:
        if self.locked_at:
            return "locked"
        return super().state

    @property
    def patient(self):
        raise NotImplementedError
