import pytest

from trainings.tests.factories import SessionFactory, UserFactory


@pytest.fixture
def trainer(db):
    return UserFactory()


@pytest.fixture
def log_in(otp_login):
    """The one place trainer tests log in (password and second factor done),
    for the test client. Browser tests copy this client's session cookie."""

    def log_in(client, user):
        otp_login(client, user)
        return client

    return log_in


@pytest.fixture
def trainer_client(client, trainer, log_in):
    return log_in(client, trainer)


@pytest.fixture
def session_today(trainer):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    return SessionFactory(starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=1), trainers=[trainer])


@pytest.fixture(autouse=True)
def _english_unless_asked(db):
    # A request to /es/ leaves Spanish active in this thread; reverse() and
    # messages in the next test must not depend on test order.
    from django.utils import translation

    with translation.override("en"):
        yield



@pytest.fixture
def texts(sms_outbox):
    """The texts (SMS and WhatsApp) the provider got from the worker, as the
    core's memory:// backend keeps them: [{"to", "channel", "body", ...}]."""
    return sms_outbox
