"""The agenda end to end, in Chromium: an editor of an overseas centre (CRCSUR, La
Réunion, UTC+4) creates a two-session webinar series in the Wagtail admin, the second
session with "Copier pour la séance suivante"; then, as an anonymous visitor, the
sessions show in the centre's agenda and in the national one (filtered with the GET
form, JavaScript off), on the series page and on each session's page, in local time
with Paris time alongside; the filtered calendar feed parses with `icalendar` and
carries the local times in the Indian/Reunion zone; axe-core finds nothing to report
on the agenda pages and the filter form works with the keyboard."""

import re
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import parse_qs, urljoin, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.dateformat import format as date_format

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from agenda.models import Attendance, EventPage, EventSeriesPage
from centres.models import Centre
from demo.seed.network import DEMO_PASSWORD

from .axe import describe_violations, run_axe

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}
CENTRE = "crcsur"
EDITOR = f"editeur-{CENTRE}"
REUNION = ZoneInfo("Indian/Reunion")
PARIS = ZoneInfo("Europe/Paris")

SERIES = "Habiter les quartiers ultramarins"
SERIES_INTRO = "Deux webinaires sur l'habitat dans les quartiers de La Réunion."
SESSION_1 = "Habiter les quartiers ultramarins : séance 1"
SESSION_2 = "Habiter les quartiers ultramarins : séance 2"
ONLINE_URL = "https://visio.example.org/crcsur/habiter"
THEME = "habitat"

OVERFLOW_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
FOCUS_JS = """() => {
    const el = document.activeElement, style = getComputedStyle(el);
    return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
            label: el.labels && el.labels.length ? el.labels[0].textContent.trim() : '',
            inForm: !!el.closest('form.filters'), outline: style.outlineStyle,
            outlineWidth: parseFloat(style.outlineWidth) || 0,
            text: (el.textContent || '').trim().slice(0, 40)};
}"""

FETCH_JS = "url => fetch(url).then(async r => [r.status, await r.text()])"


def clock(moment: datetime) -> str:
    """A time as the portal writes it: "14 h 00", with no-break spaces."""
    return date_format(moment, "G\u00a0\\h\u00a0i")


def public_path(page) -> str:
    """A page's path on its own site (the live server's port is not the Site's)."""
    return urlsplit(page.get_full_url()).path


# --- the editor, in the Wagtail admin ----------------------------------------------


def log_in(page, portal):
    page.goto(portal.centre_url(CENTRE, "/admin/login/"))
    page.locator("#id_username").fill(EDITOR)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    expect(page).to_have_url(portal.centre_url(CENTRE, "/admin/"))


def publish(page, what):
    """The footer's action menu, then "Publier"; Wagtail then shows the parent's
    listing. On a validation error the form stays: report its messages."""
    page.locator("footer").get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name="Publier", exact=True).click()
    try:
        expect(page).to_have_url(re.compile(r"/admin/pages/\d+/$"))
    except AssertionError:
        shot = f"/tmp/agenda-publish-{what}.png"
        page.screenshot(path=shot)
        errors = page.locator(".error-message, .w-field__errors, .messages").all_inner_texts()
        pytest.fail(f"publishing {what} failed ({page.url}, {shot}): {errors}", pytrace=False)


def choose_format(page, name):
    """The format is a plain select of the managed list."""
    page.locator("#id_event_format").select_option(label=name)


