"""The math packages stay plain Python: importable and usable without Django."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "package",
    [
        "globaldialogue.grouping",
        "globaldialogue.opinion",
        "globaldialogue.weighting",
        "globaldialogue.themes",
    ],
)
def test_the_package_imports_no_django(package):
    code = (
        f"import sys, {package}; "
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
        "sys.exit(1 if loaded else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
