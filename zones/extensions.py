"""What the apps above zones add to its pages, without zones importing them
(DESIGN.md: zones imports no app above it). Each app registers in its
AppConfig.ready():

- a map layer: another colouring of the staff map's blocks (canvass: each
  block's state). The map page lists the layers in a switch; zone_map.js
  fetches a layer's URL when it is chosen, an object
  {"states": {block id: value}, "legend": [[value, label, colour], ...]}.
- a zone admin link: a page about one zone, owned by another app (canvass:
  the zone's progress; trainings: its follow-up list), shown among the
  zone's change page buttons.
- a progress provider: totals for the public zone progress page, never per
  block. `provide(zones)` returns {zone id: context} for the `template` it
  names; the page is kept rendered under "coverage" and the provider's
  `depends_on` generations (pagecache).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class MapLayer:
    key: str
    label: object  # a lazy translation
    url: object  # url(zone) -> str; zone is None for the map of all blocks


@dataclass(frozen=True)
class ZoneAdminLink:
    label: object
    url: object  # url(zone) -> str
    # url(zone) is shown only when the user may see it: allowed(user) -> bool
    allowed: object


@dataclass(frozen=True)
class ProgressProvider:
    provide: object  # provide(zones) -> {zone id: context}
    template: str
    depends_on: tuple


MAP_LAYERS = {}
ZONE_ADMIN_LINKS = {}
PROGRESS_PROVIDERS = {}


def map_layer_register(key, *, label, url):
    MAP_LAYERS[key] = MapLayer(key=key, label=label, url=url)


def zone_admin_link_register(key, *, label, url, allowed=lambda user: True):
    ZONE_ADMIN_LINKS[key] = ZoneAdminLink(label=label, url=url, allowed=allowed)


def progress_provider_register(key, *, provide, template, depends_on=()):
    PROGRESS_PROVIDERS[key] = ProgressProvider(provide=provide, template=template, depends_on=tuple(depends_on))


def map_layers_for(zone):
    """[(key, label, url)] of the registered layers for the map of `zone`."""
    return [(layer.key, layer.label, layer.url(zone)) for layer in MAP_LAYERS.values()]


def zone_admin_links_for(zone, user):
    return [(link.label, link.url(zone)) for link in ZONE_ADMIN_LINKS.values() if link.allowed(user)]


def progress_generations():
    return sorted({name for provider in PROGRESS_PROVIDERS.values() for name in provider.depends_on})


def progress_parts(zones):
    """{zone id: [(template, context)]} from every provider, in the order
    they registered."""
    parts = {zone.pk: [] for zone in zones}
    for provider in PROGRESS_PROVIDERS.values():
        contexts = provider.provide(zones)
        for zone in zones:
            if zone.pk in contexts:
                parts[zone.pk].append((provider.template, contexts[zone.pk]))
    return parts
