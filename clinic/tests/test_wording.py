"""The clinic is in the US: what a person reads is in US spelling.

Scans every template, script and the Python text the app shows (rule reasons, library
instructions, run-stage advice); code comments count too, as they become docstrings and
messages. Identifiers stored in data (``wells_pitting_oedema``) are left as they are.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# British spelling -> the US word a patient or clinician in the clinic expects.
BRITISH = {
    "programme": "program",
    "programmes": "programs",
    "oedema": "edema",
}
WORD = re.compile(r"(?<![\w_])(" + "|".join(BRITISH) + r")(?![\w_])", re.IGNORECASE)


def shown_files():
    for pattern in ("templates/**/*.html", "templates/**/*.txt", "static/js/*.js"):
        yield from ROOT.glob(pattern)
    for app in ("clinic", "intake", "plans"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_the_scan_finds_files_to_read():
    assert len(list(shown_files())) > 100


@pytest.mark.parametrize("text", ["the walk-run programme", "Pitting Oedema"])
def test_the_pattern_catches_british_spellings(text):
    assert WORD.search(text)


def test_the_pattern_leaves_stored_identifiers_alone():
    assert not WORD.search('"wells_pitting_oedema"')


def test_no_british_spelling_where_people_read():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)} -> {BRITISH[match.group(0).lower()]}"
        for path in shown_files()
        if path.name != "test_wording.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in WORD.finditer(line)
    ]
    assert not found, "\n".join(found)
