"""Production mode refuses to start with missing or weak settings, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "-this-is-a-long-random-enough-production-key-0123456789"


def run_check(tmp_path, **overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update({"DJANGO_DEBUG": "false", "CLINIC_VAR_DIR": str(tmp_path)}, **overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": STRONG_KEY}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "clinic.example"}, "SECRET_KEY"),
        ({"SECRET_KEY": "   ", "ALLOWED_HOSTS": "clinic.example"}, "SECRET_KEY"),
    ],
)
def test_production_mode_refuses_to_start_naming_the_missing_variable(tmp_path, overrides, named):
    result = run_check(tmp_path, **overrides)
    assert result.returncode != 0
    assert named in result.stderr
    assert "Traceback" not in result.stderr.splitlines()[-1]


def test_production_mode_passes_the_deploy_check_with_real_settings(tmp_path):
    result = run_check(tmp_path, SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="clinic.example")
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_secret_is_generated_under_var_and_reused(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_DEBUG="true", CLINIC_VAR_DIR=str(tmp_path))
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env["DJANGO_SETTINGS_MODULE"] = "clinic.settings"
    cmd = [sys.executable, "-c", "import django; django.setup(); " + code]
    first = subprocess.run(cmd, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True)
    second = subprocess.run(cmd, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True)
    secret_file = tmp_path / "dev-secret-key"
    assert secret_file.read_text().strip() == first.stdout.strip() == second.stdout.strip()
    assert len(first.stdout.strip()) >= 50
