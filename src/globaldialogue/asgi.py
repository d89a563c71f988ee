"""ASGI entry point: Django, with group commit in front of survey intake."""

import os
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "globaldialogue.settings")

from django.core.asgi import get_asgi_application

django_application = get_asgi_application()

from globaldialogue.surveys.fastpath import with_group_commit  # noqa: E402

# WhiteNoise hands Django a sync file iterator; for our small static files that is fine, and
# Django would otherwise warn on every one served under ASGI.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous")

application = with_group_commit(django_application)
