"""WebSocket routes (Channels); HTTP goes through Django's URLconf."""

from django.urls import path

from globaldialogue.deliberation.live import ConversationConsumer
from globaldialogue.dialogues.room import RoomConsumer

websocket_urlpatterns = [
    path("ws/c/<slug:slug>/", ConversationConsumer.as_asgi()),
    path("ws/room/", RoomConsumer.as_asgi()),
]
