import factory

from zones.models import Block, Zone


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"zone-{n}")
    name_en = factory.Sequence(lambda n: f"Zone {n}")
    name_es = factory.Sequence(lambda n: f"Zona {n}")
    status = Zone.Status.PILOT
    target_per_block = 2


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    # Hundreds stop below 100,000 (block_hundred_in_range): after 999
    # blocks of S 9th St a whole test run moves on to another street.
    street = factory.Sequence(lambda n: "S 9TH ST" if n < 999 else f"S {900 + n // 999}TH ST")
    hundred = factory.Sequence(lambda n: 100 * (n % 999 + 1))
    zone = factory.SubFactory(ZoneFactory)
    geometry = factory.LazyAttribute(
        lambda o: {
            "type": "LineString",
            "coordinates": [[-75.158, 39.94 - o.hundred / 100000], [-75.158, 39.9398 - o.hundred / 100000]],
        }
    )
