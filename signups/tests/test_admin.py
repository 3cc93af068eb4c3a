"""The organizers' admin for volunteers and campaigns."""

import csv
import io

import pytest

from signups.admin import VolunteerAdminForm
from signups.models import Volunteer
from signups.exports import volunteers_export_csv
from signups.tests.factories import CampaignFactory, VolunteerFactory
from zones.tests.factories import BlockFactory, ZoneFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/signups/volunteer/"


@pytest.fixture
def organizer(admin_user, client, otp_login):
    otp_login(client, admin_user)
    return admin_user


@pytest.fixture
def pilot():
    return ZoneFactory(name_en="South Philadelphia", name_es="Sur de Filadelfia")


def _post_add(client, data):
    """Post the add form, with empty management forms for any inlines other
    apps put on the volunteer page (trainings adds registrations)."""
    response = client.get(f"{CHANGELIST}add/")
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data = {**data, f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return client.post(f"{CHANGELIST}add/", data)


def _names(response):
    return sorted(v.name for v in response.context["cl"].result_list)


# --- The list --------------------------------------------------------------------


def test_the_list_shows_name_language_block_zone_ways_to_help_and_created(client, organizer, pilot):
    VolunteerFactory(
        name="Lupe Ñúñez",
        language="es",
        block=BlockFactory(street="S 9TH ST", hundred=1100, zone=pilot),
        ways_to_help=["knock_doors", "interpret"],
    )
    response = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lupe Ñúñez" in page
    assert "1100 block of S 9th St" in page
    assert "South Philadelphia" in page
    assert "Knock on doors on my block, Interpret" in page
    for header in ("Preferred language", "Block", "Zone", "Ways to help", "Created"):
        assert header in page


def test_the_list_speaks_the_organizers_language(client, organizer, pilot):
    VolunteerFactory(block=BlockFactory(zone=pilot), ways_to_help=["interpret"])
    page = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9").content.decode()
    assert '<html lang="es"' in page
    assert "Sur de Filadelfia" in page
    assert "Interpretar" in page
    assert "forma de ayudar" in page
    assert "Exportar los voluntarios seleccionados como hoja de cálculo (CSV)" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("language__exact=es", ["Ana"]),
        ("way_to_help=interpret", ["Ana"]),
        ("way_to_help=knock_doors", ["Ben"]),
        ("way_to_help=not-a-way", ["Ana", "Ben", "Cy"]),
        ("source__exact=walk_in", ["Cy"]),
    ],
)
def test_the_list_filters(client, organizer, query, expected):
    VolunteerFactory(name="Ana", language="es", ways_to_help=["interpret"])
    VolunteerFactory(name="Ben", language="en", ways_to_help=["knock_doors"])
    VolunteerFactory(name="Cy", language="both", ways_to_help=[], source="walk_in")
    assert _names(client.get(f"{CHANGELIST}?{query}")) == expected


def test_the_list_filters_by_zone(client, organizer, pilot):
    VolunteerFactory(name="Ana", block=BlockFactory(zone=pilot))
    VolunteerFactory(name="Ben", block=BlockFactory(zone=ZoneFactory()))
    VolunteerFactory(name="Cy", block=None)
    assert _names(client.get(f"{CHANGELIST}?block__zone__id__exact={pilot.pk}")) == ["Ana"]


def test_the_list_filters_by_campaign(client, organizer):
    launch = CampaignFactory()
    VolunteerFactory(name="Ana").campaigns.add(launch)
    VolunteerFactory(name="Ben")
    assert _names(client.get(f"{CHANGELIST}?campaigns__id__exact={launch.pk}")) == ["Ana"]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("lupe", ["Lupe Ñúñez"]),
        ("215-555-0101", ["Lupe Ñúñez"]),
        ("(267) 555 0102", ["Ben Smith"]),
        ("BEN@example", ["Ben Smith"]),
        ("tasker", ["Ben Smith"]),
        ("9th", ["Lupe Ñúñez"]),
    ],
)
def test_the_list_searches_name_phone_email_and_street(client, organizer, term, expected):
    VolunteerFactory(
        name="Lupe Ñúñez", phone="+12155550101", email="lupe@example.org",
        block=BlockFactory(street="S 9TH ST"),
    )
    VolunteerFactory(
        name="Ben Smith", phone="+12675550102", email="ben@example.org",
        block=BlockFactory(street="TASKER ST"),
    )
    assert _names(client.get(CHANGELIST, {"q": term})) == expected


def test_a_phone_search_keeps_the_filters(client, organizer):
    VolunteerFactory(name="Ana", phone="+12155550101", language="es")
    assert _names(client.get(CHANGELIST, {"q": "215 555 0101", "language__exact": "en"})) == []


# --- Editing ---------------------------------------------------------------------