def create_series(page, portal, day: date):
    """The series under the centre's agenda, its first session under the series, the
    second one copied from the first. Returns the series page from the database."""
    centre = Centre.objects.get(slug=CENTRE)
    agenda = centre.home_page.get_children().get(slug="agenda")

    # The agenda's listing in the admin, then "add a child page", then the page type.
    page.goto(portal.centre_url(CENTRE, f"/admin/pages/{agenda.pk}/"))
    page.get_by_role("link", name="Ajouter une sous-page", exact=True).first.click()
    page.get_by_role("link", name="Cycle d’événements", exact=True).click()
    page.locator("#id_title").fill(SERIES)
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()  # rich text
    page.keyboard.type(SERIES_INTRO)
    # Draftail copies its content to the form's hidden input a moment later.
    expect(page.locator("#id_introduction")).to_have_value(re.compile(re.escape(SERIES_INTRO)))
    publish(page, "series")
    expect(page).to_have_url(portal.centre_url(CENTRE, f"/admin/pages/{agenda.pk}/"))

    # First session: the series' "add a child page" (only events are allowed there).
    add_session = re.compile(r"Ajouter une sous-page à .*" + re.escape(SERIES))
    page.get_by_role("link", name=add_session).click()
    expect(page.locator("#id_title")).to_be_visible()
    page.locator("#id_title").fill(SESSION_1)
    # Dates are typed in the centre's local time; the form starts in its time zone.
    expect(page.locator("#id_time_zone")).to_have_value("Indian/Reunion")
    page.locator("#id_start_date").fill(day.strftime(settings.WAGTAIL_DATE_FORMAT))
    page.locator("#id_start_time").fill("14:00")
    page.locator("#id_end_time").fill("15:30")
    page.keyboard.press("Escape")  # closes the date-time picker
    choose_format(page, "Webinaire")
    page.locator("#id_attendance").select_option(label="en ligne")
    page.locator("#id_online_url").fill(ONLINE_URL)
    # The form ticks the owning centre as organiser by default.
    expect(page.get_by_label(centre.name, exact=True)).to_be_checked()
    tag_input = page.locator(".w-field__input:has(#id_tags) ul.tagit input")
    tag_input.fill(THEME)
    tag_input.press("Enter")
    expect(page.locator("#id_tags")).to_have_value(THEME)
    page.locator("#id_summary").fill("Diagnostic : le logement dans les quartiers prioritaires.")
    publish(page, "session-1")

    series = EventSeriesPage.objects.get(title=SERIES)
    expect(page).to_have_url(portal.centre_url(CENTRE, f"/admin/pages/{series.pk}/"))

    # Second session: "Copier pour la séance suivante" in the session's "more" menu.
    more = re.compile(r"Plus d.options pour .*" + re.escape(SESSION_1))
    page.get_by_role("button", name=more).click()
    page.get_by_role("link", name="Copier pour la séance suivante").click()
    next_day = day + timedelta(days=7)
    expect(page.locator("main")).to_contain_text("7 jours plus tard")
    expect(page.locator("main")).to_contain_text(date_format(next_day, "l j F Y"))
    page.get_by_role("button", name="Créer la séance suivante").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.locator(".messages")).to_contain_text("Séance suivante créée en brouillon")
    # Everything is copied, a week later: check, adjust the title, publish.
    expect(page.locator("#id_start_date")).to_have_value(
        next_day.strftime(settings.WAGTAIL_DATE_FORMAT)
    )
    expect(page.locator("#id_start_time")).to_have_value("14:00")
    expect(page.locator("#id_end_time")).to_have_value("15:30")
    expect(page.locator("#id_time_zone")).to_have_value("Indian/Reunion")
    expect(page.locator("#id_attendance")).to_have_value(Attendance.ONLINE)
    expect(page.locator("#id_online_url")).to_have_value(ONLINE_URL)
    expect(page.locator("#id_tags")).to_have_value(THEME)
    expect(page.get_by_label(centre.name, exact=True)).to_be_checked()
    page.locator("#id_title").fill(SESSION_2)
    page.locator("#id_summary").fill("Leviers : les outils de la rénovation urbaine.")
    publish(page, "session-2")
    expect(page).to_have_url(portal.centre_url(CENTRE, f"/admin/pages/{series.pk}/"))
    return series


