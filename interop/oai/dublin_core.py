"""Dublin Core (oai_dc) of a publication, built with ElementTree."""

from xml.etree.ElementTree import Element, SubElement

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"


def _add(parent, name, text):
    if text:
        SubElement(parent, f"{{{DC}}}{name}").text = str(text)


def oai_dc(page, request) -> Element:
    root = Element(f"{{{OAI_DC}}}dc", {f"{{{XSI}}}schemaLocation": f"{OAI_DC} {OAI_DC_SCHEMA}"})
    _add(root, "title", page.title)
    for centre in page.named_authors:
        _add(root, "creator", centre.long_name or centre.name)
    if page.external_authors:
        _add(root, "contributor", page.external_authors)
    for tag in page.tags.all():
        _add(root, "subject", tag.name)
    _add(root, "description", page.summary)
    _add(root, "publisher", "Réseau national des centres de ressources politique de la ville")
    _add(root, "date", page.publication_date.isoformat())
    _add(root, "type", "Text")
    if page.kind:
        _add(root, "type", page.kind.name)
    _add(root, "identifier", page.get_full_url(request))
    for item in page.documents.all():
        _add(root, "relation", request.build_absolute_uri(item.document.url))
    if page.cosoter_url:
        _add(root, "relation", page.cosoter_url)
    _add(root, "language", "fr")
    _add(root, "coverage", page.territory)
    return root
