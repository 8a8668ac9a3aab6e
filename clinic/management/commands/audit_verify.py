"""Seal pending audit rows, then check the whole hash chain; exit status 1 when it is broken."""

import re

from django.core.management.base import BaseCommand, CommandError

from clinic.audit import chain_verify, seal_pending

HEAD = re.compile(r"(?P<seq>[0-9]+):(?P<hash>[0-9a-fA-F]{64})", re.ASCII)


class Command(BaseCommand):
    help = (
        "Seal audit events not yet in the hash chain, then walk the chain and report the "
        "first changed, deleted or reordered event."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--head",
            metavar="SEQ:HASH",
            help="a chain head recorded earlier (the seal logs 'audit chain head SEQ:HASH'): "
            "the chain must still contain it",
        )

    def handle(self, *args, **options):
        head = None
        if options["head"]:
            match = HEAD.fullmatch(options["head"].strip())
            if not match:
                raise CommandError("--head takes SEQ:HASH, as in the seal's log line.")
            head = (int(match["seq"]), match["hash"].lower())
        sealed = seal_pending()
        report = chain_verify(head)
        self.stdout.write(f"Sealed {sealed} new audit events.")
        if not report.intact:
            raise CommandError(
                f"Audit chain BROKEN after {report.checked} intact events: {report.problem}."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Checked {report.checked} audit events: the chain is intact.")
        )
        # Deleting the newest rows leaves no gap: pass a head from the log with --head.
        self.stdout.write(f"Chain head: {report.head_seq}:{report.head_hash or '-'}")
        if report.unsealed:
            self.stdout.write(f"{report.unsealed} events committed meanwhile wait for sealing.")
