"""Compile the interface translations (.po -> .mo) with Babel, so no gettext tools are needed.

python -m globaldialogue.lib.compile_translations
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def compile_catalog(po_path: Path) -> None:
    with po_path.open("rb") as source:
        catalog = read_po(source, locale=po_path.parts[-3])
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    if fuzzy:
        raise SystemExit(f"{po_path}: fuzzy entries need review first: {fuzzy[:3]}")
    with po_path.with_suffix(".mo").open("wb") as target:
        write_mo(target, catalog)


def main() -> None:
    paths = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
    for po_path in paths:
        compile_catalog(po_path)
    print(f"Compiled {len(paths)} translation catalogs.", file=sys.stderr)


if __name__ == "__main__":
    main()