def test_an_organizer_adds_a_volunteer_with_a_normalized_phone_and_email(client, organizer):
    block = BlockFactory()
    response = client.get(f"{CHANGELIST}add/")
    form = response.context["adminform"].form
    assert form.initial["source"] == "admin"
    response = _post_add(
        client,
        {
            "name": "José Peña",
            "phone": "215 555 0199",
            "email": "Jose@Example.ORG",
            "language": "es",
            "contact_methods": ["call"],
            "block": block.pk,
            "zip_code": "19147",
            "ways_to_help": ["interpret"],
            "source": "admin",
            "consent_at_0": "2026-11-20",
            "consent_at_1": "10:00:00",
            "consent_version": "2026-11",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    volunteer = Volunteer.objects.get()
    assert volunteer.phone == "+12155550199"
    assert volunteer.email == "jose@example.org"
    assert volunteer.ways_to_help == ["interpret"]


def test_the_admin_refuses_a_phone_someone_else_has(client, organizer):
    VolunteerFactory(phone="+12155550199")
    response = _post_add(
        client,
        {
            "name": "Copy",
            "phone": "(215) 555-0199",
            "language": "en",
            "source": "admin",
            "consent_at_0": "2026-11-20",
            "consent_at_1": "10:00:00",
            "consent_version": "2026-11",
        },
    )
    assert response.status_code == 200
    assert "phone" in response.context["adminform"].form.errors
    assert Volunteer.objects.count() == 1


FORBIDDEN = ("immigra", "status", "birth", "dob", "ssn", "social_security", "passport",
             "license", "licence", "itin", "id_number", "citizen", "visa", "alien", "a_number")


def test_no_immigration_status_birth_date_or_id_field_exists_or_is_offered(client, organizer):
    model_fields = [field.name for field in Volunteer._meta.get_fields()]
    form_fields = list(VolunteerAdminForm.base_fields)
    page = client.get(f"{CHANGELIST}add/").content.decode()
    for name in model_fields + form_fields:
        assert not any(word in name.lower() for word in FORBIDDEN), name
    for word in ("immigration", "date of birth", "passport", "social security"):
        assert word not in page.lower()


def test_the_admin_form_lists_its_fields_one_by_one():
    # A field added to Volunteer later must not appear in the admin by
    # itself: someone has to decide it belongs there.
    assert VolunteerAdminForm._meta.fields != "__all__"
    assert "trained_at" not in VolunteerAdminForm._meta.fields


# --- Export --------------------------------------------------------------------------


def _rows(content):
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM that tells Excel it is UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_export_action_downloads_the_selected_volunteers_for_excel(client, organizer, pilot):
    chosen = VolunteerFactory(
        name="José Peña Muñoz", phone="+12155550123", email="jose@example.org", language="es",
        contact_methods=["text", "whatsapp"], block=BlockFactory(street="S 9TH ST", hundred=1100, zone=pilot),
        zip_code="19147", ways_to_help=["interpret", "knock_doors"], weekend_availability=["sat_am"],
    )
    VolunteerFactory(name="Not Chosen")
    response = client.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [chosen.pk], "confirm": "yes",
         "include_phone": "on", "include_email": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="volunteers-')
    header, *rows = _rows(response.content)
    assert header == [
        "Name", "Phone", "Email", "Preferred language", "How to contact", "Block", "Zone",
        "ZIP code", "Ways to help", "Launch-weekend availability", "Source", "Signed up",
    ]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Name"] == "José Peña Muñoz"
    assert row["Phone"] == "(215) 555-0123"
    assert row["Preferred language"] == "Spanish"
    assert row["How to contact"] == "Text message, WhatsApp"
    assert row["Block"] == "1100 block of S 9th St"
    assert row["Zone"] == "South Philadelphia"
    assert row["ZIP code"] == "19147"
    assert row["Ways to help"] == "Interpret, Knock on doors on my block"
    assert row["Launch-weekend availability"] == "Saturday morning"
    assert row["Source"] == "Sign-up form"


def test_the_export_of_all_filtered_volunteers(client, organizer):
    for name in ("Ana", "Bea"):
        VolunteerFactory(name=name, language="es")
    VolunteerFactory(name="Carl", language="en")
    response = client.post(
        f"{CHANGELIST}?language__exact=es",
        {"action": "export_csv", "select_across": "1", "_selected_action": [0], "confirm": "yes"},
    )
    names = sorted(row[0] for row in _rows(response.content)[1:])
    assert names == ["Ana", "Bea"]


def test_the_export_is_in_the_organizers_language(client, organizer):
    VolunteerFactory(language="es", ways_to_help=["get_trained"])
    response = client.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [Volunteer.objects.get().pk], "confirm": "yes"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    header, row = _rows(response.content)
    assert header[0] == "Nombre"
    assert row[header.index("Formas de ayudar")] == "Capacitarme sobre mis derechos"


def test_the_export_keeps_excel_from_running_a_name_as_a_formula():
    VolunteerFactory(name='=HYPERLINK("http://evil.example","click")', phone="+442071838750")
    header, row = _rows(volunteers_export_csv(volunteers=Volunteer.objects.all(), include_phone=True))
    assert row[0] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert row[1] == "'+44 20 7183 8750"


# --- Campaigns ------------------------------------------------------------------------


def test_the_campaign_list_counts_the_volunteers_each_brought(client, organizer):
    # Its query budget: signups/tests/test_query_budget.py.
    launch = CampaignFactory(name_en="Launch weekend")
    for volunteer in VolunteerFactory.create_batch(3):
        volunteer.campaigns.add(launch)
    page = client.get("/admin/signups/campaign/").content.decode()
    assert "Launch weekend" in page
    assert '<td class="field-volunteer_count">3</td>' in page


def test_the_admin_follows_the_language_the_organizer_last_chose_on_the_site(client, organizer):
    client.cookies["rz_language"] = "es"
    page = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert '<html lang="es"' in page
    assert "voluntarios" in page.lower()
