"""Least privilege, walked: every admin list, change page, export and
trainer and canvasser page, as a superuser, an organizer of zone A, an
organizer of zone B, a trainer of a zone-A session, a canvasser of a zone-A
team, and anonymous."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from canvass.models import CanvassTeam
from signups.tests.factories import CampaignFactory, VolunteerFactory
from tests.auth import login_with_otp
from trainings.tests.factories import AttendanceFactory, RegistrationFactory, SessionFactory
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db
ROLES = ["superuser", "organizer_a", "organizer_b", "trainer", "canvasser", "dispatcher", "anonymous"]
A_NAME = "Alma Zona-A"


@pytest.fixture
def world(db):
    User = get_user_model()
    zone_a = ZoneFactory(slug="zone-a", name_en="Zone A")
    zone_b = ZoneFactory(slug="zone-b", name_en="Zone B")
    block_a = BlockFactory(zone=zone_a, street="S 9TH ST", hundred=1100)
    BlockFactory(zone=zone_b, street="S 7TH ST", hundred=700)
    volunteer_a = VolunteerFactory(name=A_NAME, block=block_a)
    CampaignFactory()
    now = timezone.now()
    # Trainers are staff accounts (sessions pick trainers among staff) in
    # the Trainer group, with no admin permission.
    trainer = User.objects.create_user("trainer-a", password="x" * 20, is_staff=True)
    trainer.groups.add(Group.objects.get(name="Trainer"))
    session_a = SessionFactory(
        zone=zone_a, trainers=[trainer], starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=2),
    )
    RegistrationFactory(session=session_a, volunteer=volunteer_a)
    AttendanceFactory(session=session_a, volunteer=VolunteerFactory(block=block_a))
    # Canvassers too: staff accounts in the Canvasser group, no admin
    # permission, on a zone-A team (canvass.roles).
    canvasser = User.objects.create_user("canvasser-a", password="x" * 20, is_staff=True)
    canvasser.groups.add(Group.objects.get(name="Canvasser"))
    team_a = CanvassTeam.objects.create(campaign=CampaignFactory(), name="Team A", day="saturday", zone=zone_a)
    team_a.blocks.add(block_a)
    team_a.canvassers.add(canvasser)
    # Dispatchers too: staff accounts in the Dispatcher group, no admin
    # permission, running the incidents of zone A (response.DispatcherZone).
    from response.models import DispatcherZone

    dispatcher = User.objects.create_user("dispatcher-a", password="x" * 20, is_staff=True)
    dispatcher.groups.add(Group.objects.get(name="Dispatcher"))
    DispatcherZone.objects.create(user=dispatcher, zone=zone_a)
    users = {
        "dispatcher": dispatcher,
        "superuser": User.objects.create_superuser("root", password="x" * 20),
        "trainer": trainer,
        "canvasser": canvasser,
        "anonymous": None,
    }
    for key, zone in (("organizer_a", zone_a), ("organizer_b", zone_b)):
        user = User.objects.create_user(key, password="x" * 20, is_staff=True)
        user.groups.add(Group.objects.get(name="Organizer"))
        zone.organizers.add(user)
        users[key] = user
    batch_a = _batch_to(zone_a, text=BATCH_A_TEXT)
    from response.models import Incident

    incident_a = Incident.objects.create(zone=zone_a, block=block_a, kind="police_stop", seen_at=now,
                                         spot=INCIDENT_A_SPOT, opened_by=dispatcher)
    return {"zone_a": zone_a, "block_a": block_a, "volunteer_a": volunteer_a,
            "session_a": session_a, "batch_a": batch_a, "incident_a": incident_a, "users": users}


BATCH_A_TEXT = "Taller el sábado en la zona A"
INCIDENT_A_SPOT = "Esquina de la panadería A"


def _batch_to(zone, *, text):
    """An organizer's message to a segment of `zone` (messaging.segment_send)."""
    from messaging.models import Batch
    from messaging.segment_send import SegmentSend

    batch = Batch.objects.create(text_en=text, text_es=text, segment={"zones": [zone.pk]})
    SegmentSend.objects.create(batch=batch).zones.add(zone)
    return batch


def _client_as(client, world, role):
    user = world["users"][role]
    if user is not None:
        login_with_otp(client, user)
    return client


ALL = set(ROLES) - {"anonymous"}
ADMINS = {"superuser", "organizer_a", "organizer_b"}
ZONE_A = {"superuser", "organizer_a"}


