"""Fixtures for any app's tests that send messages (a pytest plugin, listed
in the root conftest.py):

- `sms_outbox`: the texts and WhatsApp messages memory:// took (SMS_URL in
  pytest.ini), emptied before each test;
- `twilio_fake`: a loopback Twilio (messaging.tests.twilio_fake) that the real
  client talks to, with SMS_URL pointed at it for the test.
"""

import pytest

from messaging import providers
from messaging.tests.twilio_fake import TwilioFake


@pytest.fixture(autouse=True)
def sms_outbox():
    providers.memory_outbox.clear()
    yield providers.memory_outbox
    providers.memory_outbox.clear()


@pytest.fixture
def twilio_fake(settings):
    fake = TwilioFake().start()
    settings.SMS_URL = fake.sms_url
    settings.SMS_BACKOFF_SECONDS = 0.01
    yield fake
    fake.stop()
