"""Survey first view: bytes a participant downloads before they can answer, per language.

The page inlines its CSS and needs no script or web font, so the first view is one HTML
response. Measured compressed (gzip, as served) and raw, against the 30 KB budget.

    .venv/bin/python bench/firstview.py
"""

import gzip
import os
import tempfile

from common import machine, save

LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]
BUDGET = 30 * 1024


def main() -> None:
    data = tempfile.mkdtemp(prefix="gd-firstview-")
    os.environ.update(
        GLOBALDIALOGUE_DATA_DIR=data,
        SECRET_KEY="bench-secret",
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="globaldialogue.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("demo", no_sample=True, verbosity=0)
    client = Client()
    pages = {}
    for language in LANGUAGES:
        response = client.get(f"/s/un75/?lang={language}", HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip"
        sent = len(response.content)
        pages[language] = {
            "compressed_bytes": sent,
            "raw_bytes": len(gzip.decompress(response.content)),
            "requests": 1,
            "budget_ratio": round(BUDGET / sent, 1),
        }
    save("firstview", {"machine": machine(), "budget_bytes": BUDGET, "pages": pages})


if __name__ == "__main__":
    main()