def _pages(world):
    """(name, url, roles allowed, text that only an allowed role may see)."""
    a = world
    return [
        ("admin index", reverse("admin:index"), ADMINS, None),
        ("volunteers", reverse("admin:signups_volunteer_changelist"), ADMINS, None),
        ("volunteers (zone A row)", reverse("admin:signups_volunteer_changelist"), ZONE_A, A_NAME),
        ("volunteer A", reverse("admin:signups_volunteer_change", args=[a["volunteer_a"].pk]), ZONE_A, A_NAME),
        ("blocks", reverse("admin:zones_block_changelist"), ADMINS, None),
        ("blocks (zone A row)", reverse("admin:zones_block_changelist"), ZONE_A, "S 9TH ST"),
        ("block A", reverse("admin:zones_block_change", args=[a["block_a"].pk]), ZONE_A, "S 9TH ST"),
        ("zones", reverse("admin:zones_zone_changelist"), ADMINS, None),
        ("zone A", reverse("admin:zones_zone_change", args=[a["zone_a"].pk]), ZONE_A, "Zone A"),
        ("sessions", reverse("admin:trainings_session_changelist"), ADMINS, None),
        ("session A", reverse("admin:trainings_session_change", args=[a["session_a"].pk]), ZONE_A, A_NAME),
        ("session A sign-in sheet", reverse("admin:trainings_session_sheet", args=[a["session_a"].pk]), ZONE_A, A_NAME),
        ("session A attendance export", reverse("admin:trainings_session_csv", args=[a["session_a"].pk]), ZONE_A, None),
        ("zone A canvass packet", reverse("admin:zones_zone_packet", args=[a["zone_a"].pk]), ZONE_A, None),
        ("campaigns", reverse("admin:signups_campaign_changelist"), ADMINS, None),
        ("topics", reverse("admin:trainings_topic_changelist"), ADMINS, None),
        ("canvass teams", reverse("admin:canvass_canvassteam_changelist"), ADMINS, None),
        ("audit log", reverse("admin:signups_auditentry_changelist"), ADMINS, None),
        ("import a list", reverse("admin:signups_volunteer_import"), ADMINS, None),
        ("users", reverse("admin:auth_user_changelist"), {"superuser"}, None),
        ("groups", reverse("admin:auth_group_changelist"), {"superuser"}, None),
        ("login lockouts", reverse("admin:axes_accessattempt_changelist"), {"superuser"}, None),
        ("authenticator devices", reverse("admin:otp_totp_totpdevice_changelist"), {"superuser"}, None),
        ("zone A map", reverse("zones:map", args=["zone-a"]), ZONE_A, None),
        ("zone A blocks (GeoJSON)", reverse("zones:blocks_geojson", args=["zone-a"]), ZONE_A, None),
        ("all blocks (GeoJSON, zone A block)", reverse("zones:all_blocks_geojson"), ZONE_A, "1100 block"),
        ("trainer home", reverse("trainings:trainer"), ALL, None),
        ("trainer roster A", reverse("trainings:roster", args=[a["session_a"].pk]), {"trainer"}, A_NAME),
        # A canvasser's page shows no resident: the tally is counts only.
        ("canvass home", reverse("canvass:home"), {"superuser", "canvasser"}, None),
        ("canvass home (no resident named)", reverse("canvass:home"), set(), A_NAME),
        ("door tallies", reverse("admin:canvass_doortally_changelist"), ADMINS, None),
        ("block pauses", reverse("admin:canvass_blockpause_changelist"), ADMINS, None),
        ("block claims", reverse("admin:canvass_blockclaim_changelist"), ADMINS, None),
        # Every block's path (canvass.states): the zone's funnel and charts,
        # the dashboard of one's zones, the map's state layer.
        ("zone A progress", reverse("admin:canvass_zone_progress", args=[a["zone_a"].pk]), ZONE_A, "Zone A"),
        ("zone progress dashboard", reverse("admin:canvass_zonesnapshot_changelist"), ADMINS, None),
        ("zone progress dashboard (zone A)", reverse("admin:canvass_zonesnapshot_changelist"), ZONE_A, "Zone A"),
        ("zone A block states", reverse("canvass:block_states", args=["zone-a"]), ZONE_A, None),
        ("all block states (zone A block)", reverse("canvass:all_block_states"), ZONE_A, f'"{a["block_a"].pk}":'),
        # The follow-up list shows first names only (trainings.follow_up).
        ("zone A follow-up list", reverse("admin:trainings_follow_up", args=[a["zone_a"].pk]), ZONE_A, "Alma"),
        ("zone A follow-up list (no full name)", reverse("admin:trainings_follow_up", args=[a["zone_a"].pk]),
         set(), A_NAME),
        ("messages to a segment", reverse("admin:messaging_batch_changelist"), ADMINS, None),
        ("messages to a segment (zone A row)", reverse("admin:messaging_batch_changelist"), ZONE_A, BATCH_A_TEXT),
        ("message to a segment: compose", reverse("admin:messaging_batch_add"), ADMINS, None),
        ("message to zone A: delivery report", reverse("admin:messaging_batch_change", args=[a["batch_a"].pk]),
         ZONE_A, BATCH_A_TEXT),
        # Rapid response: dispatchers and organizers, each their zones' incidents.
        ("dispatch home", reverse("response:home"), {"superuser", "organizer_a", "organizer_b", "dispatcher"}, None),
        ("dispatch: new report", reverse("response:new"), {"superuser", "organizer_a", "organizer_b", "dispatcher"}, None),
        ("incident A", reverse("response:incident", args=[a["incident_a"].pk]), {"superuser", "organizer_a", "dispatcher"},
         INCIDENT_A_SPOT),
        ("alert templates", reverse("admin:response_alerttemplate_changelist"), ADMINS, None),
        ("dispatchers' zones", reverse("admin:response_dispatcherzone_changelist"), {"superuser"}, None),
    ]




