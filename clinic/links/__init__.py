"""Private links for patients and prospects: the abstract models every link kind inherits."""

from .models import BirthDateLink, MailStatus, PrivateLink, PrivateLinkQuerySet

__all__ = ["BirthDateLink", "MailStatus", "PrivateLink", "PrivateLinkQuerySet"]
