"""The network map of `/les-crpv/`, drawn as inline SVG on the server: no tile server
can be reached from here, and the map must read without JavaScript.

Metropolitan centres are placed by latitude/longitude on a schematic outline of
France; the Île-de-France centres, too close to tell apart, get an enlarged inset;
each overseas centre gets an inset box of its own."""

import math
from dataclasses import dataclass

# Schematic outline of metropolitan France (lat, lon), clockwise from Dunkirk.
FRANCE_OUTLINE = [
    (51.09, 2.54),
    (50.95, 1.85),
    (50.1, 1.5),
    (49.75, 0.25),
    (49.45, 0.15),
    (49.3, -0.3),
    (49.7, -1.3),
    (49.65, -1.9),
    (48.65, -1.55),
    (48.85, -3.0),
    (48.7, -4.0),
    (48.4, -4.8),
    (48.0, -4.7),
    (47.75, -3.9),
    (47.5, -2.9),
    (47.25, -2.2),
    (46.5, -1.8),
    (46.0, -1.15),
    (45.55, -1.2),
    (44.6, -1.25),
    (43.5, -1.5),
    (43.35, -1.75),
    (43.0, -0.8),
    (42.8, 0.6),
    (42.55, 1.5),
    (42.45, 2.5),
    (42.43, 3.17),
    (43.0, 3.05),
    (43.3, 3.5),
    (43.55, 4.1),
    (43.35, 5.0),
    (43.2, 5.4),
    (43.1, 6.0),
    (43.25, 6.65),
    (43.55, 7.0),
    (43.78, 7.5),
    (44.1, 7.7),
    (44.4, 6.9),
    (45.1, 7.1),
    (45.9, 7.0),
    (46.4, 6.2),
    (46.6, 6.1),
    (47.45, 7.0),
    (47.6, 7.6),
    (48.0, 7.6),
    (48.95, 8.2),
    (49.2, 6.9),
    (49.5, 6.35),
    (49.5, 5.8),
    (50.15, 4.85),
    (49.95, 4.2),
    (50.3, 3.7),
    (50.75, 2.9),
]
CORSICA_OUTLINE = [(43.0, 9.45), (42.6, 9.5), (41.4, 9.2), (41.85, 8.65), (42.5, 8.6)]

WIDTH, HEIGHT = 700, 560
METRO_BOX = (20, 20, 400, 440)  # x, y, width, height of the metropolitan frame
LAT_MIN, LAT_MAX, LON_MIN, LON_MAX = 41.2, 51.3, -5.3, 9.8
IDF_BOUNDS = (48.45, 49.4, 1.75, 2.95)  # lat_min, lat_max, lon_min, lon_max
IDF_BOX = (440, 20, 250, 150)
OVERSEAS_BOX_HEIGHT = 70


# Where a label sits relative to its marker (text-anchor, dx, dy), for centres whose
# neighbours are too close for the default "to the right".
LABEL_PLACEMENT = {
    "villes-au-carre": ("middle", 0, -12),
    "resovilles": ("end", -10, 4),
    "trajectoires-ressources": ("middle", 0, 20),
    "villes-et-territoires": ("end", -10, 4),
    "cite-ressources": ("middle", 0, 20),
    "oriv": ("end", -10, 4),
    "pqna": ("start", 10, 4),
    "profession-banlieue": ("start", 10, -2),
    "ressources-urbaines": ("start", 10, 12),
    "pole-ressources": ("start", 10, -4),
}
DEFAULT_PLACEMENT = ("start", 10, 4)


@dataclass
class Marker:
    x: float
    y: float
    name: str
    url: str | None
    anchor: str = "start"
    dx: int = 10
    dy: int = 4


def _marker(x, y, centre, url):
    anchor, dx, dy = LABEL_PLACEMENT.get(centre.slug, DEFAULT_PLACEMENT)
    return Marker(x, y, centre.name, url, anchor, dx, dy)


@dataclass
class Inset:
    x: float
    y: float
    width: float
    height: float
    title: str


def _project(lat, lon, box, bounds):
    lat_min, lat_max, lon_min, lon_max = bounds
    bx, by, bw, bh = box
    # Equirectangular with the cosine of the mean latitude: close enough for a schematic.
    k = math.cos(math.radians((lat_min + lat_max) / 2))
    span_x = (lon_max - lon_min) * k
    span_y = lat_max - lat_min
    scale = min(bw / span_x, bh / span_y)
    x = bx + (lon - lon_min) * k * scale
    y = by + (lat_max - lat) * scale
    return round(x, 1), round(y, 1)


def _points(outline, box, bounds):
    return " ".join("{},{}".format(*_project(lat, lon, box, bounds)) for lat, lon in outline)


def _in_idf(centre):
    lat_min, lat_max, lon_min, lon_max = IDF_BOUNDS
    return lat_min <= centre.latitude <= lat_max and lon_min <= centre.longitude <= lon_max


def network_map(entries):
    """entries: [(centre, site_url)]. Returns what the template needs to draw the map."""
    metro_bounds = (LAT_MIN, LAT_MAX, LON_MIN, LON_MAX)
    markers, insets = [], [Inset(*IDF_BOX, title="Île-de-France")]
    overseas = [(c, url) for c, url in entries if c.overseas]
    for centre, url in entries:
        if centre.overseas or centre.latitude is None or centre.longitude is None:
            continue
        if _in_idf(centre):
            x, y = _project(centre.latitude, centre.longitude, IDF_BOX, IDF_BOUNDS)
        else:
            x, y = _project(centre.latitude, centre.longitude, METRO_BOX, metro_bounds)
        markers.append(_marker(x, y, centre, url))
    top = IDF_BOX[1] + IDF_BOX[3] + 12
    for index, (centre, url) in enumerate(overseas):
        box = Inset(
            440, top + index * (OVERSEAS_BOX_HEIGHT + 8), 250, OVERSEAS_BOX_HEIGHT, centre.territory
        )
        insets.append(box)
        markers.append(Marker(box.x + 24, box.y + box.height / 2 + 8, centre.name, url))
    height = max(HEIGHT, top + len(overseas) * (OVERSEAS_BOX_HEIGHT + 8) + 10)
    return {
        "width": WIDTH,
        "height": height,
        "france": _points(FRANCE_OUTLINE, METRO_BOX, metro_bounds),
        "corsica": _points(CORSICA_OUTLINE, METRO_BOX, metro_bounds),
        "insets": insets,
        "markers": markers,
    }
