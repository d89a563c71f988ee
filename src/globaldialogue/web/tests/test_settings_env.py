"""Settings come from the environment and refuse bad values with a clear message."""

import io
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from globaldialogue.lib import env


@pytest.fixture
def environ(monkeypatch):
    return monkeypatch


def test_booleans(environ):
    environ.setenv("X", "yes")
    assert env.env_bool("X") is True
    environ.setenv("X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X must be true or false, not 'maybe'"):
        env.env_bool("X")


def test_numbers_and_rates(environ):
    environ.setenv("N", "12x")
    with pytest.raises(ImproperlyConfigured, match="N must be a whole number"):
        env.env_int("N", 1)
    environ.setenv("R", "120/60")
    assert env.env_rate("R", "1/1") == (120, 60)
    environ.setenv("R", "120 per minute")
    with pytest.raises(ImproperlyConfigured, match="R must look like COUNT/SECONDS"):
        env.env_rate("R", "1/1")


def test_secret_from_a_file(environ, tmp_path):
    secret_file = tmp_path / "key"
    secret_file.write_text("from-a-file\n")
    environ.delenv("S", raising=False)
    environ.setenv("S_FILE", str(secret_file))
    assert env.env_secret("S", fallback_file=None) == "from-a-file"


def test_no_default_secret_outside_debug(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "GLOBALDIALOGUE_DEBUG")}
    clean["GLOBALDIALOGUE_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "globaldialogue", "check"], env=clean, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert result.stderr.startswith("globaldialogue: Set SECRET_KEY (or SECRET_KEY_FILE)")
    assert len(result.stderr.splitlines()) == 1  # one line, no traceback


def test_commands_after_the_demo_read_its_settings_file(db, settings, tmp_path):
    """`make demo` runs in debug; the README's commands, typed as they are, find the demo's
    settings in its data folder."""
    settings.DATA_DIR, settings.DEBUG = tmp_path, True
    call_command("demo", no_sample=True, stdout=io.StringIO())
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "GLOBALDIALOGUE_DEBUG")}
    clean["GLOBALDIALOGUE_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "globaldialogue", "check"], env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    (tmp_path / "settings.env").write_text("GLOBALDIALOGUE_DEBUG=1\nnot a setting\n")
    result = subprocess.run(
        [sys.executable, "-m", "globaldialogue", "check"], env=clean, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.startswith("globaldialogue: ") and "settings.env:2" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_environment_wins_over_the_settings_file(tmp_path):
    (tmp_path / "settings.env").write_text("# a comment\n\nGLOBALDIALOGUE_DEBUG = 1\n")
    assert env.read_settings_file(tmp_path / "settings.env") == {"GLOBALDIALOGUE_DEBUG": "1"}
    assert env.read_settings_file(tmp_path / "missing.env") == {}
    clean = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    clean.update(GLOBALDIALOGUE_DEBUG="0", GLOBALDIALOGUE_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "globaldialogue", "check"], env=clean, capture_output=True, text=True
    )
    assert result.returncode == 1 and "Set SECRET_KEY" in result.stderr


def test_debug_generates_and_keeps_a_secret(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    clean.update(GLOBALDIALOGUE_DEBUG="1", GLOBALDIALOGUE_DATA_DIR=str(tmp_path))
    for _ in range(2):
        subprocess.run(
            [sys.executable, "-m", "globaldialogue", "check"],
            env=clean,
            check=True,
            capture_output=True,
        )
    assert len((tmp_path / "secret_key").read_text()) > 40
