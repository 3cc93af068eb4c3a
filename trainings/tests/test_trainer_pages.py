import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from signups.models import Volunteer
from trainings.models import Attendance, Registration, Session
from trainings.tests.factories import AttendanceFactory, RegistrationFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def test_anonymous_people_are_sent_to_log_in(client, session_today):
    for url in (reverse("trainings:trainer"), reverse("trainings:roster", args=[session_today.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/login/")


def test_the_trainer_sees_their_sessions_today_first(trainer_client, trainer, session_today):
    later = SessionFactory(trainers=[trainer])
    SessionFactory()  # someone else's
    response = trainer_client.get(reverse("trainings:trainer"))
    assert response.context["today"] == [session_today]
    assert response.context["upcoming"] == [later]


def test_another_trainers_session_is_404(trainer_client):
    other = SessionFactory(trainers=[UserFactory()])
    assert trainer_client.get(reverse("trainings:roster", args=[other.pk])).status_code == 404
    volunteer = RegistrationFactory(session=other).volunteer
    response = trainer_client.post(
        reverse("trainings:checkin", args=[other.pk]), {"volunteer": volunteer.pk, "nonce": uuid.uuid4()}
    )
    assert response.status_code == 404
    assert Attendance.objects.count() == 0


def test_check_in_views_refuse_get(trainer_client, session_today):
    for name in ("checkin", "undo", "done"):
        assert trainer_client.get(reverse(f"trainings:{name}", args=[session_today.pk])).status_code == 405


def test_the_roster_lists_registered_people_with_counts(trainer_client, session_today):
    here = RegistrationFactory(session=session_today, volunteer__name="Ana")
    RegistrationFactory(session=session_today, volunteer__name="Beto")
    RegistrationFactory(session=session_today, volunteer__name="Cancelled", status=Registration.Status.CANCELLED)
    AttendanceFactory(session=session_today, volunteer=here.volunteer)
    AttendanceFactory(session=session_today, walk_in=True, volunteer__name="Walk In")
    response = trainer_client.get(reverse("trainings:roster", args=[session_today.pk]))
    names = [row["volunteer"].name for row in response.context["rows"]]
    assert names == ["Ana", "Beto", "Walk In"]
    assert response.context["counts"] == {"checked_in": 2, "registered": 2, "walk_ins": 1}
    assert response.context["offline"]["allowed"] == [session_today.pk]


def test_a_large_roster_hides_everyone_until_two_letters_are_typed(trainer_client, session_today):
    for n in range(31):
        RegistrationFactory(session=session_today, volunteer__name=f"Person {n}")
    RegistrationFactory(session=session_today, volunteer__name="Zoila Núñez")
    url = reverse("trainings:roster", args=[session_today.pk])
    response = trainer_client.get(url)
    assert response.context["private"]
    assert not any(row["match"] for row in response.context["rows"])
    # Rendered for the phone's search, but hidden.
    assert response.content.decode().count('class="roster-row" ') == 32
    assert response.content.decode().count(" hidden>") >= 32
    response = trainer_client.get(url, {"q": "zoila"})
    assert [row["volunteer"].name for row in response.context["rows"] if row["match"]] == ["Zoila Núñez"]


def test_a_small_roster_can_be_made_private(trainer_client, session_today):
    session_today.private_roster = True
    session_today.save()
    RegistrationFactory(session=session_today)
    response = trainer_client.get(reverse("trainings:roster", args=[session_today.pk]))
    assert response.context["private"]


def test_check_in_by_form_post_redirects_and_by_script_answers_json(trainer_client, trainer, session_today):
    first, second = RegistrationFactory(session=session_today), RegistrationFactory(session=session_today)
    url = reverse("trainings:checkin", args=[session_today.pk])
    response = trainer_client.post(url, {"volunteer": first.volunteer.pk, "nonce": uuid.uuid4()})
    assert response.status_code == 302
    assert response["Location"] == reverse("trainings:roster", args=[session_today.pk])
    nonce = uuid.uuid4()
    response = trainer_client.post(
        url, {"volunteer": second.volunteer.pk, "nonce": nonce, "at": "2026-11-26T17:30:00.000Z"}, **JSON
    )
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response.json()["counts"]["checked_in"] == 2
    attendance = Attendance.objects.get(nonce=nonce)
    assert attendance.checked_in_by == trainer
    assert attendance.phone_at == datetime.datetime(2026, 11, 26, 17, 30, tzinfo=datetime.UTC)


def test_the_same_check_in_posted_twice_is_one_attendance(trainer_client, session_today):
    registration = RegistrationFactory(session=session_today)
    data = {"volunteer": registration.volunteer.pk, "nonce": uuid.uuid4()}
    url = reverse("trainings:checkin", args=[session_today.pk])
    trainer_client.post(url, data, **JSON)
    trainer_client.post(url, data, **JSON)
    assert Attendance.objects.count() == 1


def test_someone_not_on_the_list_cannot_be_checked_in_by_id(trainer_client, session_today):
    stranger = RegistrationFactory().volunteer
    response = trainer_client.post(
        reverse("trainings:checkin", args=[session_today.pk]), {"volunteer": stranger.pk, "nonce": uuid.uuid4()}
    )
    assert response.status_code == 404


def test_a_bad_check_in_answers_400_json(trainer_client, session_today):
    response = trainer_client.post(
        reverse("trainings:checkin", args=[session_today.pk]), {"volunteer": "x", "nonce": "y"}, **JSON
    )
    assert response.status_code == 400
    assert response.json()["ok"] is False


def test_undo_by_nonce(trainer_client, session_today):
    attendance = AttendanceFactory(session=session_today)
    url = reverse("trainings:undo", args=[session_today.pk])
    response = trainer_client.post(url, {"nonce": attendance.nonce}, **JSON)
    assert response.json()["ok"] is True
    assert Attendance.objects.active().count() == 0
    response = trainer_client.post(url, {"nonce": attendance.nonce}, **JSON)
    assert response.json()["code"] == "noop"


def test_a_walk_in_is_checked_in_and_found_again_by_phone(trainer_client, session_today):
    url = reverse("trainings:walk-in", args=[session_today.pk])
    nonce = uuid.uuid4()
    data = {
        "name": "Marta Gómez", "phone": "215 555 0177", "email": "", "language": "es",
        "address": "19148", "consent": "on", "nonce": nonce,
    }
    response = trainer_client.post(url, data)
    assert response.status_code == 302
    response = trainer_client.post(url, data, **JSON)
    assert response.json()["ok"] is True
    attendance = Attendance.objects.get()
    assert attendance.walk_in and attendance.nonce == nonce
    volunteer = Volunteer.objects.get()
    assert volunteer.zip_code == "19148"
    assert volunteer.source == Volunteer.Source.WALK_IN


def test_a_walk_in_with_bad_input_shows_the_error_next_to_the_field(trainer_client, session_today):
    url = reverse("trainings:walk-in", args=[session_today.pk])
    response = trainer_client.post(url, {"name": "X", "phone": "12", "language": "es", "consent": "on"})
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors
    response = trainer_client.post(url, {"name": "X", "phone": "12", "language": "es"}, **JSON)
    assert response.status_code == 400
    assert "consent" in response.json()["errors"]
    assert Attendance.objects.count() == 0


def test_marking_done_trains_the_attendees(trainer_client, session_today):
    attendance = AttendanceFactory(session=session_today)
    response = trainer_client.post(reverse("trainings:done", args=[session_today.pk]))
    assert response.status_code == 302
    session_today.refresh_from_db()
    attendance.volunteer.refresh_from_db()
    assert session_today.status == Session.Status.DONE
    assert attendance.volunteer.is_trained


def test_a_done_session_is_no_longer_kept_offline(trainer_client, session_today):
    trainer_client.post(reverse("trainings:done", args=[session_today.pk]))
    response = trainer_client.get(reverse("trainings:roster", args=[session_today.pk]))
    assert response.context["offline"]["allowed"] == []


def test_sessions_of_other_days_are_not_kept_offline(trainer_client, trainer):
    tomorrow = SessionFactory(
        trainers=[trainer], starts_at=timezone.now() + datetime.timedelta(days=1, hours=1)
    )
    response = trainer_client.get(reverse("trainings:roster", args=[tomorrow.pk]))
    assert response.context["offline"]["allowed"] == []


def test_the_signed_out_page_loads_the_wiping_script(client):
    body = client.get(reverse("trainings:signed-out")).content.decode()
    assert "data-trainer-wipe" in body
    assert "js/trainer.js" in body
