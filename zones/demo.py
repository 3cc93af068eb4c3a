"""Demo geography for `make run`: South Philadelphia's street grid and the pilot zone.

No data files: the blocks are generated from facts about Philadelphia's grid.

- North–south streets: a block's hundred is set by the east–west street at its
  north end (South St starts the 600 block, Washington Ave the 1100 block, ...
  Oregon Ave the 2700 block).
- East–west streets: a block's hundred is set by the numbered street at its
  east end (S 9th St starts the 900 block; S Broad St stands for 14th, 1400).

The geometry is approximate: straight lines on an affine grid fitted (least
squares, median error about 30 m) to the City's 2012 street-centerline
intersections. The grid is rotated a few degrees, as the real one is.
"""

from django.db import transaction

from zones.models import Block, Zone

# East–west streets and the hundred line each one is, north to south.
EAST_WEST_STREETS = [
    ("SOUTH ST", 600),
    ("BAINBRIDGE ST", 700),
    ("CATHARINE ST", 800),
    ("CHRISTIAN ST", 900),
    ("CARPENTER ST", 1000),
    ("WASHINGTON AVE", 1100),
    ("FEDERAL ST", 1200),
    ("WHARTON ST", 1300),
    ("REED ST", 1400),
    ("DICKINSON ST", 1500),
    ("TASKER ST", 1600),
    ("MORRIS ST", 1700),
    ("MOORE ST", 1800),
    ("MIFFLIN ST", 1900),
    ("MCKEAN ST", 2000),
    ("SNYDER AVE", 2100),
    ("JACKSON ST", 2200),
    ("WOLF ST", 2300),
    ("RITNER ST", 2400),
    ("PORTER ST", 2500),
    ("SHUNK ST", 2600),
    ("OREGON AVE", 2700),
]
_EAST_WEST_BY_LINE = {line: name for name, line in EAST_WEST_STREETS}

FIRST_NUMBERED_STREET = 2
LAST_NUMBERED_STREET = 33
# Blocks of east–west streets, from the 200 block (2nd to 3rd) to the 3300 block.
EAST_WEST_HUNDREDS = range(200, 3400, 100)
# Blocks of north–south streets, from the 600 block (South St to Bainbridge)
# to the 2600 block (Shunk St to Oregon Ave).
NORTH_SOUTH_HUNDREDS = range(600, 2700, 100)


def numbered_street(number):
    """The north–south street whose hundred line is number × 100: 9 -> "S 9TH ST",
    14 -> "S BROAD ST" (Philadelphia has no 14th Street south of City Hall)."""
    if number == 14:
        return "S BROAD ST"
    if number % 100 in (11, 12, 13):
        suffix = "TH"
    else:
        suffix = {1: "ST", 2: "ND", 3: "RD"}.get(number % 10, "TH")
    return f"S {number}{suffix} ST"


# lon/lat of a grid point (x, y): x is the north–south street's hundred line
# (S 9th St = 900), y the east–west street's (Washington Ave = 1100).
_LON = (-75.140789, -1.63238e-05, -2.84116e-06)
_LAT = (39.948199, 2.10833e-06, -1.27899e-05)


def grid_point(x, y):
    lon = _LON[0] + _LON[1] * x + _LON[2] * y
    lat = _LAT[0] + _LAT[1] * x + _LAT[2] * y
    return [round(lon, 6), round(lat, 6)]


def _line(start, end):
    return {"type": "LineString", "coordinates": [grid_point(*start), grid_point(*end)]}


