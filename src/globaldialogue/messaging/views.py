"""The providers' webhooks: /messaging/<channel>/receive (messages; WhatsApp's statuses
too, and its subscription check), /status (Twilio's and Africa's Talking's delivery
reports), and courier's /sent, /delivered, /failed and /stopped for External channels.
Each request is verified as its provider documents before anything is read."""

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.views.decorators.csrf import csrf_exempt

from globaldialogue.messaging import access, actions
from globaldialogue.messaging.gateways import Unreadable, WhatsApp, gateway_for
from globaldialogue.messaging.models import Channel, Provider

STATUS_KINDS = ("status", "sent", "delivered", "failed")


@csrf_exempt
def webhook(request: HttpRequest, channel_id: str, kind: str) -> HttpResponse:
    channel = access.channel_for_webhook(channel_id)
    if channel is None:
        raise Http404("No such channel.")
    gateway = gateway_for(channel)
    if request.method == "GET" and channel.provider == Provider.WHATSAPP:
        return _whatsapp_check(channel, request)
    if request.method not in ("POST", "GET") or (
        request.method == "GET" and channel.provider != Provider.EXTERNAL
    ):
        return HttpResponse("Use POST.", status=405, headers={"Allow": "POST"})
    if not gateway.verify(channel, request):
        return HttpResponseForbidden(
            "The request's signature does not match this channel's secret."
        )
    try:
        return _handle(channel, request, kind)
    except Unreadable as problem:
        return HttpResponseBadRequest(str(problem))


def _handle(channel: Channel, request: HttpRequest, kind: str) -> HttpResponse:
    gateway = gateway_for(channel)
    if kind == "receive":
        if isinstance(gateway, WhatsApp):  # one webhook for both
            actions.record_statuses(channel=channel, statuses=gateway.statuses(request, kind))
        replies = actions.receive_messages(channel=channel, messages=gateway.inbound(request))
        return gateway.answer(replies if gateway.replies_inline else [])
    if kind == "stopped" and channel.provider == Provider.EXTERNAL:
        sender = (request.POST or request.GET).get("from", "")
        if not sender:
            raise Unreadable("must have 'from' set")
        actions.stop_sender(channel=channel, sender=sender)
        return JsonResponse({"message": "Accepted"})
    if kind in STATUS_KINDS and (kind == "status") != (channel.provider == Provider.EXTERNAL):
        actions.record_statuses(channel=channel, statuses=gateway.statuses(request, kind))
        return JsonResponse({"message": "Accepted"})
    raise Http404("No such webhook for this channel.")


def _whatsapp_check(channel: Channel, request: HttpRequest) -> HttpResponse:
    """Meta's subscription check: hub.challenge sent back when the verify token (the
    channel's id) matches."""
    token = request.GET.get("hub.verify_token", "")
    if request.GET.get("hub.mode") == "subscribe" and token == str(channel.uuid):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponseForbidden("The verify token does not match.")
