"""The hot hand-written statements are planned once per connection: the
first run prepares and executes in one round trip, every later run on the
same connection sends only EXECUTE with the values, and a new connection
(or a first run that failed) prepares again instead of failing."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from zones.models import Block
from zones.prepared import execute_prepared
from zones.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db

BLOCK_AT = 'SELECT hundred, street FROM "zones_block" WHERE street = %s AND hundred = %s'
NAMED = 'SELECT %(hundred)s + 1, %(hundred)s + 2, \'100%%\' FROM "zones_block" WHERE street = %(street)s'


def run(sql, params):
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        execute_prepared(cursor, sql, params)
        rows = cursor.fetchall()
    return rows, [query["sql"] for query in queries]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PREPARE is PostgreSQL's: elsewhere the text is run as it is")


def prepared_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def test_the_first_run_prepares_and_executes_in_one_statement_then_only_executes(postgresql):
    BlockFactory(street="S 9TH ST", hundred=1100)
    first, first_sent = run(BLOCK_AT, ["S 9TH ST", 1100])
    again, again_sent = run(BLOCK_AT, ["S 9TH ST", 1100])

    assert first == again == [(1100, "S 9TH ST")]
    assert len(first_sent) == 1 and first_sent[0].startswith("PREPARE rz_")
    assert len(again_sent) == 1 and again_sent[0].startswith("EXECUTE rz_")
    assert "S 9TH ST" not in again_sent[0].split("(")[0]  # the values travel apart from the name


def test_named_parameters_are_numbered_once_each_and_a_literal_percent_survives(postgresql):
    BlockFactory(street="S 9TH ST", hundred=1100)

    rows, _sent = run(NAMED, {"hundred": 1100, "street": "S 9TH ST"})

    assert rows == [(1101, 1102, "100%")]


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again(postgresql):
    BlockFactory(street="S 9TH ST", hundred=1100)
    run(BLOCK_AT, ["S 9TH ST", 1100])
    connection.close()

    rows, sent = run(BLOCK_AT, ["S 9TH ST", 1100])

    assert rows == [(1100, "S 9TH ST")]
    assert sent[0].startswith("PREPARE rz_")


def test_a_first_run_that_failed_is_prepared_again_under_a_new_name(postgresql):
    block = BlockFactory(street="S 9TH ST", hundred=1100)
    insert = 'INSERT INTO "zones_block" (street, hundred, from_street, to_street) VALUES (%s, %s, \'\', \'\') RETURNING id'

    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            execute_prepared(cursor, insert, [block.street, block.hundred])  # the block is there already
    with connection.cursor() as cursor:
        execute_prepared(cursor, insert, ["S 10TH ST", 1100])
        new_id = cursor.fetchone()[0]

    assert Block.objects.get(pk=new_id).street == "S 10TH ST"
    assert len({name for name in prepared_names() if name.startswith("rz_")}) >= 2


def test_on_another_database_the_text_is_run_as_it_is(postgresql, monkeypatch):
    BlockFactory(street="S 9TH ST", hundred=1100)
    monkeypatch.setattr(connection, "vendor", "sqlite")

    rows, sent = run(BLOCK_AT, ["S 9TH ST", 1100])

    assert rows == [(1100, "S 9TH ST")]
    assert sent[0].startswith("SELECT hundred")
