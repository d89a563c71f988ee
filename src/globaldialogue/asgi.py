"""ASGI entry point: Django, with group commit in front of survey intake."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "globaldialogue.settings")

from django.core.asgi import get_asgi_application

django_application = get_asgi_application()

from globaldialogue.surveys.fastpath import with_group_commit  # noqa: E402

application = with_group_commit(django_application)
