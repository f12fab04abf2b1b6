"""The network's real bootstrap: the national portal, the 19 centres' sites, their
groups, collections and permissions, the working groups' spaces, the legal pages and the
empty listings every site needs (`manage.py bootstrap_network`). No demo content and no
account: production runs it, and the demo (`demo/`) builds on it.

It imports the content apps and `centres`; only `demo` imports it."""
