"""Capacity under concurrency (issue #20): 500 registrations sent in parallel, each in
its own thread's connection as a threaded server's requests are, at a 120-seat webinar
give exactly 120 confirmed seats and 380 on the waiting list, in arrival order, none
lost and none twice. The database is the suite's (PostgreSQL with DATABASE_URL): the
opening's row lock (`registrations.booking`) is what is tested."""

import threading

from django.db import connection

from agenda.models import AgendaPage, Attendance
from centres.models import Centre
from registrations import booking
from registrations.models import Registrant, Seat

from .factories import EventPageFactory, OpeningFactory
from .task_worker import committed_db  # noqa: F401

PEOPLE, SEATS, THREADS = 500, 120, 16


def test_500_parallel_registrations_at_a_120_seat_webinar(committed_db):
    home = Centre.objects.get(slug="irev").home_page
    webinar = EventPageFactory(
        parent=AgendaPage.objects.child_of(home).get(), attendance=Attendance.ONLINE
    )
    opening = OpeningFactory(page=webinar, capacity=SEATS)
    start = threading.Barrier(THREADS)
    outcomes, errors = [], []

    def send(numbers):
        try:
            start.wait(timeout=60)  # every thread starts at once
            for number in numbers:
                outcomes.append(booking.register(opening, f"p{number}@exemple.fr", [webinar]))
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=send, args=(range(n, PEOPLE, THREADS),)) for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors and not any(t.is_alive() for t in threads)
    assert sum(len(o.confirmed) for o in outcomes) == SEATS
    assert sum(len(o.waiting) for o in outcomes) == PEOPLE - SEATS
    seats = Seat.objects.filter(event=webinar)
    assert seats.count() == PEOPLE
    assert seats.filter(status=Seat.CONFIRMED).count() == SEATS
    assert seats.filter(status=Seat.WAITING).count() == PEOPLE - SEATS
    assert Registrant.objects.filter(opening=opening).values("email").distinct().count() == PEOPLE
    # Whoever was confirmed registered before whoever waits.
    confirmed_last = max(seats.filter(status=Seat.CONFIRMED).values_list("pk", flat=True))
    waiting_first = min(seats.filter(status=Seat.WAITING).values_list("pk", flat=True))
    assert confirmed_last < waiting_first
