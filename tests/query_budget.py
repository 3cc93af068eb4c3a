"""Shared by the query-budget tests (`*/tests/test_query_budget.py`): every
list page, the map's GeoJSON and the roster answer in the same number of
queries at 10 rows and at 1,000, so a page that works in the demo does not
fall over at 50,000 volunteers.

- `ROWS`: the two sizes every budget test is parametrized with.
- `bulk(Factory, count, **fields)`: `count` rows built by the factory (so
  they look like every other test's rows) and saved in one INSERT, which
  keeps 1,000 rows to a fraction of a second. Pass saved related objects in
  `fields` (a factory's SubFactory would only build unsaved ones), and
  `factory.Iterator(...)` to spread rows over several of them.
- `blocks(count, zone=...)`: blocks with unique (street, hundred) and a
  line on the map.
- `organizer_of(*zones)`: an account in the Organizer group organizing
  those zones, as the admin and the map are really used.
- `cold_caches()`: call right before measuring, so a cache hit never hides
  the queries of the cold path.
"""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from zones.models import Block

ROWS = (10, 1000)

_block_numbers = itertools.count()


def bulk(factory_class, count, **fields):
    model = factory_class._meta.model
    return model.objects.bulk_create(factory_class.build_batch(count, **fields))


def blocks(count, *, zone, **fields):
    # Not through BlockFactory: every block it builds moves its sequence on,
    # and past 999 blocks its hundreds break the model's limit in whichever
    # test runs next.
    numbers = [next(_block_numbers) for _ in range(count)]
    return Block.objects.bulk_create(
        Block(
            # 1,000 hundreds per street keeps every hundred below the limit.
            street=f"BUDGET {n // 1000} ST",
            hundred=n % 1000 * 100,
            zone=zone,
            geometry={"type": "LineString", "coordinates": [[-75.15, 39.93 - n / 10000], [-75.15, 39.9301 - n / 10000]]},
            **fields,
        )
        for n in numbers
    )


def organizer_of(*zones, username="organizer"):
    # No password to hash (half a second each): tests log in with otp_login.
    user = get_user_model().objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name="Organizer"))
    for zone in zones:
        zone.organizers.add(user)
    return user


def cold_caches():
    cache.clear()
    # Django keeps content types in process memory: whichever test ran first
    # would otherwise pay the query the others skip.
    ContentType.objects.clear_cache()
