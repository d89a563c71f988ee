"""The `globaldialogue` command: Django's management commands with dashed names.

globaldialogue serve | demo | migrate | worker | createsuperuser
globaldialogue import-xlsform | import-responses | export-responses
globaldialogue import-polis | export-polis
globaldialogue report --consultation SLUG --format pdf --output FILE [--language CODE]
globaldialogue audit-log [--consultation SLUG] [--since ISO-DATE] [--format jsonl|csv]
globaldialogue grant-role USER ROLE (--organization SLUG | --consultation SLUG) [--revoke]

Settings come from the environment. A data folder may also hold `settings.env` (KEY=VALUE
lines, read for variables the environment does not set): `globaldialogue demo` writes one
there, so every command run after `make demo` sees the demo's settings.
"""

import getpass
import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from globaldialogue.audit.context import TASK, Actor, set_actor
from globaldialogue.lib.env import DATA_DIR_VARIABLE, SETTINGS_FILE, read_settings_file
from globaldialogue.lib.metricsdir import prepare_directory


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "globaldialogue.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    _name_the_actor(args[0] if args else "")
    try:
        _configure(args[0] if args else "")
    except ImproperlyConfigured as problem:  # one line for the operator, not a traceback
        sys.exit(f'globaldialogue: {problem} (README.md, "Running it for real")')
    from django.core.management import execute_from_command_line

    execute_from_command_line(["globaldialogue", *args])


def _name_the_actor(command: str) -> None:
    """Who the audit trail names for what this process does (a server names each request's
    own actor instead; a worker runs background tasks)."""
    if command == "worker":
        set_actor(TASK)
    elif command != "serve":
        user = getpass.getuser()
        set_actor(Actor("command", user, f"globaldialogue {command.replace('_', '-')} ({user})"))


def _configure(command: str) -> None:
    data_dir = Path(os.environ.get(DATA_DIR_VARIABLE) or "var")
    for name, value in read_settings_file(data_dir / SETTINGS_FILE).items():
        os.environ.setdefault(name, value)
    from django.conf import settings

    # The embedded database and generated files live here; make it on first use.
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    if command in ("serve", "worker"):  # before any metric exists in this process
        prepare_directory(settings.DATA_DIR)


if __name__ == "__main__":
    main()