@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_what_it_may(client, world, role):
    _client_as(client, world, role)
    problems = []
    for name, url, allowed, secret in _pages(world):
        response = client.get(url)
        body = response.content.decode(errors="replace")
        if role in allowed:
            ok = response.status_code == 200 and (secret is None or secret in body)
        else:
            ok = response.status_code in (302, 403, 404) or (
                response.status_code == 200 and secret is not None and secret not in body
            )
            ok = ok and (secret is None or secret not in body)
        if not ok:
            problems.append(f"{name}: {response.status_code}")
    assert problems == [], f"{role} got: {problems}"


def _export(client, volunteer):
    return client.post(
        reverse("admin:signups_volunteer_changelist"),
        {"action": "export_csv", "_selected_action": [volunteer.pk], "confirm": "yes"},
    )


def test_an_organizer_exports_their_zones_volunteers_and_it_is_logged(client, world):
    from signups.audit import AuditEntry

    _client_as(client, world, "organizer_a")
    response = _export(client, world["volunteer_a"])
    assert response["Content-Type"].startswith("text/csv")
    assert A_NAME in response.content.decode("utf-8-sig")
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == world["users"]["organizer_a"] and entry.row_count == 1


def test_another_zones_organizer_cannot_export_them(client, world):
    _client_as(client, world, "organizer_b")
    response = _export(client, world["volunteer_a"])
    body = response.content.decode("utf-8-sig")
    assert A_NAME not in body
    if response.get("Content-Type", "").startswith("text/csv"):
        assert len(body.strip().splitlines()) == 1  # the header row only


def test_an_organizer_cannot_change_another_zones_volunteer(client, world):
    _client_as(client, world, "organizer_b")
    url = reverse("admin:signups_volunteer_change", args=[world["volunteer_a"].pk])
    client.post(url, {"name": "Changed"})
    world["volunteer_a"].refresh_from_db()
    assert world["volunteer_a"].name == A_NAME


def test_an_organizer_cannot_assign_themselves_to_a_zone(client, world):
    _client_as(client, world, "organizer_b")
    response = client.get(reverse("admin:zones_zone_change", args=[world["zone_a"].pk]))
    assert response.status_code != 200
    own = world["users"]["organizer_b"].organized_zones.get()
    page = client.get(reverse("admin:zones_zone_change", args=[own.pk])).content.decode()
    assert 'name="organizers"' not in page


def test_an_organizer_cannot_put_a_volunteer_on_another_zones_block(client, world):
    from signups.models import Volunteer

    _client_as(client, world, "organizer_b")
    form = reverse("admin:signups_volunteer_add")
    response = client.post(form, {
        "name": "New Person", "phone": "215-555-0177", "language": "es",
        "block": world["block_a"].pk, "source": "admin", "consent_at_0": "2026-11-20",
        "consent_at_1": "10:00", "consent_version": "2026-11",
    })
    assert response.status_code == 200  # the form again, with an error
    assert not Volunteer.objects.filter(name="New Person").exists()


ORGANIZER_LISTS = {
    "signups.volunteer", "signups.campaign", "signups.auditentry", "signups.pendingchange",
    "zones.zone", "zones.block", "trainings.session", "trainings.topic",
    "canvass.canvassteam", "canvass.doortally", "canvass.blockpause", "canvass.blockclaim",
    "messaging.batch", "response.alerttemplate", "canvass.zonesnapshot",
}


