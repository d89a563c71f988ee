"""WebSocket routes (Channels); HTTP goes through Django's URLconf."""

from django.urls import path

from globaldialogue.deliberation.live import ConversationConsumer

websocket_urlpatterns = [
    path("ws/c/<slug:slug>/", ConversationConsumer.as_asgi()),
]
