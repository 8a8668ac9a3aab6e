"""The one way to write the audit trail: ``audit(request, action, obj=..., patient=...)``.

Rows go in unsealed. ``seal_pending()`` (a beat task, and ``manage.py audit_verify``) later
links committed rows into a hash chain; ``chain_verify()`` walks it.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import HttpRequest

from .actors import Actor, client_ip, printable
from .models import AuditAction, AuditEvent

logger = logging.getLogger(__name__)

# Every column except the chain's own goes into a row's hash; a test fails when the model
# gains a column not listed here. Rows sealed earlier must still hash the same, so a new
# column needs a rule such as "left out of the serialisation while empty".
CHAIN_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "content_type_id",
    "object_id",
    "patient_id",
    "ip_address",
    "user_agent",
    "detail",
)
SEAL_BATCH = 1000
# Any constant shared by every sealer: pg_advisory_xact_lock() makes sealing runs take turns.
# Writers of audit rows never take it, so requests never wait for sealing.
SEAL_LOCK_KEY = 8_2011_0008

_acting_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def audit(
    request: HttpRequest | Actor | None,
    action: AuditAction | str,
    *,
    obj: models.Model | None = None,
    patient: models.Model | None = None,
    actor=None,
    actor_label: str = "",
    detail: str = "",
) -> AuditEvent:
    """Record who did what to which object (and whose record it was), from where.

    ``request`` is the request, or the :class:`~clinic.actors.Actor` a service was given; it
    may be None for work done by Celery tasks (pass ``actor_label`` then).
    ``detail`` must never hold patient data: it is for codes and short reasons.
    """
    if isinstance(request, Actor):
        return AuditEvent.objects.create(
            actor=actor or request.user,
            actor_label=printable(actor_label or request.label)[:150],
            action=action,
            content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
            object_id=str(obj.pk) if obj is not None else "",
            patient=_patient_of(obj) if patient is None else patient,
            ip_address=request.ip_address,
            user_agent=request.user_agent,
            detail=printable(detail)[:255],
        )
    if request is not None and action == AuditAction.DENIED:
        request.clinic_denial_audited = True  # the middleware need not write a second one
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if patient is None:
        patient = _patient_of(obj)
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=printable(actor_label)[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        patient=patient,
        ip_address=client_ip(request),
        user_agent=printable(request.headers.get("user-agent", "") if request else "")[:255],
        detail=printable(detail)[:255],
    )


def _patient_of(obj: models.Model | None):
    if obj is None:
        return None
    return obj if obj._meta.label == "intake.Patient" else getattr(obj, "patient", None)


@contextlib.contextmanager
def acting_request(request: HttpRequest) -> Iterator[None]:
    """Attribute audit events that signal handlers write inside the block to ``request``."""
    token = _acting_request.set(request)
    try:
        yield
    finally:
        _acting_request.reset(token)


def current_request() -> HttpRequest | None:
    """The request set by ``acting_request``, or None (a shell, a migration, a task)."""
    return _acting_request.get()


def _canonical(seq: int, row: dict) -> str:
    """One row as deterministic text: its columns and its place in the chain."""
    values = {}
    for name in CHAIN_FIELDS:
        value = row[name]
        if isinstance(value, datetime.datetime):
            value = value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        values[name] = None if value is None else str(value)
    values["chain_seq"] = str(seq)
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(previous: str, seq: int, row: dict) -> str:
    """sha256 of the previous link's hash and this row ("" before the first row)."""
    return hashlib.sha256((previous + _canonical(seq, row)).encode()).hexdigest()


def seal_pending(*, batch_size: int = SEAL_BATCH) -> int:
    """Link committed, unsealed audit rows into the hash chain in id order; return how many.

    A row still inside an open transaction is invisible here and is sealed by a later run,
    and a rolled-back row never exists, so neither leaves a gap in chain_seq.
    """
    total = 0
    while True:
        with transaction.atomic():
            sealed, head = _seal_batch(batch_size)
        total += sealed
        if sealed:
            # The anchor outside the database: deleting the newest rows leaves no gap in the
            # chain, but the log (kept apart from PostgreSQL) still names a head it lacks;
            # `manage.py audit_verify --head SEQ:HASH` checks the chain against it.
            logger.info("audit chain head %s:%s", *head)
        if sealed < batch_size:
            return total


def _seal_batch(limit: int) -> tuple[int, tuple[int, str]]:
    connection = transaction.get_connection()
    # On SQLite (development) there is no lock: two overlapping runs collide on the unique
    # chain_seq, one rolls back, and the next run seals its rows.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
    # Read after taking the lock: under READ COMMITTED this sees the previous run's seals.
    head = AuditEvent.objects.sealed().values_list("chain_seq", "chain_hash").last()
    seq, previous = head or (0, "")
    links = {}
    for row in AuditEvent.objects.unsealed().values(*CHAIN_FIELDS)[:limit]:
        seq += 1
        previous = chain_hash(previous, seq, row)
        links[row["id"]] = (seq, previous)
    AuditEvent.objects.all()._seal(links)
    return len(links), (seq, previous)


@dataclass
class ChainReport:
    checked: int = 0
    head_seq: int = 0
    head_hash: str = ""
    unsealed: int = 0
    broken_event_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return not self.problem


def chain_verify(head: tuple[int, str] | None = None) -> ChainReport:
    """Walk the sealed rows in chain order and stop at the first that does not link.

    ``head`` is a (seq, hash) recorded earlier (the seal logs one): the chain must still hold
    that row with that hash, else its newest rows were deleted and the chain rebuilt or cut.
    """
    report = ChainReport()
    previous = ""
    rows = AuditEvent.objects.sealed().values(*CHAIN_FIELDS, "chain_seq", "chain_hash")
    for row in rows.iterator(chunk_size=2000):
        expected_seq = report.head_seq + 1
        if row["chain_seq"] > expected_seq:
            report.problem = (
                f"chain_seq {expected_seq} to {row['chain_seq'] - 1} missing before event "
                f"#{row['id']}: rows were deleted"
            )
        elif row["chain_seq"] < expected_seq:
            report.problem = f"event #{row['id']} has chain_seq {row['chain_seq']}: renumbered"
        elif row["chain_hash"] != chain_hash(previous, expected_seq, row):
            report.problem = (
                f"event #{row['id']} (chain_seq {expected_seq}) does not match its hash: "
                "it was changed, or moved from another place in the chain"
            )
        elif head and expected_seq == head[0] and row["chain_hash"] != head[1]:
            report.problem = (
                f"event #{row['id']} (chain_seq {expected_seq}) is not the head recorded "
                "earlier: the chain was rebuilt from there"
            )
        if report.problem:
            report.broken_event_id = row["id"]
            break
        report.checked += 1
        report.head_seq, report.head_hash = expected_seq, row["chain_hash"]
        previous = row["chain_hash"]
    if head and report.intact and report.head_seq < head[0]:
        report.problem = (
            f"the chain ends at chain_seq {report.head_seq}, before the head recorded earlier "
            f"({head[0]}): the newest rows were deleted"
        )
    report.unsealed = AuditEvent.objects.unsealed().count()
    return report