def test_every_admin_list_is_open_to_exactly_the_roles_meant_to_see_it(client, world):
    """Every registered model, including the ones libraries add (accounts,
    lockouts, authenticator devices): organizers see the people-and-places
    lists of their work and nothing else; trainers and anonymous none."""
    from django.contrib import admin

    registered = {model._meta.label_lower: model for model in admin.site._registry}
    assert ORGANIZER_LISTS <= set(registered)
    problems = []
    for role in ROLES:
        client.logout()
        _client_as(client, world, role)
        for label, model in sorted(registered.items()):
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            status = client.get(url).status_code
            allowed = role == "superuser" or (role.startswith("organizer") and label in ORGANIZER_LISTS)
            if (status == 200) != allowed:
                problems.append(f"{role} {label}: {status}")
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_the_roles_come_back_after_the_tables_are_emptied():
    from django.core.management import call_command

    call_command("flush", "--noinput", verbosity=0)
    organizer = Group.objects.get(name="Organizer")
    assert Group.objects.filter(name="Trainer").exists()
    assert Group.objects.filter(name="Canvasser").exists()
    assert not Group.objects.get(name="Dispatcher").permissions.exists()
    assert not Group.objects.get(name="Canvasser").permissions.exists()
    codenames = set(organizer.permissions.values_list("codename", flat=True))
    assert {"view_volunteer", "change_volunteer", "view_session", "view_auditentry"} <= codenames
    assert "delete_volunteer" not in codenames


def test_organizers_see_the_people_who_belong_to_no_zone(client, world):
    # A neighbor who gave no address belongs to no organizer's zone; without
    # this nobody but a superuser could follow up with them.
    VolunteerFactory(name="Sin Dirección", block=None, address_withheld=True)
    _client_as(client, world, "organizer_b")
    page = client.get(reverse("admin:signups_volunteer_changelist")).content.decode()
    assert "Sin Dirección" in page
    assert A_NAME not in page


def test_an_organizer_without_the_unzoned_permission_sees_only_their_zones(client, world):
    from django.contrib.auth.models import Permission

    VolunteerFactory(name="Sin Dirección", block=None, address_withheld=True)
    organizers = Group.objects.get(name="Organizer")
    organizers.permissions.remove(Permission.objects.get(codename="view_unzoned_volunteer"))
    _client_as(client, world, "organizer_b")
    page = client.get(reverse("admin:signups_volunteer_changelist")).content.decode()
    assert "Sin Dirección" not in page


def test_a_permission_taken_from_a_role_stays_taken_after_migrate(db):
    from django.contrib.auth.models import Permission

    from signups.roles import roles_ensure

    organizers = Group.objects.get(name="Organizer")
    organizers.permissions.remove(Permission.objects.get(codename="view_unzoned_volunteer"))
    roles_ensure()
    assert not organizers.permissions.filter(codename="view_unzoned_volunteer").exists()


@pytest.mark.parametrize("role, allowed", [("organizer_a", True), ("trainer", False)])
def test_an_organizer_can_import_a_list_and_a_trainer_cannot(client, world, role, allowed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from signups.importing.models import ImportJob

    _client_as(client, world, role)
    content = "Nombre,Teléfono,Dirección\r\nNueva Vecina,215-555-0199,1101 S 9th St\r\n".encode()
    response = client.post(reverse("admin:signups_volunteer_import"),
                           {"file": SimpleUploadedFile("list.csv", content)})
    if allowed:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/signups/volunteer/import/")
    else:
        # The admin turns a trainer away (to its login page) before the view.
        assert response.status_code in (302, 403)
        assert "/import/" not in response.get("Location", "").split("?")[0]
    assert ImportJob.objects.exists() == allowed


@pytest.mark.parametrize("role", ROLES)
def test_only_the_zones_organizer_reveals_a_contact_from_the_follow_up_list(client, world, role):
    from signups.audit import AuditEntry

    _client_as(client, world, role)
    volunteer = world["volunteer_a"]
    response = client.post(reverse("admin:trainings_follow_up", args=[world["zone_a"].pk]), {"reveal": volunteer.pk})
    revealed = volunteer.phone in response.content.decode()
    assert revealed == (role in ZONE_A)
    assert AuditEntry.objects.filter(action="reveal", subject=f"volunteer:{volunteer.pk}").exists() == revealed
