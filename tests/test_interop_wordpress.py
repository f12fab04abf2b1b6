"""manage.py import_wordpress: the test export (tests/fixtures/wordpress-irev.xml: posts,
pages, events, publications, accents, shortcodes, broken links, missing attachments)
imported into IREV's site, its attachments fetched over HTTP from a local server; run
twice; a dry run; and bad files refused whole."""

import io
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, Revision

import pytest
from PIL import Image as PILImage

from agenda.models import EventPage
from home.models import ContentPage
from interop.models import ImportedItem
from interop.wxr import importer
from publications.models import NewsPage, PublicationPage

from .interop_http import http_files  # noqa: F401

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "wordpress-irev.xml"
HOST = "irev.localhost"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (30, 20), "#1d4f91").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def old_site(http_files, tmp_path):
    """The former WordPress site: its uploads on the local server, the export pointing at it."""
    http_files["/wp-content/uploads/2023/05/photo-seminaire.png"] = (png(), "image/png")
    http_files["/wp-content/uploads/2023/06/guide-egalite.pdf"] = (PDF, "application/pdf")
    path = tmp_path / "export.xml"
    path.write_text(
        FIXTURE.read_text(encoding="utf-8").replace("OLD_SITE", http_files.base), encoding="utf-8"
    )
    return path


def run(path, *extra):
    out = io.StringIO()
    call_command(
        "import_wordpress", str(path), "--site", "irev", "--no-progress", *extra, stdout=out
    )
    return out.getvalue()


def imported(post_id):
    item = ImportedItem.objects.get(origin="wordpress", key=str(post_id))
    return Page.objects.get(pk=item.page_id).specific


def counts():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        Redirect.objects.count(),
        Document.objects.count(),
        Image.objects.count(),
    )


def test_import_maps_every_type(old_site, network):
    output = run(old_site)
    irev = network.centres["irev"]
    news = imported(20)
    assert isinstance(news, NewsPage) and news.live
    assert news.title == "Retour sur le séminaire « Égalité » à Lille"
    assert news.get_parent().slug == "actualite" and news.date.isoformat() == "2023-05-12"
    assert news.summary == "Près de 80 professionnels réunis à Lille."
    # [caption] becomes a figure with its caption, [gallery] a gallery; "[sic]" is prose.
    photo = Image.objects.get(file__contains="photo-seminaire")
    kinds = [block["type"] for block in news.body.raw_data]
    assert kinds == ["figure", "paragraph", "gallery"]
    figure, text, gallery = (block["value"] for block in news.body.raw_data)
    assert figure == {
        "image": {
            "image": photo.pk,
            "decorative": False,
            "alt_text": "Les participants du séminaire",
        },
        "caption": "Les participants à Lille",
    }
    assert [item["image"]["image"] for item in gallery["images"]] == [photo.pk]
    assert "[caption" not in text and "[gallery" not in text and "[sic]" in text
    assert text.count("<p>") == 2  # the post's two paragraphs stay two
    # A plain post's category and tag become the news page's themes.
    assert set(news.tags.names()) == {"actualités", "égalité femmes-hommes"}
    assert f'<a id="{imported(30).pk}" linktype="page">centre</a>' in text
    assert 'href="https://www.anct.gouv.fr/"' in text
    assert news.image.collection == irev.collection
    assert news.image_alt == "Les participants du séminaire"  # WordPress's alt text

    guide = imported(21)
    assert isinstance(guide, PublicationPage) and guide.get_parent().slug == "ressources"
    assert list(guide.authors.all()) == [irev] and set(guide.tags.names()) == {
        "santé",
        "quartiers prioritaires",
    }
    documents = [item.document for item in guide.documents.all()]
    assert [d.filename for d in documents] == ["guide-egalite.pdf"]
    assert documents[0].collection == irev.collection
    guide_text = "".join(b["value"] for b in guide.body.raw_data if b["type"] == "paragraph")
    assert f'linktype="document" id="{documents[0].pk}"' in guide_text.replace(
        f'id="{documents[0].pk}" linktype="document"', f'linktype="document" id="{documents[0].pk}"'
    )
    assert f'id="{news.pk}" linktype="page"' in guide_text
    assert isinstance(imported(22), PublicationPage)  # a post filed under "Publications"

    team = imported(31)
    assert isinstance(team, ContentPage) and team.get_parent().pk == imported(30).pk
    # Linked from its parent, imported before it: resolved by the second pass.
    centre_blocks = imported(30).body.raw_data
    assert centre_blocks[0]["type"] == "heading"
    assert centre_blocks[0]["value"] == {"text": "Nos missions", "level": "h2"}
    assert f'id="{team.pk}" linktype="page"' in centre_blocks[1]["value"]

    event = imported(40)
    assert isinstance(event, EventPage) and event.get_parent().slug == "agenda"
    assert (str(event.start_date), str(event.start_time), str(event.end_time)) == (
        "2027-03-16",
        "09:30:00",
        "17:00:00",
    )
    assert (event.venue, event.city) == ("Maison Folie Wazemmes", "Lille")
    assert list(event.organisers.all()) == [irev] and set(event.tags.names()) == {"habitat"}

    for reason in [
        "rapport-manquant.pdf : réponse HTTP 404",  # missing: reported, not fatal
        "lien cassé vers l'ancien site : ",
        "non repris ×1 : shortcode [contact-form-7] — dans ",
        "type de fichier non accepté par le portail (.exe)",
        "non publié sur WordPress (statut « draft »)",
        "élément de menu",
        "événement sans date (_EventStartDate)",
    ]:
        assert reason in output, reason
    assert "2019/01/article-supprime" in output


