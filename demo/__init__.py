"""Demo content for the whole network, from the facts in `demo/data/network.json`.

This app sits at the top of the import graph: it may import every content app, and
no app imports it."""
