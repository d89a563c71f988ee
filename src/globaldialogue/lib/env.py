"""Typed readers for environment variables that refuse bad values with a clear message.

Settings come from the environment only. Each helper names the variable in its error so an
operator sees at start-up what to fix, instead of a stack trace from deep inside Django.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DATA_DIR_VARIABLE = "GLOBALDIALOGUE_DATA_DIR"
SETTINGS_FILE = "settings.env"  # in the data folder; see read_settings_file

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate limit written as COUNT/SECONDS, e.g. "120/60"; "0/1" disables it."""
    raw = os.environ.get(name, default)
    count, _, seconds = raw.partition("/")
    try:
        limit = (int(count), int(seconds))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must look like COUNT/SECONDS, not {raw!r}") from None
    if limit[0] < 0 or limit[1] <= 0:
        raise ImproperlyConfigured(f"{name} needs COUNT >= 0 and SECONDS > 0, not {raw!r}")
    return limit


def env_secret(name: str, *, fallback_file: Path | None) -> str:
    """Read NAME, else the file named by NAME_FILE, else (debug only) a generated file."""
    if value := os.environ.get(name, "").strip():
        return value
    if path := os.environ.get(f"{name}_FILE", "").strip():
        return Path(path).read_text().strip()
    if fallback_file is None:
        raise ImproperlyConfigured(
            f"Set {name} (or {name}_FILE) to a long random string; "
            "a default secret is only used when GLOBALDIALOGUE_DEBUG is on."
        )
    return _read_or_create_secret(fallback_file)


def _read_or_create_secret(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    import secrets

    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    # O_EXCL so two processes starting at once cannot write two different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def read_settings_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines (blank lines and # comments skipped), or nothing if there is no file.
    The command line reads the data folder's file for what the environment leaves unset."""
    if not path.is_file():
        return {}
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        if not equals or not name.strip().isidentifier():
            raise ImproperlyConfigured(f"{path}:{number}: expected NAME=VALUE, not {line!r}")
        found[name.strip()] = value.strip()
    return found
