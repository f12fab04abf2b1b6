"""French as the French write it (issue #21), on the site and in the admin: every French
interface string (gettext strings in Python, templates' text and `{% translate %}`
strings, mail templates) uses the typographic apostrophe and a no-break space before
« : », « ; », « ? », « ! » (tests/french_typography.py reads them)."""

import pytest

from .french_typography import Found, all_problems, problems, python_strings, template_strings


def test_the_french_interface_strings_follow_french_typography():
    report = all_problems()
    assert not report, (
        f"{len(report)} French strings break the typography rules (’ not ', a no-break "
        "space U+00A0 or &nbsp; before : ; ? !):\n" + "\n".join(report)
    )


@pytest.mark.parametrize(
    "text",
    [
        "Offre d'emploi",
        "Téléphone :",
        "Vous aimeriez la recevoir ?",
        "Rien n’a été enregistré ; réessayez",
        "Attention !",
        "Statut actuel:",
        "Prêt?",
        "<p>S'abonner</p>",
    ],
)
def test_the_rules_catch_what_the_french_do_not_write(text):
    assert problems(Found("x.html", 1, text)), text


@pytest.mark.parametrize(
    "text",
    [
        "Offre d’emploi",
        "Téléphone\u00a0:",
        "Clôturée&nbsp;: le 3 mai",
        "Vous aimeriez la recevoir\u00a0?",
        "de 9 h 30 à 12:30, ratio 4,5:1",
        "https://exemple.fr/?q=1",
        "%(rate)s\u00a0%% des critères",
        "{{ label }}\u00a0: {{ value }}",
    ],
)
def test_the_rules_leave_correct_text_and_non_text_alone(text):
    assert problems(Found("x.html", 1, text)) == [], text


def test_python_and_template_strings_are_all_read():
    python = {found.text for found in python_strings()}
    assert "Appel à projets" in python  # offers/models.py, gettext_lazy
    assert "Offre d’emploi" in python
    templates = {(found.path, found.text) for found in template_strings()}
    assert ("portal/templates/base.html", "Aller au contenu") in templates  # {% translate %}
    texts = [text for path, text in templates if path.endswith("accessibility_statement_page.html")]
    assert any("Si vous n’arrivez pas à accéder" in text for text in texts)
    # Mail templates too.
    assert any(path.endswith(".txt") for path, _text in templates)
