"""ASGI entry point: Django over HTTP (with group commit in front of survey intake and
partner votes) and Channels for the WebSockets that keep conversation pages live."""

import os
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "globaldialogue.settings")

from django.core.asgi import get_asgi_application

django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from globaldialogue.deliberation import fastpath as vote_fastpath  # noqa: E402
from globaldialogue.lib.groupcommit import with_group_commit  # noqa: E402
from globaldialogue.lib.requestlog import with_request_log  # noqa: E402
from globaldialogue.routing import websocket_urlpatterns  # noqa: E402
from globaldialogue.surveys import fastpath as response_fastpath  # noqa: E402

# WhiteNoise hands Django a sync file iterator; for our small static files that is fine, and
# Django would otherwise warn on every one served under ASGI.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous")

application = ProtocolTypeRouter(
    {
        "http": with_request_log(
            with_group_commit(django_application, [response_fastpath.ROUTE, vote_fastpath.ROUTE])
        ),
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)
