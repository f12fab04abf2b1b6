"""schema.org JSON-LD for publications: a Report (or CreativeWork) by organisations."""

import json

REPORT_KINDS = {"publication", "synthese", "note", "recueil", "contribution-annuelle", "point-sur"}


def publication_json_ld(page, request) -> str:
    kind_slug = page.kind.slug if page.kind_id else ""
    authors = [
        {"@type": "Organization", "name": centre.long_name, "alternateName": centre.name}
        for centre in page.named_authors
    ]
    if page.working_group_id:
        authors.append(
            {"@type": "Organization", "name": f"Groupe de travail {page.working_group.title}"}
        )
    data = {
        "@context": "https://schema.org",
        "@type": "Report" if kind_slug in REPORT_KINDS else "CreativeWork",
        "name": page.title,
        "headline": page.title,
        "url": page.get_full_url(request),
        "datePublished": page.publication_date.isoformat(),
        "inLanguage": "fr",
        "author": authors,
        "publisher": {
            "@type": "Organization",
            "name": "Réseau national des centres de ressources politique de la ville",
        },
    }
    if page.summary:
        data["abstract"] = page.summary
    if page.kind_id:
        data["genre"] = page.kind.name
    keywords = [tagged.tag.name for tagged in page.tagged_items.select_related("tag")]
    if keywords:
        data["keywords"] = keywords
    # "<" escaped so that no text of an editor can close the script element.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
