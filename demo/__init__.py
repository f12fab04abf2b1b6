"""Demo content and accounts for the whole network (`manage.py seed_network`), on top of
the network's real bootstrap (`network/`, whose facts it reads too). Installed by the
dev, test and bench settings, never by production's.

This app sits at the top of the import graph: it may import every content app, and
no app imports it."""
