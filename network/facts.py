"""The network's facts (network/data/network.json, copied from the network's shared data
file) and what the file leaves out: where each centre sits on the map. The bootstrap
reads them, and so does the demo content."""

import json
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "network.json"

# City coordinates (latitude, longitude) for the network map. Centres without a city
# in the data are placed at their territory's main town.
COORDINATES = {
    "irev": (50.63, 3.06),
    "labo-cites": (45.76, 4.84),
    "profession-banlieue": (48.94, 2.36),
    "oriv": (48.57, 7.75),
    "villes-au-carre": (47.39, 0.69),
    "cite-ressources": (43.30, 5.37),
    "pqna": (44.84, -0.58),
    "trajectoires-ressources": (47.24, 6.02),
    "resovilles": (47.22, -1.55),
    "villes-et-territoires": (43.60, 1.44),
    "crpv-normandie": (49.18, -0.37),
    "pole-ressources": (49.04, 2.06),
    "ressources-urbaines": (48.86, 2.35),
    "crpve": (48.63, 2.44),
    "crcsur": (-20.88, 55.45),
    "crpv-guadeloupe": (16.24, -61.53),
    "crpv-martinique": (14.64, -61.02),
    "crpv-guyane": (4.93, -52.33),
    "crpv-mayotte": (-12.78, 45.23),
}

# Accent colours, all with a contrast of at least 4.5:1 against white text.
ACCENTS = [
    "#1d4f91",
    "#7a2e8c",
    "#0b6e4f",
    "#a33b00",
    "#005f73",
    "#8a1c40",
    "#3d5a00",
    "#5b3f99",
    "#00607a",
    "#8b3a00",
]


@cache
def network() -> dict:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)