def check_stored(series, day):
    series.refresh_from_db()
    assert series.live and SERIES_INTRO in series.introduction, series.introduction
    sessions = list(series.sessions().prefetch_related("organisers", "tagged_items__tag"))
    assert [s.title for s in sessions] == [SESSION_1, SESSION_2]
    for session, session_day in zip(sessions, [day, day + timedelta(days=7)]):
        assert session.live and not session.has_unpublished_changes, session
        assert session.time_zone == "Indian/Reunion"
        assert session.starts_at == datetime.combine(session_day, time(14), REUNION)
        assert session.starts_at.astimezone(UTC).time() == time(10)
        assert session.ends_at == datetime.combine(session_day, time(15, 30), REUNION)
        assert session.event_format.name == "Webinaire"
        assert session.attendance == Attendance.ONLINE and session.online_url == ONLINE_URL
        assert [c.slug for c in session.organisers.all()] == [CENTRE]
        assert [t.tag.name for t in session.tagged_items.all()] == [THEME]
    assert sessions[0].translation_key != sessions[1].translation_key
    return sessions


# --- the visitor -------------------------------------------------------------------


def card(page, title):
    return page.locator("ul.event-list > li.event-card").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )


def expect_local_time(locator, session):
    """Local time with its UTC offset, then Paris time (the two differ in La Réunion)."""
    paris = session.starts_at.astimezone(PARIS)
    paris_end = session.ends_at.astimezone(PARIS)
    expect(locator).to_contain_text("de 14 h 00 à 15 h 30 (heure locale, UTC+04:00)")
    expect(locator).to_contain_text(
        f"à Paris\u00a0: {date_format(paris, 'l j F Y')}, de {clock(paris)} à {clock(paris_end)}"
    )


def check_listings(page, portal, sessions):
    for url in (portal.centre_url(CENTRE, "/agenda/"), portal.url("/agenda/")):
        page.goto(url)
        for session in sessions:
            item = card(page, session.title)
            expect(item).to_have_count(1)
            expect_local_time(item.locator(".event-card__when"), session)
            expect(item).to_contain_text("Webinaire · en ligne")
            expect(item).to_contain_text("Organisé par CRCSUR")
            expect(item.get_by_role("link", name=session.title)).to_have_attribute(
                "href", re.compile(re.escape(public_path(session)) + "$")
            )


def filter_national_agenda(page, portal, sessions):
    """The national agenda narrowed to CRCSUR's webinars with the form itself, in a
    browser without JavaScript. Returns the address of the filtered calendar."""
    page.goto(portal.url("/agenda/"))
    form = page.locator("form.filters")
    form.get_by_label("Centre").select_option(CENTRE)
    form.get_by_label("Format").select_option("webinaire")
    form.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"/agenda/\?"))
    query = parse_qs(urlsplit(page.url).query)
    assert query["centre"] == [CENTRE] and query["format"] == ["webinaire"], page.url
    # The form shows the filters applied, and only CRCSUR's webinars are listed.
    expect(form.get_by_label("Centre")).to_have_value(CENTRE)
    expect(form.get_by_label("Format")).to_have_value("webinaire")
    for session in sessions:
        expect(card(page, session.title)).to_have_count(1)
    for text in page.locator("ul.event-list > li.event-card").all_inner_texts():
        assert "Webinaire" in text and "CRCSUR" in text, f"not a CRCSUR webinar: {text}"
    # Another centre's webinar (seeded, upcoming) is listed without the filters only.
    other = (
        EventPage.objects.live()
        .filter(event_format__slug="webinaire")
        .exclude(organisers__slug=CENTRE)
        .filter(organisers__slug="irev")
        .first()
    )
    assert other is not None, "the demo has no IREV webinar any more: pick another one"
    expect(card(page, other.title)).to_have_count(0)
    expect(page.get_by_role("link", name="Effacer les filtres")).to_be_visible()
    href = page.locator('head link[rel="alternate"][type="text/calendar"]').get_attribute("href")
    feed = urljoin(page.url, href)
    filters = parse_qs(urlsplit(feed).query)
    filters.pop("when", None)  # the period select has a default, "à venir"
    assert filters == {"centre": [CENTRE], "format": ["webinaire"]}, feed
    # The same filters on the visible "subscribe" link.
    expect(page.get_by_role("link", name="calendrier (iCalendar)")).to_have_attribute("href", href)
    return feed


