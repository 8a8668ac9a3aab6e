"""The suite prepares and checks its own machine: one list of system packages (.ci/system),
tools that fail instead of skipping, and a browser suite that must really run."""

import re
from pathlib import Path

import pytest

from clinic.tests import tools
from conftest import browser_suite_problems, flushes_content_types

ROOT = Path(__file__).resolve().parents[2]


def test_every_tool_the_tests_need_is_installed_by_make_system():
    script = (ROOT / ".ci" / "system").read_text()
    packages = set(re.findall(r'^\s*"[^":]+:([\w.+-]+)"', script, flags=re.M))
    assert set(tools.INSTALL.values()) <= packages, set(tools.INSTALL.values()) - packages


def test_ci_and_make_test_share_the_package_list_instead_of_copying_it():
    ci = (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "make system" in ci and "apt-get" not in ci
    assert re.search(r"^test: system\b", makefile, flags=re.M)
    assert re.search(r"^e2e: system\b", makefile, flags=re.M)


def test_a_missing_tool_fails_the_test_with_its_install_command(monkeypatch):
    monkeypatch.setattr(tools.shutil, "which", lambda _name: None)
    with pytest.raises(pytest.fail.Exception) as failure:
        tools.require_tool("pdftotext")
    assert str(failure.value) == (
        "pdftotext is not installed: run `make system` (or `sudo apt-get install -y poppler-utils`)"
    )


def test_a_browser_suite_that_did_not_run_fails_the_session():
    assert browser_suite_problems(collected=37, ran=0, skipped=[]) == [
        "37 browser tests (e2e/) were collected and none ran."
    ]
    assert browser_suite_problems(collected=37, ran=36, skipped=["e2e/test_a.py::test_b"]) == [
        "1 browser tests skipped: e2e/test_a.py::test_b"
    ]
    assert browser_suite_problems(collected=37, ran=37, skipped=[]) == []
    assert browser_suite_problems(collected=0, ran=0, skipped=[]) == []  # e2e not selected


class _Item:
    def __init__(self, marked=True, **kwargs):
        self.marker = pytest.mark.django_db(**kwargs).mark if marked else None

    def get_closest_marker(self, name):
        return self.marker


def test_a_transactional_test_without_serialized_rollback_is_refused():
    assert flushes_content_types(_Item(transaction=True))
    assert not flushes_content_types(_Item(transaction=True, serialized_rollback=True))
    assert not flushes_content_types(_Item())
    assert not flushes_content_types(_Item(marked=False))
