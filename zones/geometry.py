"""Reading a block's GeoJSON geometry (zones.models.Block.geometry), for the
maps drawn from it without any map service: the printed packet's
(zones.packets) and the canvasser's phone's (canvass.tally)."""


def geometry_lines(geometry):
    """The lines of a LineString or MultiLineString, each a list of
    [lng, lat] points; [] for no geometry or any other type, so a map just
    leaves that block out."""
    if not geometry:
        return []
    if geometry.get("type") == "LineString":
        return [geometry.get("coordinates") or []]
    if geometry.get("type") == "MultiLineString":
        return geometry.get("coordinates") or []
    return []
