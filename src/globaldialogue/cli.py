"""The `globaldialogue` command: Django's management commands with dashed names.

globaldialogue serve | demo | migrate | worker | createsuperuser
globaldialogue import-xlsform | import-responses | export-responses
globaldialogue import-polis | export-polis
globaldialogue report --consultation SLUG --format pdf --output FILE [--language CODE]
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "globaldialogue.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # The embedded database and generated files live here; make it on first use.
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    execute_from_command_line(["globaldialogue", *args])


if __name__ == "__main__":
    main()