def check_calendar(context, feed_url, sessions):
    response = context.request.get(feed_url)
    assert response.status == 200, (feed_url, response.status)
    assert response.headers["content-type"].startswith("text/calendar"), response.headers
    calendar = Calendar.from_ical(response.body())
    events = list(calendar.walk("VEVENT"))
    by_summary = {str(event["SUMMARY"]): event for event in events}
    uids = [str(event["UID"]) for event in events]
    assert len(uids) == len(set(uids)), f"duplicate UIDs: {uids}"
    tzids = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert "Indian/Reunion" in tzids, tzids

    for session in sessions:
        assert session.title in by_summary, f"{session.title} not in {sorted(by_summary)}"
        event = by_summary[session.title]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        local_day = session.starts_at.astimezone(REUNION).date()
        assert (start.date(), start.time(), end.time()) == (local_day, time(14), time(15, 30))
        assert getattr(start.tzinfo, "key", str(start.tzinfo)) == "Indian/Reunion", start.tzinfo
        assert event["DTSTART"].params.get("TZID") == "Indian/Reunion", event["DTSTART"].params
        assert start.utcoffset() == timedelta(hours=4)
        assert start.astimezone(UTC).time() == time(10), start
        assert urlsplit(str(event["URL"])).hostname == f"{CENTRE}.localhost", event["URL"]
        assert str(event["LOCATION"]) == ONLINE_URL
        categories = [str(category) for category in event.categories]
        assert categories == ["Webinaire", THEME], categories

    # Nothing but CRCSUR's webinars: every event's UID leads to one of its events.
    keys = {uid.split("@", 1)[0] for uid in uids}
    found = EventPage.objects.filter(translation_key__in=keys)
    assert found.count() == len(keys), "a UID matches no event"
    strangers = [
        e.title
        for e in found
        if not e.organisers.filter(slug=CENTRE).exists()
        or not (e.event_format and e.event_format.slug == "webinaire")
    ]
    assert not strangers, f"events of other centres or formats in the feed: {strangers}"


def check_series_and_sessions(page, portal, series, sessions):
    page.goto(portal.centre_url(CENTRE, public_path(series)))
    expect(page.locator("main h1")).to_have_text(SERIES)
    expect(page.locator("main .lead")).to_have_text(SERIES_INTRO)
    expect(page.get_by_role("heading", name="2 séances")).to_be_visible()
    items = page.locator("ol.sessions > li")
    expect(items).to_have_count(2)
    for item, session in zip(items.all(), sessions):
        expect(item.get_by_role("link")).to_have_text(session.title)
        expect_local_time(item, session)
    items.first.get_by_role("link").click()

    for current, sibling in (sessions, sessions[::-1]):
        expect(page.locator("main h1")).to_have_text(current.title)
        facts = page.locator("dl.facts")
        expect_local_time(facts, current)
        expect(facts).to_contain_text("en ligne")
        expect(page.locator("main p.meta").first).to_contain_text("Webinaire")
        expect(facts.get_by_role("link", name="Lien de connexion")).to_have_attribute(
            "href", ONLINE_URL
        )
        nav = page.get_by_role("navigation", name=f"Le cycle « {SERIES} »")
        expect(nav.locator('[aria-current="page"]')).to_have_text(current.title)
        # "Ajouter à mon agenda": the session alone, with the UID the agenda's feed gives it.
        ics = page.get_by_role("link", name="Ajouter à mon agenda (.ics)").get_attribute("href")
        # Fetched by the page itself: Chromium resolves *.localhost, Playwright's own
        # request client (Node's resolver) does not.
        status, body = page.evaluate(FETCH_JS, urljoin(page.url, ics))
        assert status == 200, (ics, status)
        (event,) = Calendar.from_ical(body).walk("VEVENT")
        assert str(event["UID"]).startswith(f"{current.translation_key}@"), event["UID"]
        start = event.decoded("DTSTART")
        assert (start.time(), getattr(start.tzinfo, "key", None)) == (time(14), "Indian/Reunion")
        nav.get_by_role("link", name=sibling.title, exact=True).click()
    # Back on the first session after following both sibling links.
    expect(page.locator("main h1")).to_have_text(sessions[0].title)


