"""PostgreSQL going away: a plain 503 page in both languages, then back.

A real gunicorn with production settings runs on a PostgreSQL of this test's
own (initdb, pg_ctl: tests/private_services.py) and a Redis of its own. The
test stops that PostgreSQL under it, as an operator or a failover would,
and starts it again: meanwhile every page that needs the database answers
503 with Retry-After and nothing of the error, /healthz says `not ok`, and
afterwards the same workers serve again, without a restart.
"""

import psycopg2
import pytest
import requests

from tests.private_services import (  # noqa: F401 (private_redis: a fixture)
    PrivatePostgres,
    gunicorn_serving,
    manage,
    private_redis,
    production_env,
)
from tests.test_two_instances import Browser

pytestmark = pytest.mark.gunicorn

ENGLISH = "We will be back in a few minutes"
SPANISH = "Volvemos en unos minutos"


@pytest.fixture(scope="module")
def private_postgres():
    server = PrivatePostgres().create().start()
    yield server
    server.destroy()


@pytest.fixture(scope="module")
def site(private_postgres, private_redis, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("database-outage")
    env = production_env(
        tmp, "rz-db-outage", DATABASE_URL=private_postgres.url, CACHE_URL=private_redis.url, WEB_CONCURRENCY="2",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    with gunicorn_serving("db-outage", env, tmp) as instance:
        yield instance


def _workers(instance):
    pid = instance.process.pid
    with open(f"/proc/{pid}/task/{pid}/children") as children:
        return sorted(children.read().split())


def _volunteers(private_postgres, phone):
    with psycopg2.connect(host="127.0.0.1", port=private_postgres.port, user="postgres", dbname="postgres") as db:
        with db.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM signups_volunteer WHERE phone = %s", [phone])
            return cursor.fetchone()[0]


def _join_data(fields, phone):
    return {
        **{key: value for key, value in fields.items() if key != "csrfmiddlewaretoken"},
        "name": "Ana Flores", "phone": phone, "email": "", "language": "es",
        "contact_methods": ["text"], "address": "", "address_withheld": "on", "zip_code": "19147",
        "ways_to_help": ["get_trained"], "consent": "on",
    }


def _assert_the_plain_503_page(response):
    assert response.status_code == 503, (response.request.url, response.status_code)
    assert response.headers["Retry-After"] == "30"
    assert "no-store" in response.headers["Cache-Control"]
    html = response.text
    assert ENGLISH in html and SPANISH in html
    for detail in ("Traceback", "OperationalError", "psycopg", "postgres", "connection", "5432"):
        assert detail not in html, detail


def test_with_postgresql_stopped_pages_answer_503_healthz_says_not_ok_and_all_is_back_after(
    site, private_postgres, private_redis
):
    neighbor = Browser("203.0.113.80")
    fields = neighbor.form(site, "/en/join/")  # the join form, kept in Redis
    assert neighbor.get(site, "/en/").status_code == 200  # the landing page too
    workers = _workers(site)

    private_postgres.stop()
    try:
        # A page that needs the database, the trainings list.
        for path in ["/en/trainings/", "/es/trainings/", "/en/trainings/"]:
            _assert_the_plain_503_page(neighbor.get(site, path))
        # A sign-up sent meanwhile: refused plainly, nothing half written.
        _assert_the_plain_503_page(neighbor.post(site, "/en/join/", _join_data(fields, "215-555-0101")))
        # A staff request reads its session and user in middleware, before any view.
        staff = Browser("192.0.2.80")
        staff.http.cookies.set("sessionid", "a-session-from-before-the-outage")
        _assert_the_plain_503_page(staff.get(site, "/en/trainer/"))
        health = neighbor.get(site, "/healthz")
        assert (health.status_code, health.text) == (503, "not ok")
        # What Redis keeps needs no database: the landing page still answers.
        assert neighbor.get(site, "/en/").status_code == 200
    finally:
        private_postgres.start()

    # Back, on the same workers: each reconnects on its next request.
    for _ in range(4):
        health = neighbor.get(site, "/healthz")
        assert (health.status_code, health.text) == (200, "ok")
        assert neighbor.get(site, "/en/trainings/").status_code == 200
    fields = neighbor.form(site, "/es/join/")
    response = neighbor.post(site, "/es/join/", _join_data(fields, "215-555-0102"))
    assert response.status_code == 302, response.text[:300]
    assert _volunteers(private_postgres, "+12155550102") == 1
    assert _volunteers(private_postgres, "+12155550101") == 0
    assert _workers(site) == workers
    assert site.process.poll() is None


def test_a_static_file_is_served_while_postgresql_is_stopped(site, private_postgres):
    page = requests.get(f"{site.url}/en/", timeout=30).text
    stylesheet = next(value for value in page.split('"') if value.endswith(".css"))
    private_postgres.stop()
    try:
        # The 503 page's own styles: whitenoise needs no database.
        assert requests.get(f"{site.url}{stylesheet}", timeout=30).status_code == 200
    finally:
        private_postgres.start()

