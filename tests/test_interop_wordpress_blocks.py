"""WordPress content keeps its structure: every core block of the editor and classic
content (tests/fixtures/wordpress-blocks.xml, in both export namespaces) become the
portal's body blocks, checked in the stored blocks and in the page a visitor gets;
what has no block is counted in the report with its post; the files come from a local
copy of wp-content/uploads (the old site's address does not answer)."""

import io
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import Client

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from interop.models import ImportedItem

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "wordpress-blocks.xml"
OLD_SITE = "https://ancien-site.invalid"  # never resolves: files must come from the copy
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FILES = {"photo-a.png": "#1d4f91", "photo-b.png": "#b03a2e", "photo-c.png": "#1e8449"}
FILES |= {"couverture.png": "#7d3c98"}


def png(colour):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def uploads(tmp_path):
    """The old server's wp-content/uploads, copied."""
    folder = tmp_path / "uploads"
    (folder / "2024" / "03").mkdir(parents=True)
    for name, colour in FILES.items():
        (folder / "2024" / "03" / name).write_bytes(png(colour))
    (folder / "2024" / "03" / "rapport.pdf").write_bytes(PDF)
    return folder


def export(tmp_path, namespace="http://wordpress.org/export/1.2/", content=None):
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("NAMESPACE", namespace).replace("OLD_SITE", OLD_SITE)
    path = tmp_path / "export.xml"
    path.write_text(content(text) if content else text, encoding="utf-8")
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


def image_pk(name):
    return Image.objects.get(file__contains=name.rsplit(".", 1)[0]).pk


def visit(page):
    _, _, path = page.get_url_parts()
    response = Client(HTTP_HOST="irev.localhost").get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find("main")


def text(node):
    return " ".join(node.get_text(" ").split())


GUTENBERG_BLOCKS = [
    "paragraph",  # introduction
    "heading",
    "table",
    "paragraph",  # the list
    "quote",
    "quote",  # the pull quote
    "code",
    "code",  # preformatted
    "details",
    "figure",
    "gallery",
    "figure",  # the cover's image, then its text
    "paragraph",
    "document",
    "embed",
    "button",
    "separator",
    "paragraph",  # columns: left, then right's heading and text, in order
    "heading",
    "paragraph",  # right column's text, the group's, the custom HTML's
]


@pytest.mark.parametrize(
    "namespace", ["http://wordpress.org/export/1.2/", "https://wordpress.org/export/1.2/"]
)
def test_every_core_block_keeps_its_structure(tmp_path, uploads, network, namespace):
    output = run(export(tmp_path, namespace), "--uploads", str(uploads))
    page = imported(200)
    blocks = page.body.raw_data
    assert [block["type"] for block in blocks] == GUTENBERG_BLOCKS, output
    values = [block["value"] for block in blocks]
    assert page.summary == "Introduction du bilan, avec un mot fort."
    assert values[2] == {
        "data": [["Année", "Participants"], ["2022", "120"], ["2023", "189"]],
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_caption": "Participants par année",
        "cell": [],
        "mergeCells": [],
    }
    assert values[3].count("<li>") == 2
    assert values[4] == {
        "text": "La ville se fait avec ses habitants.",
        "attribution": "Une habitante",
        "highlighted": False,
    }
    assert values[5]["highlighted"] and values[5]["attribution"] == "Le réseau"
    assert values[6] == {"kind": "code", "text": "<p>exemple</p>\n\nfin"}
    assert values[7] == {"kind": "pre", "text": "Ligne 1\n   Ligne 2 décalée"}
    assert values[8]["summary"] == "Méthode" and "Enquête auprès" in values[8]["content"]
    assert values[9] == {
        "image": {
            "image": image_pk("photo-a.png"),
            "decorative": False,
            "alt_text": "Atelier participatif",
        },
        "caption": "Un atelier à Lille",
    }
    gallery = values[10]
    assert [item["image"]["image"] for item in gallery["images"]] == [
        image_pk("photo-b.png"),
        image_pk("photo-c.png"),
    ]
    assert [item["caption"] for item in gallery["images"]] == ["La salle", ""]
    assert gallery["caption"] == "La journée en images"
    assert values[11]["image"]["decorative"]  # the cover's background has no alt
    assert values[12] == "<p>Rencontre nationale 2024</p>"
    document = Document.objects.get(pk=values[13]["document"])
    assert document.filename == "rapport.pdf" and values[13]["title"] == "Rapport 2024"
    assert document.collection == network.centres["irev"].collection
    assert values[14] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert values[15] == {"text": "Le réseau", "page": None, "url": "https://www.reseau-crpv.fr/"}
    assert values[18] == {"text": "Colonne droite", "level": "h3"}
    assert "Dans un groupe" in values[19] and "Texte du widget" in values[19]
    assert "alert" not in str(values)

    # What had no block is named with its post and counted.
    post = "post 200 « Bilan 2024 : tous les blocs »"
    for kind in ["script", "formulaire", "iframe (contenu d'un autre site)"]:
        assert f"non repris ×1 : {kind} — dans {post} (1)" in output, output
    assert "shortcode [newsletter_form]" in output
    assert "actualité : 2 créé(s)" in output and "image : 4 créé(s)" in output

    # What a visitor gets.
    main = visit(page)
    table = main.find("table")
    assert text(table.find("caption")) == "Participants par année"
    assert [text(th) for th in table.find("thead").find_all("th")] == ["Année", "Participants"]
    assert all(th["scope"] == "col" for th in table.find("thead").find_all("th"))
    assert [text(td) for td in table.find("tbody").find_all("td")] == ["2022", "120", "2023", "189"]
    figure = main.find("figure", class_="gallery")
    assert [img["alt"] for img in figure.find("ul").find_all("img")] == [
        "Deuxième photo",
        "Troisième photo",
    ]
    assert text(figure.find("figcaption")) == "La journée en images"
    quote = main.find("figure", class_="quote")
    assert text(quote.find("blockquote")) == "La ville se fait avec ses habitants."
    assert text(quote.find("figcaption")) == "Une habitante"
    assert main.find("pre").find("code").get_text() == "<p>exemple</p>\n\nfin"
    assert text(main.find("details").find("summary")) == "Méthode"
    assert main.find("hr") is not None
    assert main.find("a", string="Le réseau")["href"] == "https://www.reseau-crpv.fr/"
    assert main.find("a", href=document.url) is not None
    assert main.find("a", href="https://www.youtube.com/watch?v=dQw4w9WgXcQ") is not None
    assert main.find("iframe") is None and main.find("script") is None
    headings = [(h.name, text(h)) for h in main.find_all(["h2", "h3"])]
    assert ("h2", "Les chiffres") in headings and ("h3", "Colonne droite") in headings


