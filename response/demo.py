"""Demo rapid response for `make run`: the demo organizer dispatches the
pilot zone (/<lang>/dispatch/), a few demo neighbors are responders, and
one alert template in both languages is ready to start an alert from.

Responders are trained people who chose rapid response and agreed to urgent
alerts (response.geography.responders): the trained ones below are the
ones a verification reaches (by text, printed by the console:// worker);
the untrained one shows that signing up is not enough. Nothing is created
twice when load_demo runs again.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from response.models import AlertTemplate, DispatcherZone
from signups.demo import demo_phone
from signups.models import MessageKind, Volunteer, WayToHelp
from signups.roles import DISPATCHER

# Demo neighbors (signups.demo.DEMO_RESIDENTS, by number) who join the
# rapid response network: 1, 2, 4 and 6 are trained, 3 is not.
RESPONDERS = (1, 2, 3, 4, 6)

ALERT_TEMPLATE = {
    "name": "Demo: ICE seen nearby",
    "purpose": AlertTemplate.Purpose.ALERT,
    "text_en": (
        "Rapid response: neighbors confirmed ICE agents near the {block}. Stay inside and do not open "
        "the door without a warrant signed by a judge. You have the right to remain silent."
    ),
    "text_es": (
        "Respuesta rápida: vecinos confirmaron agentes de ICE cerca de la {block}. Quédate adentro y no "
        "abras la puerta sin una orden firmada por un juez. Tienes derecho a guardar silencio."
    ),
}


@transaction.atomic
def demo_response_load(*, zone, organizer):
    """Dispatcher of the pilot zone, responders, alert template. Returns
    load_demo's line."""
    dispatchers, _ = Group.objects.get_or_create(name=DISPATCHER)
    organizer.groups.add(dispatchers)
    DispatcherZone.objects.get_or_create(user=organizer, zone=zone)

    joined = 0
    for volunteer in Volunteer.objects.filter(phone__in=[demo_phone(n) for n in RESPONDERS], notes="Demo data"):
        ways, kinds = list(volunteer.ways_to_help or []), list(volunteer.message_kinds or [])
        if WayToHelp.RAPID_RESPONSE in ways and MessageKind.URGENT in kinds:
            continue
        if WayToHelp.RAPID_RESPONSE not in ways:
            ways.append(WayToHelp.RAPID_RESPONSE.value)
        if MessageKind.URGENT not in kinds:
            kinds.append(MessageKind.URGENT.value)
        volunteer.ways_to_help, volunteer.message_kinds = ways, kinds
        volunteer.save(update_fields=["ways_to_help", "message_kinds"])
        joined += 1

    fields = {key: value for key, value in ALERT_TEMPLATE.items() if key not in ("name", "purpose")}
    _template, template_created = AlertTemplate.objects.get_or_create(
        name=ALERT_TEMPLATE["name"], purpose=ALERT_TEMPLATE["purpose"], defaults=fields
    )
    return (
        f"Rapid response: {organizer.username} dispatches {zone.slug}; demo responders: {joined} joined; "
        f"alert template: {'created' if template_created else 'up to date'}."
    )
