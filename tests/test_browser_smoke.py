import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_landing_page_fits_a_phone_and_loads_only_from_our_host(live_server, phone_page):
    requested = []
    phone_page.on("request", lambda request: requested.append(request.url))
    phone_page.goto(f"{live_server.url}/es/")
    assert phone_page.locator("h1").count() == 1
    scroll_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360
    assert requested and all(url.startswith(live_server.url) for url in requested)