def test_classic_content_keeps_its_structure(tmp_path, uploads, network):
    run(export(tmp_path), "--uploads", str(uploads))
    page = imported(201)
    blocks = page.body.raw_data
    kinds = [block["type"] for block in blocks]
    assert kinds == ["table", "paragraph", "quote", "figure", "code", "embed", "gallery"]
    table, _, quote, figure, code, embed, gallery = (block["value"] for block in blocks)
    assert table["data"] == [["Ville", "Quartiers"], ["Lille", "21"]]
    assert table["first_row_is_table_header"]
    # The summary is the first paragraph, never the table flattened.
    assert page.summary == "Texte après le tableau, premier paragraphe."
    assert quote["text"] == "Une citation classique."
    assert figure["caption"] == "Atelier, version classique"
    assert figure["image"]["image"] == image_pk("photo-a.png")  # the resized copy's original
    assert code == {"kind": "pre", "text": "code   aligné\n\nsuite"}
    assert embed == "https://www.youtube.com/watch?v=abc123"
    assert [item["image"]["image"] for item in gallery["images"]] == [
        image_pk("photo-b.png"),
        image_pk("photo-c.png"),
    ]


def test_files_are_read_from_the_local_copy_only_inside_it(tmp_path, uploads, network):
    (uploads / "2024" / "03" / "photo-c.png").unlink()
    (tmp_path / "secret.pdf").write_bytes(PDF)

    def outside(text):
        return text.replace(
            "uploads/2024/03/rapport.pdf]]></wp:attachment_url>",
            "uploads/../../secret.pdf]]></wp:attachment_url>",
        )

    output = run(export(tmp_path, content=outside), "--uploads", str(uploads))
    assert "pièce jointe manquante dans la copie locale : 2024/03/photo-c.png" in output
    assert "chemin refusé (hors du dossier) : ../../secret.pdf" in output
    assert not Document.objects.filter(file__contains="secret").exists()
    assert Image.objects.filter(file__contains="photo-a").exists()


def test_dry_run_says_files_would_come_from_the_copy(tmp_path, uploads, network):
    before = Image.objects.count(), Page.objects.count()
    output = run(export(tmp_path), "--uploads", str(uploads), "--dry-run")
    assert "image : 4 à lire dans la copie locale" in output, output
    assert "document : 1 à lire dans la copie locale" in output, output
    assert (Image.objects.count(), Page.objects.count()) == before


def test_uploads_must_be_a_folder(tmp_path, network):
    with pytest.raises(CommandError, match="n'est pas un dossier"):
        run(export(tmp_path), "--uploads", str(tmp_path / "absent"))
