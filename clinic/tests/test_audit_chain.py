"""The audit hash chain: sealing links committed rows; audit_verify finds a changed, deleted or
reordered row; the database allows no update but the seal."""

import io
import threading
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import InternalError

from clinic.audit import CHAIN_FIELDS, audit, chain_hash, chain_verify, seal_pending
from clinic.models import AppendOnlyError, AuditAction, AuditEvent
from clinic.tasks import audit_seal_task

from .factories import PatientFactory


def events(count: int) -> list[AuditEvent]:
    return [audit(None, AuditAction.VIEWED, actor_label=f"task {n}") for n in range(count)]


@contextmanager
def triggers_off():
    """What an attacker with the database's superuser would do: bypass the append-only trigger."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            yield cursor
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


def verify() -> str:
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.fail("the suite runs on PostgreSQL (make test sets DATABASE_URL)")


def test_the_hash_covers_every_column_but_the_chain_itself():
    columns = {f.attname for f in AuditEvent._meta.concrete_fields}
    assert columns - {"chain_seq", "chain_hash"} == set(CHAIN_FIELDS)


@pytest.mark.django_db
def test_sealing_links_committed_rows_in_id_order():
    first, second, third = events(3)
    assert AuditEvent.objects.get(pk=first.pk).chain_hash is None  # inserted unsealed

    assert seal_pending() == 3
    rows = list(AuditEvent.objects.sealed().values(*CHAIN_FIELDS, "chain_seq", "chain_hash"))
    assert [(r["id"], r["chain_seq"]) for r in rows] == [
        (first.pk, 1),
        (second.pk, 2),
        (third.pk, 3),
    ]
    assert rows[0]["chain_hash"] == chain_hash("", 1, rows[0])
    assert rows[2]["chain_hash"] == chain_hash(rows[1]["chain_hash"], 3, rows[2])
    assert seal_pending() == 0


@pytest.mark.django_db
def test_sealing_runs_in_batches_and_continues_the_chain():
    events(5)
    assert seal_pending(batch_size=2) == 5
    events(1)
    audit_seal_task()  # the beat task
    assert list(AuditEvent.objects.sealed().values_list("chain_seq", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    assert chain_verify().intact


@pytest.mark.django_db
def test_audit_verify_passes_on_an_intact_chain():
    events(3)
    output = verify()
    assert "Sealed 3 new audit events." in output
    assert "Checked 3 audit events: the chain is intact." in output
    head = AuditEvent.objects.get(chain_seq=3).chain_hash
    assert f"Chain head: 3:{head}" in output


@pytest.mark.django_db
def test_the_seal_logs_its_head_and_audit_verify_finds_the_newest_rows_deleted(caplog):
    events(3)
    with caplog.at_level("INFO", logger="clinic.audit"):
        seal_pending()
    head = AuditEvent.objects.get(chain_seq=3).chain_hash
    assert f"audit chain head 3:{head}" in caplog.text
    events(1)
    seal_pending()
    out = io.StringIO()
    call_command("audit_verify", "--head", f"3:{head}", stdout=out)  # still in the chain
    assert "the chain is intact" in out.getvalue()

    with triggers_off() as cursor:  # the newest two go: no gap is left behind
        cursor.execute("DELETE FROM clinic_auditevent WHERE chain_seq >= 3")
    assert "the chain is intact" in verify()  # without the anchor nothing shows
    with pytest.raises(CommandError, match="ends at chain_seq 2, before the head recorded"):
        call_command("audit_verify", "--head", f"3:{head}", stdout=io.StringIO())

    events(1)  # a forger re-seals a new row 3
    seal_pending()
    report = chain_verify((3, head))
    assert "is not the head recorded earlier" in report.problem
    for bad in ("three", "²:" + head, "3:abc", f"3:{head}:x"):
        with pytest.raises(CommandError, match="SEQ:HASH"):
            call_command("audit_verify", "--head", bad, stdout=io.StringIO())
    out = io.StringIO()  # the hash as logged, in any case
    with pytest.raises(CommandError, match="not the head recorded earlier"):
        call_command("audit_verify", "--head", f"3:{head.upper()}", stdout=out)


@pytest.mark.django_db
def test_control_characters_never_keep_an_audit_row_out():
    event = audit(None, AuditAction.DENIED, actor_label="x\x00y", detail="code=LEFS\x00 → 404")
    event.refresh_from_db()
    assert "\x00" not in event.detail + event.actor_label
    assert event.detail == "code=LEFS\ufffd → 404"


@pytest.mark.django_db
def test_audit_verify_fails_on_a_changed_row():
    first, second, third = events(3)
    seal_pending()
    with triggers_off() as cursor:
        cursor.execute("UPDATE clinic_auditevent SET detail = 'edited' WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match=f"event #{second.pk} \\(chain_seq 2\\)") as failure:
        verify()
    assert failure.value.returncode == 1
    assert "after 1 intact events" in str(failure.value)


@pytest.mark.django_db
def test_audit_verify_fails_on_a_deleted_row():
    first, second, third = events(3)
    seal_pending()
    with triggers_off() as cursor:
        cursor.execute("DELETE FROM clinic_auditevent WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match=f"chain_seq 2 to 2 missing before event #{third.pk}"):
        verify()
    report = chain_verify()
    assert (report.checked, report.broken_event_id) == (1, third.pk)


@pytest.mark.django_db
def test_audit_verify_fails_on_reordered_rows():
    first, second, third = events(3)
    seal_pending()
    with triggers_off() as cursor:
        for pk, seq in ((second.pk, -2), (third.pk, 2), (second.pk, 3)):
            cursor.execute("UPDATE clinic_auditevent SET chain_seq = %s WHERE id = %s", [seq, pk])
    report = chain_verify()
    assert not report.intact
    assert report.broken_event_id == third.pk
    assert "does not match its hash" in report.problem


@pytest.mark.django_db
def test_a_rolled_back_audit_row_leaves_no_gap_in_the_chain():
    events(1)
    seal_pending()
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = audit(None, AuditAction.CHANGED, actor_label="request that failed")
        raise RuntimeError("the request failed after auditing")
    after = audit(None, AuditAction.VIEWED, actor_label="next request")
    assert after.pk > rolled_back.pk  # the id was used up; the chain number is not
    assert not AuditEvent.objects.filter(pk=rolled_back.pk).exists()
    assert seal_pending() == 1
    assert AuditEvent.objects.get(pk=after.pk).chain_seq == 2
    report = chain_verify()
    assert report.intact and report.checked == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_still_in_an_open_transaction_is_sealed_after_it_commits():
    """Sealing neither waits for open requests nor skips their rows for good."""
    audit(None, AuditAction.VIEWED, actor_label="first")
    inserted, release = threading.Event(), threading.Event()

    def slow_request():
        try:
            with transaction.atomic():
                audit(None, AuditAction.VIEWED, actor_label="slow")
                inserted.set()
                release.wait(20)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_request)
    thread.start()
    try:
        assert inserted.wait(20)
        audit(None, AuditAction.VIEWED, actor_label="later")
        assert seal_pending() == 2  # "first" and "later"; the slow row is not visible yet
    finally:
        release.set()
        thread.join(20)
    assert seal_pending() == 1
    labels = AuditEvent.objects.sealed().values_list("actor_label", flat=True)
    assert list(labels) == ["first", "later", "slow"]
    assert chain_verify().intact


@pytest.mark.django_db
def test_the_database_allows_only_the_seal_as_an_update(clinician):
    event = audit(None, AuditAction.VIEWED, actor=clinician, obj=PatientFactory())
    refused = (
        # Sealing that also rewrites the row.
        "UPDATE clinic_auditevent SET chain_seq = 1, chain_hash = 'x', detail = 'y' WHERE id = %s",
        # Sealing only half.
        "UPDATE clinic_auditevent SET chain_seq = 1 WHERE id = %s",
    )
    for sql in refused:
        with (
            pytest.raises(InternalError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    seal_pending()
    sealed = AuditEvent.objects.get(pk=event.pk)
    assert sealed.chain_hash is not None and sealed.detail == ""
    # A sealed row cannot be sealed again, nor deleted.
    for sql in (
        "UPDATE clinic_auditevent SET chain_hash = 'x' WHERE id = %s",
        "DELETE FROM clinic_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(InternalError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).chain_hash == sealed.chain_hash


@pytest.mark.django_db
def test_rows_cannot_be_inserted_already_sealed():
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.create(action=AuditAction.VIEWED, chain_seq=1, chain_hash="0" * 64)
    with (
        pytest.raises(InternalError, match="inserted unsealed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO clinic_auditevent (at, actor_label, action, object_id, user_agent,"
            " detail, chain_seq, chain_hash) VALUES (now(), '', 'viewed', '', '', '', 1, 'x')"
        )
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_the_app_cannot_update_sealed_or_unsealed_rows_through_the_orm():
    event = events(1)[0]
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(chain_seq=1, chain_hash="x")
    seal_pending()
    with pytest.raises(AppendOnlyError, match="Only unsealed"):
        AuditEvent.objects.all()._seal({event.pk: (1, "x")})
    assert chain_verify().intact
