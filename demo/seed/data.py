"""The network's facts, which the demo reads from the network's bootstrap app."""

from network.facts import ACCENTS, COORDINATES, DATA_FILE, network

__all__ = ["ACCENTS", "COORDINATES", "DATA_FILE", "network"]
