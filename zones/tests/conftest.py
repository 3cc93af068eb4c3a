import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_first():
    # A request to /es/ leaves Spanish active in the thread (LocaleMiddleware
    # does not switch back), which would change reverse() in the next test.
    translation.activate("en")
    yield
    translation.activate("en")