@pytest.mark.parametrize(
    "namespace",
    [
        "https://wordpress.org/export/1.2/",  # WordPress.com and newer exports
        "http://wordpress.org/export/1.1/",
        "http://wordpress.org/export/1.0/",
    ],
)
def test_every_wxr_version_and_namespace_is_read(old_site, network, namespace):
    def what_was_imported():
        return sorted(
            (item.key, type(Page.objects.get(pk=item.page_id).specific).__name__)
            for item in ImportedItem.objects.filter(origin="wordpress", page__isnull=False)
        )

    text = old_site.read_text(encoding="utf-8")
    with transaction.atomic():  # the WXR 1.2 export as the reference, then undone
        run(old_site)
        reference = what_was_imported()
        transaction.set_rollback(True)
    kinds = {kind for _, kind in reference}
    assert kinds == {"NewsPage", "PublicationPage", "ContentPage", "EventPage"}, reference
    assert not ImportedItem.objects.exists()
    old_site.write_text(text.replace("http://wordpress.org/export/1.2/", namespace))
    run(old_site)
    assert what_was_imported() == reference


def test_redirects_from_every_old_url(old_site, network):
    run(old_site)
    client = Client(HTTP_HOST=HOST)
    news, guide = imported(20), imported(21)
    for old, page in [
        ("/2023/05/retour-seminaire/", news),
        ("/?p=20", news),
        ("/publications/guide-egalite/", guide),
        ("/?p=21", guide),
        ("/?page_id=31", imported(31)),
        ("/evenement/journee-habiter/", imported(40)),
    ]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"].rstrip("/").endswith(page.url.rstrip("/")), old
        assert client.get(response["Location"]).status_code == 200
    pdf = client.get("/wp-content/uploads/2023/06/guide-egalite.pdf")
    # (The test storage is in memory, which Wagtail's document view cannot serve.)
    assert (pdf.status_code, pdf["Location"]) == (301, guide.documents.get().document.url)
    # Site-specific: another centre's site does not redirect IREV's old addresses.
    assert Client(HTTP_HOST="oriv.localhost").get("/2023/05/retour-seminaire/").status_code == 404


def test_rerun_updates_instead_of_duplicating(old_site, network):
    run(old_site)
    before, ids = counts(), {key: imported(key).pk for key in (20, 21, 22, 30, 31, 40)}
    output = run(old_site)
    assert counts() == before
    assert {key: imported(key).pk for key in ids} == ids
    assert "0 créé(s), 0 mis à jour, 6 inchangé(s)" in output
    # A changed post is updated in place; a page edited by hand since is left alone.
    team = imported(31)
    team.introduction = "Revu par l'équipe."
    team.save_revision(user=network.user("editeur-irev")).publish()
    old_site.write_text(
        old_site.read_text(encoding="utf-8")
        .replace("Près de 80 professionnels réunis", "Plus de 80 professionnels réunis")
        .replace("Une équipe de sept personnes", "Une équipe de huit personnes"),
        encoding="utf-8",
    )
    output = run(old_site)
    assert imported(20).summary == "Plus de 80 professionnels réunis à Lille."
    assert imported(20).pk == ids[20]
    assert "huit" not in str(imported(31).body) and "modifié à la main" in output
    assert Client(HTTP_HOST=HOST).get("/?page_id=31").status_code == 301


def test_dry_run_writes_nothing(old_site, network):
    before = counts()
    output = run(old_site, "--dry-run")
    assert output.startswith("[essai à blanc")
    assert "6 créé(s)" not in output and "créé(s)" in output
    assert counts() == before and not ImportedItem.objects.exists()


def test_a_failure_midway_rolls_everything_back(old_site, network, monkeypatch):
    # Simulates a crash after several pages were written (e.g. the database going away):
    # nothing of what the run wrote may remain, files included.
    original = importer.WordPressImport.place

    def place(self, item):
        if item.post_id == "40":
            raise RuntimeError("connexion perdue")
        return original(self, item)

    monkeypatch.setattr(importer.WordPressImport, "place", place)
    before = counts()
    with pytest.raises(RuntimeError):
        run(old_site)
    assert counts() == before and not ImportedItem.objects.exists()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss><channel><title>&lol2;</title></channel></rss>"""


@pytest.mark.parametrize(
    "content, message",
    [
        (lambda text: text[: len(text) // 2], "XML mal formé ou mal encodé (ligne"),
        (lambda text: text.encode("latin-1", "replace"), "XML mal formé ou mal encodé"),
        (lambda text: BILLION_LAUGHS, "DTD ou entités interdites"),
        (
            lambda text: '<?xml version="1.0"?><rss><channel><title>Flux</title></channel></rss>',
            "ce n'est pas un export WordPress",
        ),
    ],
)
def test_bad_files_are_refused_with_nothing_written(old_site, network, content, message):
    data = content(old_site.read_text(encoding="utf-8"))
    if isinstance(data, bytes):
        old_site.write_bytes(data)
    else:
        old_site.write_text(data, encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError, match="rien n'a été enregistré") as error:
        run(old_site)
    assert message in str(error.value)
    assert counts() == before


def test_huge_and_missing_files(old_site, network, settings, tmp_path):
    settings.INTEROP_WXR_MAX_BYTES = 1024
    with pytest.raises(CommandError, match="au-delà de la limite"):
        run(old_site)
    with pytest.raises(CommandError, match="fichier illisible"):
        run(tmp_path / "absent.xml")
    with pytest.raises(CommandError, match="Site inconnu"):
        call_command("import_wordpress", str(old_site), "--site", "nowhere")
