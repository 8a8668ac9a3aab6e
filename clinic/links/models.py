"""Private links for patients: random, signed, expiring, revocable, single-use.

The token is derived, not stored: an HMAC under SECRET_KEY of a random nonce kept on the row,
whose hash is ``token_hash``. A copy of the database alone opens nothing, yet the mail worker
can build the link again after the request committed (clinic/links/mail.py), so no token ever
travels through the broker. Every link kind is a model inheriting :class:`PrivateLink` (or
:class:`BirthDateLink`); its views open it with ``@patient_link(Model, ...)``
(clinic/access.py, clinic/links/opener.py).
"""

import base64
import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

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


class MailStatus(models.TextChoices):
    """Where the link's e-mail is: it is sent by a worker after the request commits."""

    NONE = "", "Not e-mailed"
    QUEUED = "queued", "E-mail queued"
    SENDING = "sending", "E-mail being sent"
    SENT = "sent", "E-mailed"
    FAILED = "failed", "E-mail failed"
    SKIPPED = "skipped", "Not e-mailed: the link stopped first"


class PrivateLink(models.Model):
    SALT = "intake.PrivateLink"
    FIND_RELATED: tuple[str, ...] = ()  # what find() loads with the link
    ACTOR_LABEL = "patient link"  # who acted, in the audit trail
    AUDIT_REFUSALS = True  # a refused opening (expired, revoked, ...) is an audit row
    # A kind that is e-mailed to the patient names its page, mail text and subject; the
    # subject never names the patient or the reason for the visit ({clinic} is filled in).
    URL_NAME = ""
    MAIL_TEMPLATE = ""
    MAIL_SUBJECT = ""

    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # Empty on links made before tokens were derived; those open by their hash as before.
    nonce = models.CharField(max_length=43, blank=True, default="")
    mail_status = models.CharField(
        max_length=7, choices=MailStatus.choices, blank=True, default=MailStatus.NONE
    )
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
    def _raw(cls, nonce: str) -> str:
        digest = salted_hmac(f"{cls.SALT}.raw", nonce, algorithm="sha256").digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    @classmethod
    def new_nonce(cls) -> tuple[str, str]:
        """(nonce to store, hash of the token it derives). The token itself is never stored."""
        nonce = secrets.token_urlsafe(32)
        return nonce, cls.hash_token(cls._raw(nonce))

    @classmethod
    def issue(cls, **fields):
        """(new link, its signed URL token): the one way a link is made."""
        nonce, token_hash = cls.new_nonce()
        link = cls.objects.create(nonce=nonce, token_hash=token_hash, **fields)
        return link, link.token()

    def token(self) -> str | None:
        """The signed URL token, derived again; None when SECRET_KEY changed since (or for a
        link made before nonces), as its hash would no longer match."""
        if not self.nonce:
            return None
        raw = self._raw(self.nonce)
        if self.hash_token(raw) != self.token_hash:
            return None
        return signing.Signer(salt=self.SALT).sign(raw)

    def url(self, base_url: str) -> str | None:
        """The link's absolute address on ``base_url`` (scheme and host), or None."""
        token = self.token()
        if token is None:
            return None
        return base_url.rstrip("/") + reverse(self.URL_NAME, args=[token])

    @property
    def sent_by_mail(self) -> bool:
        return self.mail_status == MailStatus.SENT

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

    MAX_BIRTH_DATE_TRIES = 5  # then the link locks (the issue's rule; audited)
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