def grid_blocks():
    """Every demo block as a dict of Block fields (street, hundred, from_street,
    to_street, geometry, and grid position x/y ranges for zone membership)."""
    blocks = []
    for number in range(FIRST_NUMBERED_STREET, LAST_NUMBERED_STREET + 1):
        x = number * 100
        for hundred in NORTH_SOUTH_HUNDREDS:
            blocks.append(
                {
                    "street": numbered_street(number),
                    "hundred": hundred,
                    "from_street": _EAST_WEST_BY_LINE[hundred],
                    "to_street": _EAST_WEST_BY_LINE[hundred + 100],
                    "geometry": _line((x, hundred), (x, hundred + 100)),
                    "x": (x, x),
                    "y": (hundred, hundred + 100),
                }
            )
    for street, y in EAST_WEST_STREETS:
        for hundred in EAST_WEST_HUNDREDS:
            blocks.append(
                {
                    "street": street,
                    "hundred": hundred,
                    "from_street": numbered_street(hundred // 100),
                    "to_street": numbered_street(hundred // 100 + 1),
                    "geometry": _line((hundred, y), (hundred + 100, y)),
                    "x": (hundred, hundred + 100),
                    "y": (y, y),
                }
            )
    return blocks


# The pilot the organization started with: Washington Ave to Oregon Ave,
# 3rd St to 9th St, boundary streets included (both sides of them are knocked).
PILOT_X = (300, 900)
PILOT_Y = (1100, 2700)
PILOT = {
    "slug": "south-philly-pilot",
    "name_en": "South Philadelphia pilot",
    "name_es": "Zona piloto del sur de Filadelfia",
    "description_en": (
        "Where the Community Resistance Zones began: from Washington Avenue to "
        "Oregon Avenue, between 3rd and 9th Streets. Block by block, neighbors "
        "learn their rights and how to stand with a neighbor facing a raid, "
        "racial profiling or a hate crime."
    ),
    "description_es": (
        "Donde empezaron las Zonas de Resistencia Comunitaria: de la avenida "
        "Washington a la avenida Oregon, entre las calles 3 y 9. Cuadra por "
        "cuadra, los vecinos aprenden sus derechos y cómo acompañar a un vecino "
        "frente a una redada, el perfilamiento racial (cuando detienen o vigilan "
        "a alguien por su raza o su origen) o un crimen de odio."
    ),
    "status": Zone.Status.PILOT,
    "target_per_block": 2,
}


def in_pilot(block):
    (x0, x1), (y0, y1) = block["x"], block["y"]
    return PILOT_X[0] <= x0 and x1 <= PILOT_X[1] and PILOT_Y[0] <= y0 and y1 <= PILOT_Y[1]


def pilot_boundary():
    (x0, x1), (y0, y1) = PILOT_X, PILOT_Y
    # A few metres outside the boundary streets, so both sides of them fall inside.
    m = 15
    ring = [
        grid_point(x0 - m, y0 - m),
        grid_point(x1 + m, y0 - m),
        grid_point(x1 + m, y1 + m),
        grid_point(x0 - m, y1 + m),
    ]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def pilot_zone_ensure():
    """Create or update the pilot zone (names, status, target, boundary),
    without touching blocks. Returns (zone, created). Shared by this grid demo
    and the large demo built on the City's real centerline."""
    fields = {key: value for key, value in PILOT.items() if key != "slug"}
    fields["boundary"] = pilot_boundary()
    return Zone.objects.update_or_create(slug=PILOT["slug"], defaults=fields)


@transaction.atomic
def demo_zones_load():
    """Create or update the pilot zone and the South Philadelphia grid.

    Idempotent: a second run finds every row and changes nothing. Blocks
    outside the pilot keep whatever zone an organizer gave them; blocks
    inside it are put in the pilot. Returns (zone, zone_created,
    blocks_created, blocks_updated)."""
    zone, zone_created = pilot_zone_ensure()

    existing = {(b.street, b.hundred): b for b in Block.objects.all()}
    to_create, to_update = [], []
    for spec in grid_blocks():
        values = {
            "from_street": spec["from_street"],
            "to_street": spec["to_street"],
            "geometry": spec["geometry"],
        }
        if in_pilot(spec):
            values["zone_id"] = zone.pk
        block = existing.get((spec["street"], spec["hundred"]))
        if block is None:
            to_create.append(Block(street=spec["street"], hundred=spec["hundred"], **values))
        elif any(getattr(block, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(block, key, value)
            to_update.append(block)
    Block.objects.bulk_create(to_create, batch_size=500)
    Block.objects.bulk_update(
        to_update, ["from_street", "to_street", "geometry", "zone"], batch_size=500
    )
    return zone, zone_created, len(to_create), len(to_update)
