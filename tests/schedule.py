"""The order in which xdist hands test files to its workers (`--dist loadfile` with
`--no-loadscope-reorder`: files go out in collection order, the next one to whichever
worker is nearly done).

The first test that needs the database makes its worker build the seeded template
(tests/seeded_db.py, some 90 s); any other worker needing it waits for it. So the first
file handed out is the largest that needs the database (its worker starts seeding at
once), then come the files that never touch it (the production bootstrap's own
database, settings, server and upgrade checks: about as long as the seed), which the
other worker runs meanwhile, then the others, most tests first as xdist orders them by
default (spreading the browser tests among the others was tried: the run was slower,
Chromium taking its share of the two cores from the tests beside it)."""

DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}


def needs_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def order(items: list) -> list:
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)
    with_db = [f for f, tests in files.items() if any(map(needs_database, tests))]
    without_db = [f for f in files if f not in with_db]
    with_db.sort(key=lambda f: -len(files[f]))  # stable: collection order among equals
    ordered = with_db[:1] + without_db + with_db[1:]
    return [item for f in ordered for item in files[f]]
