"""/healthz for load balancers that probe with HEAD."""

import pytest
from django.test import RequestFactory

from zones.views import healthz

pytestmark = pytest.mark.django_db


def test_head_gets_the_status_and_no_body():
    # Called directly: the test client would strip the body itself, as
    # gunicorn does, but gunicorn logs a warning for every such response.
    response = healthz(RequestFactory().head("/healthz"))
    assert response.status_code == 200
    assert response.content == b""


def test_get_still_says_ok():
    assert healthz(RequestFactory().get("/healthz")).content == b"ok"
