"""Regenerate intake/data/icd10cm.tsv.gz from the CMS tabular list in simple-icd-10-cm.

The app reads the small file at run time instead of importing the library, which parses
~10 MB of XML and holds ~190 MB per process. Run this when a new code year is adopted.
"""

import gzip
import warnings

from django.core.management.base import BaseCommand

from intake import diagnoses


class Command(BaseCommand):
    help = "Write the billable ICD-10-CM codes (code, description, inclusion terms) to a TSV."

    def handle(self, *args, **options):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import simple_icd_10_cm as cm

        rows = diagnoses.library_rows(cm)
        with gzip.open(diagnoses.CODE_LIST, "wt", encoding="utf-8", compresslevel=9) as out:
            for _bare, dotted, description, terms in rows:
                out.write(f"{dotted}\t{_clean(description)}\t{_clean(terms)}\n")
        self.stdout.write(f"{len(rows)} billable codes written to {diagnoses.CODE_LIST}")


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())
