"""A small world with one of everything, and the list of every page to
visit in it: the no-third-party tests (server-rendered and in Chromium) and
the permission matrix walk the same pages."""

import datetime

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from signups.models import PendingChange
from signups.pending import link_token_hash
from signups.tests.factories import CampaignFactory, VolunteerFactory
from trainings.tests.factories import AttendanceFactory, RegistrationFactory, SessionFactory
from zones.tests.factories import BlockFactory, ZoneFactory


CONFIRM_TOKEN = "world-confirm-token"


def build_world():
    zone = ZoneFactory(slug="pilot", name_en="South Philly pilot", name_es="Piloto del sur")
    block = BlockFactory(zone=zone)
    campaign = CampaignFactory(slug="launch")
    volunteer = VolunteerFactory(block=block)
    volunteer.campaigns.add(campaign)
    User = get_user_model()
    trainer = User.objects.create_user("world-trainer", password="x" * 20, is_staff=False)
    superuser = User.objects.create_superuser("world-root", password="x" * 20)
    now = timezone.now()
    session = SessionFactory(
        zone=zone, starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=2), trainers=[trainer],
    )
    registration = RegistrationFactory(session=session, volunteer=volunteer)
    attendance = AttendanceFactory(session=session, volunteer=VolunteerFactory(block=block))
    # A sign-up with the volunteer's phone proposed a new name: its one-time
    # confirmation page, with a secret the world knows.
    pending_change = PendingChange.objects.create(
        volunteer=volunteer, changes={"name": "Proposed Name"}, token_hash=link_token_hash(CONFIRM_TOKEN)
    )
    return {
        "zone": zone, "block": block, "campaign": campaign, "volunteer": volunteer,
        "trainer": trainer, "superuser": superuser, "session": session,
        "registration": registration, "attendance": attendance, "pending_change": pending_change,
    }


def thank_you_session(client, world):
    """Make the client the browser that just signed up (the thank-you page
    shows only to them)."""
    from django.http import HttpResponse

    from signups.views import thanks_cookie_set

    volunteer = world["volunteer"]
    response = thanks_cookie_set(HttpResponse(), block=volunteer.block, language=volunteer.language)
    client.cookies.update(response.cookies)


def public_urls(world, lang="en"):
    from django.utils import translation

    with translation.override(lang):
        urls = [
            reverse("signups:landing"),
            reverse("signups:join"),
            reverse("signups:thanks"),
            reverse("trainings:list"),
            reverse("trainings:session", args=[world["session"].pk]),
            reverse("trainings:registration", args=[world["registration"].cancel_token]),
            reverse("signups:confirm_changes", args=[CONFIRM_TOKEN]),
            reverse("zones:index"),
            reverse("login"),
        ]
    return urls


def staff_urls(world, lang="en"):
    """Staff pages outside the admin: the coverage maps."""
    from django.utils import translation

    with translation.override(lang):
        return [reverse("zones:map_all"), reverse("zones:map", args=[world["zone"].slug])]


def trainer_urls(world, lang="en"):
    from django.utils import translation

    with translation.override(lang):
        return [
            reverse("trainings:trainer"),
            reverse("trainings:roster", args=[world["session"].pk]),
        ]


def admin_urls(world, user=None):
    """Every registered model's list and add page (where `user`, by default
    the superuser, may add), and the change page of each world object that
    has an admin."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user or world["superuser"]
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:%s_%s_changelist" % info))
        if model_admin.has_add_permission(request):
            try:
                urls.append(reverse("admin:%s_%s_add" % info))
            except NoReverseMatch:
                pass
    for key in ("zone", "block", "campaign", "volunteer", "session", "registration", "attendance", "pending_change"):
        obj = world[key]
        info = (obj._meta.app_label, obj._meta.model_name)
        if type(obj) in admin.site._registry:
            urls.append(reverse("admin:%s_%s_change" % info, args=[obj.pk]))
    return urls