def check_keyboard_filters(page, filtered_url):
    """Every filter is reached with Tab, in order, has a label and shows its focus;
    Enter on the button submits the form."""
    page.goto(filtered_url)
    controls = page.locator("form.filters").locator("select, button")
    expected = [
        (c.evaluate("e => e.tagName.toLowerCase()"), c.get_attribute("id") or "")
        for c in controls.all()
    ]
    assert len(expected) >= 5 and expected[-1][0] == "button", expected
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        if focus["inForm"]:
            stops.append(focus)
        if focus["tag"] == "button" and focus["inForm"]:
            break
    in_form = [(f["tag"], f["id"]) for f in stops if f["tag"] in ("select", "button")]
    assert in_form == expected, f"Tab order in the filter form: {in_form}, expected {expected}"
    for focus in stops:
        if focus["tag"] == "select":
            assert focus["label"], f"filter without a label: {focus}"
        visible = focus["outline"] != "none" and focus["outlineWidth"] >= 2
        assert visible, f"focus not visible: {focus}"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"centre={CENTRE}"))
    expect(page.locator("form.filters").get_by_label("Format")).to_have_value("webinaire")


def check_axe(page, portal, axe_source, filtered_url, series, sessions):
    pages = [
        ("national agenda", portal.url("/agenda/")),
        ("centre agenda", portal.centre_url(CENTRE, "/agenda/")),
        ("filtered agenda", filtered_url),
        ("series page", portal.centre_url(CENTRE, public_path(series))),
        ("event page", portal.centre_url(CENTRE, public_path(sessions[0]))),
    ]
    report = []
    for what, url in pages:
        response = page.goto(url)
        problems = [] if response.status == 200 else [f"HTTP {response.status}"]
        violations = run_axe(page, axe_source)
        if violations:
            problems.append("axe-core violations:\n" + describe_violations(violations))
        page.set_viewport_size({"width": 320, "height": 640})
        if (overflow := page.evaluate(OVERFLOW_JS)) > 0:
            problems.append(f"scrolls sideways by {overflow}px at 320px wide")
        page.set_viewport_size(VIEWPORT)
        if problems:
            report.append(f"{what} ({url}):\n  " + "\n  ".join(problems))
    if report:
        pytest.fail("Accessibility problems:\n" + "\n".join(report), pytrace=False)


def test_webinar_series_from_admin_to_calendar(browser, portal, axe_source, subtests):
    """One live-server test (each one ends with a flush and the next seeds again). The
    admin part must succeed; the visitor's checks are subtests, all reported."""
    # A few days ahead, before the demo's own upcoming events: first page of the listings.
    day = datetime.now(REUNION).date() + timedelta(days=3)
    with browser.new_context(locale="fr-FR", viewport=VIEWPORT) as context:
        page = context.new_page()
        log_in(page, portal)
        series = create_series(page, portal, day)
    sessions = check_stored(series, day)

    filtered = feed = None
    with browser.new_context(
        java_script_enabled=False, locale="fr-FR", viewport=VIEWPORT
    ) as context:
        page = context.new_page()
        with subtests.test("national agenda filtered with the form, without JavaScript"):
            feed = filter_national_agenda(page, portal, sessions)
            filtered = page.url
        with subtests.test("filtered calendar feed, local times in Indian/Reunion"):
            if feed is None:
                pytest.fail("no calendar address: filtering the agenda failed", pytrace=False)
            check_calendar(context, feed, sessions)

    # The form's own address, else the same filters written by hand.
    filtered = filtered or portal.url(f"/agenda/?centre={CENTRE}&format=webinaire")
    with browser.new_context(locale="fr-FR", viewport=VIEWPORT) as context:
        page = context.new_page()
        with subtests.test("centre and national agendas list both sessions"):
            check_listings(page, portal, sessions)
        with subtests.test("series page and sessions linked to each other"):
            check_series_and_sessions(page, portal, series, sessions)
        with subtests.test("axe-core on the agenda pages, reflow at 320 px"):
            check_axe(page, portal, axe_source, filtered, series, sessions)
        with subtests.test("filter form with the keyboard"):
            check_keyboard_filters(page, filtered)
