"""What Twilio tells us: a message's fate (status callback) and what a
person texted us (inbound). Both come with X-Twilio-Signature, an HMAC of
the public URL and the posted fields under our auth token; anything without
a valid one is refused (403). The URL signed is the one Twilio called: our
SITE_URL and the path, not what a proxy in front of us passes on as Host.
No body and no number is logged here."""

import logging

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from messaging import providers
from messaging.inbound import inbound_message_handle, opt_out_record
from messaging.models import Channel, Message, OptOut

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _signature_valid(request):
    from twilio.request_validator import RequestValidator

    token = providers.twilio_auth_token()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    public_url = settings.SITE_URL.rstrip("/") + request.get_full_path()
    return RequestValidator(token).validate(public_url, request.POST, signature)


def twilio_webhook(view):
    def wrapped(request):
        if not _signature_valid(request):
            logger.warning("Refused a Twilio webhook without a valid signature")
            return HttpResponseForbidden()
        return view(request)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(require_POST(wrapped))


# Twilio's statuses, in the order a message goes through them.
_PROGRESS = {"accepted": 0, "queued": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 3}


def message_status_record(*, message, provider_status, provider_id, error_code):
    """Move `message` forward by what the provider says of it; never back
    (callbacks arrive out of order), never twice."""
    now = timezone.now()
    rows = Message.objects.filter(pk=message.pk)
    if provider_status in ("failed", "undelivered"):
        code = error_code or provider_status
        status = Message.Status.UNDELIVERABLE if code in providers.ERRORS_RECIPIENT else Message.Status.FAILED
        if code == providers.ERROR_OPTED_OUT and message.volunteer is not None:
            opt_out_record(message.volunteer.phone, source=OptOut.Source.PROVIDER)
        rows.exclude(status__in=[Message.Status.DELIVERED, Message.Status.DROPPED]).update(
            status=status, error_code=code, failed_at=now, provider_id=provider_id or message.provider_id,
        )
        return
    progress = _PROGRESS.get(provider_status)
    if progress is None:
        return
    # Handed over, whatever we had recorded: a worker killed before it
    # recorded the answer, or a message queued again meanwhile, is settled
    # here and never sent again.
    unsettled = [Message.Status.QUEUED, Message.Status.SENDING]
    if progress >= 3:
        rows.filter(Q(status__in=unsettled) | Q(status=Message.Status.SENT)).update(
            status=Message.Status.DELIVERED, delivered_at=now, provider_id=provider_id,
            sent_at=message.sent_at or now,
        )
    else:
        rows.filter(status__in=unsettled).update(status=Message.Status.SENT, sent_at=now, provider_id=provider_id)


@twilio_webhook
def twilio_status(request):
    """A status callback: ?m=<our message id>, MessageSid, MessageStatus,
    ErrorCode."""
    provider_id = request.POST.get("MessageSid", "")[:64]
    message_pk = request.GET.get("m", "")
    message = None
    if message_pk.isdigit():
        message = Message.objects.select_related("volunteer").filter(pk=int(message_pk)).first()
    if message is None and provider_id:
        message = Message.objects.select_related("volunteer").filter(provider_id=provider_id).first()
    if message is not None:
        message_status_record(
            message=message, provider_status=request.POST.get("MessageStatus", "").lower(),
            provider_id=provider_id, error_code=request.POST.get("ErrorCode", "")[:20],
        )
    return HttpResponse(status=204)


@twilio_webhook
def twilio_inbound(request):
    """A text or WhatsApp message a person sent us."""
    sender = request.POST.get("From", "")
    channel = Channel.SMS
    if sender.startswith("whatsapp:"):
        channel, sender = Channel.WHATSAPP, sender.removeprefix("whatsapp:")
    if sender:
        inbound_message_handle(number=sender, text=request.POST.get("Body", "")[:1600], channel=channel,
                               message_sid=request.POST.get("MessageSid", "")[:64])
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")
