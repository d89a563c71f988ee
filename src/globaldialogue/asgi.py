"""ASGI entry point: HTTP through Django (WebSocket routes join here with Channels)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "globaldialogue.settings")

from django.core.asgi import get_asgi_application

application = get_asgi_application()
