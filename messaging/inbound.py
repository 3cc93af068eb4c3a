"""What a person texts back: STOP and START words first, then the app
that asked a question ("Reply 1 if you're coming, 2 if you can't").

An app registers a handler for the prefix of its messages' reply_topic:

    reply_handler_register("registration", handler)   # in AppConfig.ready()
    def handler(volunteer, topic_id, text) -> str | None

and gets each reply to the latest message from us that awaited one from
that number ("registration:12" → handler(volunteer, "12", "1")). The answer
it returns (already in the person's language) is texted back; None sends
nothing.
"""

import re
import unicodedata

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from messaging.models import Channel, Kind, Message, OptOut
from signups.contact_hash import contact_hash

_reply_handlers = {}

# Words that stop everything / start again, compared without case or
# accents. A stop word anywhere in the reply stops ("Alto, por favor");
# Twilio's other keywords, common words in a sentence, only alone.
STOP_WORDS = {"stop", "alto", "baja", "parar", "cancelar", "unsubscribe"}
STOP_WORDS_ALONE = {"stopall", "end", "quit", "cancel"}
START_WORDS = {"start", "inicio", "si", "unstop", "yes"}


def reply_handler_register(prefix, handler):
    """Send replies to messages whose reply_topic starts with `prefix:` to
    `handler(volunteer, topic_id, text)`."""
    if ":" in prefix:
        raise ValueError("A reply topic prefix has no colon.")
    _reply_handlers[prefix] = handler


def reply_handler_for(reply_topic):
    """(handler, topic_id) for a message's reply_topic, or (None, "")."""
    prefix, _, topic_id = (reply_topic or "").partition(":")
    return _reply_handlers.get(prefix), topic_id


def words_of(text):
    """The words of a text, lower-cased and without accents: "¡ALTO, por
    favor!" → ["alto", "por", "favor"]."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return re.findall(r"[a-z0-9]+", plain)


def is_stop(text):
    words = words_of(text)
    return any(word in STOP_WORDS for word in words) or (len(words) == 1 and words[0] in STOP_WORDS_ALONE)


def is_start(text):
    """START / INICIO / SI as the whole reply (a "si" inside a sentence
    answering a reminder is an answer, not an opt-in)."""
    words = words_of(text)
    return len(words) == 1 and words[0] in START_WORDS


def opted_out(value):
    """True when this phone or email said stop (by its keyed hash)."""
    hashed = contact_hash(value)
    return bool(hashed) and OptOut.objects.filter(contact_hash=hashed).exists()


def opt_out_record(value, *, source):
    """Record that `value` (a phone or an email) wants nothing more from us;
    True when this is news (it was not opted out before)."""
    hashed = contact_hash(value)
    if not hashed:
        return False
    _, created = OptOut.objects.get_or_create(contact_hash=hashed, defaults={"source": source})
    return created


def opt_in_record(value):
    """Forget that `value` opted out; True when it had."""
    hashed = contact_hash(value)
    return bool(hashed) and OptOut.objects.filter(contact_hash=hashed).delete()[0] > 0


def _volunteer_for_number(number):
    from signups.models import Volunteer

    return Volunteer.objects.filter(phone=number).order_by("-pk").first()


def inbound_message_handle(*, number, text, channel=Channel.SMS, message_sid=""):
    """Act on one message a person sent us from `number` ("+1215…", without
    any "whatsapp:"): opt out, opt back in, or hand the reply to the app
    that asked. Answers are queued as messages (sent by the worker), in the
    person's language."""
    from messaging.outbox import message_language, message_queue_answer

    volunteer = _volunteer_for_number(number)
    language = message_language(volunteer) if volunteer is not None else "en"
    key_suffix = message_sid or contact_hash(number)[:16]
    with transaction.atomic():
        if is_stop(text):
            if opt_out_record(number, source=OptOut.Source.REPLY):
                with translation.override(language):
                    answer = gettext(
                        "Resistance Zone: you will get no more messages from us. Reply START to get them again."
                    )
                message_queue_answer(number=number, channel=channel, language=language, text=answer,
                                     key=f"stop-answer:{key_suffix}", volunteer=volunteer)
            return "stop"
        if is_start(text) and opted_out(number):
            opt_in_record(number)
            with translation.override(language):
                answer = gettext("Resistance Zone: welcome back, you will get our messages again. Reply STOP to stop.")
            message_queue_answer(number=number, channel=channel, language=language, text=answer,
                                 key=f"start-answer:{key_suffix}", volunteer=volunteer)
            return "start"
        if volunteer is None or opted_out(number):
            return "ignored"
        awaiting = (
            Message.objects.filter(volunteer=volunteer).exclude(reply_topic="")
            .exclude(status=Message.Status.DROPPED).order_by("-created_at", "-pk").first()
        )
        if awaiting is None:
            return "ignored"
        handler, topic_id = reply_handler_for(awaiting.reply_topic)
        if handler is None:
            return "ignored"
        with translation.override(language):
            answer = handler(volunteer, topic_id, text)
        if answer:
            message_queue_answer(number=number, channel=channel, language=language, text=answer,
                                 key=f"reply-answer:{key_suffix}", volunteer=volunteer)
        return "handled"


__all__ = [
    "Kind", "inbound_message_handle", "is_start", "is_stop", "opt_in_record", "opt_out_record", "opted_out",
    "reply_handler_register",
]
