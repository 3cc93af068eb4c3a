"""The walk-in form keeps what the trainer typed when something is wrong, says
which field, and never lets an address that fits no block pass unnoticed
(issue #11, item 10)."""

import uuid

import pytest
from django.urls import reverse

from signups.models import Volunteer
from trainings.models import Attendance

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def url(session_today):
    return reverse("trainings:walk-in", args=[session_today.pk])


def walk_in(**changes):
    data = {
        "name": "Marta Gómez", "phone": "215 555 0177", "email": "marta@example.org", "language": "es",
        "address": "1123 S 9th St", "consent": "on", "nonce": str(uuid.uuid4()),
    }
    return {**data, **changes}


def test_a_bad_phone_is_shown_next_to_the_phone_with_everything_typed_kept(trainer_client, url):
    response = trainer_client.post(url, walk_in(phone="555"))

    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["phone"]
    page = response.content.decode()
    for typed in ("Marta Gómez", "555", "marta@example.org", "1123 S 9th St"):
        assert f'value="{typed}"' in page
    assert Attendance.objects.count() == 0


def test_a_bad_phone_from_the_script_names_the_phone_field(trainer_client, url):
    response = trainer_client.post(url, walk_in(phone="555"), **JSON)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["phone"]
    assert Attendance.objects.count() == 0


def test_a_refusal_of_the_service_is_shown_next_to_its_field(trainer_client, url, monkeypatch):
    from signups.services import SignupError

    def refuse(**kwargs):
        raise SignupError("Enter a valid phone number, for example 215-555-0123.", code="invalid_phone")

    monkeypatch.setattr("trainings.views.trainer.attendance_record_walk_in", refuse)

    page = trainer_client.post(url, walk_in())
    answer = trainer_client.post(url, walk_in(), **JSON)

    assert list(page.context["form"].errors) == ["phone"]
    assert 'value="Marta Gómez"' in page.content.decode()
    assert answer.status_code == 409
    assert answer.json()["code"] == "invalid_phone" and list(answer.json()["errors"]) == ["phone"]


def test_an_address_that_fits_no_block_is_asked_about_before_anything_is_saved(trainer_client, url):
    response = trainer_client.post(url, walk_in(address="behind the church"))

    assert response.status_code == 400
    assert [e["code"] for e in response.context["form"].errors.get_json_data()["address"]] == ["address_unplaced"]
    page = response.content.decode()
    assert 'type="checkbox" name="without_block"' in page
    assert 'value="behind the church"' in page and 'value="Marta Gómez"' in page
    assert Attendance.objects.count() == 0 and Volunteer.objects.count() == 0


def test_the_script_is_told_the_address_fits_no_block(trainer_client, url):
    response = trainer_client.post(url, walk_in(address="behind the church"), **JSON)

    assert response.status_code == 400
    assert response.json()["code"] == "address_unplaced"
    assert list(response.json()["errors"]) == ["address"]
    assert Attendance.objects.count() == 0


def test_checking_in_without_a_block_says_the_address_was_not_placed(trainer_client, url, session_today):
    response = trainer_client.post(url, walk_in(address="behind the church", without_block="on"), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Marta Gómez is checked in, but the address could not be placed on a block."
    ]
    attendance = Attendance.objects.select_related("volunteer").get()
    assert attendance.session == session_today and attendance.volunteer.block is None


def test_the_script_checking_in_without_a_block_is_told_so(trainer_client, url):
    response = trainer_client.post(url, walk_in(address="behind the church", without_block="on"), **JSON)

    assert response.json()["ok"] is True
    assert response.json()["code"] == "no_block"
    assert "could not be placed on a block" in response.json()["message"]
    assert Attendance.objects.count() == 1


def test_a_placed_address_or_a_zip_code_checks_in_at_once(trainer_client, url):
    placed = trainer_client.post(url, walk_in(), **JSON).json()
    by_zip = trainer_client.post(url, walk_in(phone="215 555 0178", email="", address="19148"), **JSON).json()

    assert (placed["ok"], placed["code"]) == (True, "ok")
    assert (by_zip["ok"], by_zip["code"]) == (True, "ok")
    assert Volunteer.objects.get(phone="+12155550177").block.hundred == 1100


def test_the_spanish_message_speaks_to_the_trainer(trainer_client, session_today):
    url = reverse("trainings:walk-in", args=[session_today.pk]).replace("/en/", "/es/")

    response = trainer_client.post(url, walk_in(address="detrás de la iglesia"), **JSON)

    assert "Corrígela" in response.json()["errors"]["address"][0]


def test_a_walk_in_with_a_known_phone_is_answered_with_the_name_typed_not_the_stored_one(trainer_client, url):
    from signups.tests.factories import VolunteerFactory

    neighbor = VolunteerFactory(name="Rosa Muñoz", phone="+12155550177")

    answer = trainer_client.post(url, walk_in(name="Somebody Else"), **JSON).json()

    assert answer["ok"]
    assert "Somebody Else" in answer["message"]
    assert "Rosa" not in answer["message"]
    neighbor.refresh_from_db()
    assert neighbor.name == "Rosa Muñoz"
    assert neighbor.pending_change.changes["name"] == "Somebody Else"
