"""System tools the suite uses (installed by `make system`, listed in .ci/system).

A missing tool fails the test that needs it with one line naming the tool and the command that
installs it; it never skips: a test that skips did not run.
"""

import shutil
import subprocess

import pytest

INSTALL = {
    "chromium": "chromium",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
}


def missing_tool_message(tool: str) -> str:
    package = INSTALL.get(tool, tool)
    return f"{tool} is not installed: run `make system` (or `sudo apt-get install -y {package}`)"


def require_tool(tool: str, path: str | None = None) -> str:
    """The tool's path, or fail the test with the install command."""
    found = shutil.which(path or tool)
    if not found:
        pytest.fail(missing_tool_message(tool), pytrace=False)
    return found


def pdf_text(data: bytes, *, layout: bool = True) -> str:
    """The PDF's text as pdftotext reads it, white space collapsed to single spaces."""
    command = [require_tool("pdftotext"), *(["-layout"] if layout else []), "-", "-"]
    result = subprocess.run(command, input=data, capture_output=True, check=True, timeout=60)
    return " ".join(result.stdout.decode().split())
