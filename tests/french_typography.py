"""The French interface strings of the portal, read from its sources as `makemessages`
reads them, and the typography rules they follow (tests/test_french_typography.py):

- the apostrophe is typographic (’, U+2019), never a straight one (') between letters;
- a no-break space (U+00A0, or `&nbsp;` in HTML) comes before « : », « ; », « ? », « ! »,
  never an ordinary space, and never nothing after a word.

What is read: every string given to gettext in Python (`_()`, `gettext`,
`gettext_lazy`, `ngettext`, `pgettext`...: found with `ast`, so comments and other
strings are left out) and, in templates (`*/templates/**/*.html` and `.txt`), the
strings of `{% translate %}`, the text of `{% blocktranslate %}` and the text between
tags (HTML tags, scripts, styles and `{% comment %}` blocks left out)."""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_DIRS = {
    ".venv",
    "node_modules",
    "tests",
    "bench",
    "static",
    "media",
    ".git",
    "docs",
    "bench-results",
}
GETTEXT_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
CONTEXT_NAMES = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
LETTER = r"[^\W\d_]"
STRAIGHT_APOSTROPHE = re.compile(rf"{LETTER}'{LETTER}")
# An ordinary space (or a line break) before : ; ? !, or a word's last letter right
# against ; ? ! — and against : when a space or the end follows (not "https://", "4:1").
SPACE_BEFORE = re.compile(r"[ \t\n]+[:;?!](?![\w/=])")
GLUED = re.compile(rf"{LETTER}[;?!](?=\s|$|<)|{LETTER}:(?=\s|$)")


@dataclass(frozen=True)
class Found:
    path: str
    line: int
    text: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.text!r}"


def source_files(suffixes):
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in suffixes or not path.is_file():
            continue
        parts = path.relative_to(ROOT).parts
        if SKIPPED_DIRS & set(parts) or any(part.endswith(".egg-info") for part in parts):
            continue
        yield path


def python_strings():
    """Every string literal passed to gettext in the project's Python code."""
    for path in source_files({".py"}):
        if "migrations" in path.parts:
            continue  # verbose names copied from the models: the models are read
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in GETTEXT_NAMES:
                continue
            arguments = node.args[1:] if name in CONTEXT_NAMES else node.args
            for argument in arguments:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    yield Found(str(path.relative_to(ROOT)), argument.lineno, argument.value)


TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')""")
COMMENTS = re.compile(r"\{%\s*comment\b.*?\{%\s*endcomment\s*%\}|\{#.*?#\}", re.S)
TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S)
TAG = re.compile(r"<[^>]*>", re.S)


def template_files():
    for path in source_files({".html", ".txt"}):
        if "templates" in path.parts:
            yield path


def template_strings():
    """The French text of every template: the strings of `{% translate %}` and the text
    between tags (`{% blocktranslate %}`'s included), line by line."""
    for path in template_files():
        relative = str(path.relative_to(ROOT))
        source = COMMENTS.sub(_keep_lines(""), path.read_text(encoding="utf-8"))
        for match in TRANSLATE_TAG.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            yield Found(relative, line, match.group(1) or match.group(2) or "")
        # Template code becomes a digit (not a letter: "{{ n }} ;" is not glued text),
        # then scripts, styles and HTML tags go, attributes with them.
        text = TEMPLATE_CODE.sub(_keep_lines("0"), source)
        text = HIDDEN.sub(_keep_lines(""), text)
        text = TAG.sub(_keep_lines(""), text)
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                yield Found(relative, number, line.strip())


def _keep_lines(replacement):
    """A removed part leaves its line breaks, so that line numbers stay right."""
    return lambda match: replacement + "\n" * match.group(0).count("\n")


def problems(found: Found) -> list[str]:
    text = found.text.replace("&nbsp;", NBSP).replace("&#8239;", NARROW_NBSP)
    text = text.replace("&#x202f;", NARROW_NBSP).replace("&#160;", NBSP)
    # Template variables and placeholders are not text (a digit: not a word's letter).
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|%\(\w+\)[sd]|%[sd]", "0", text)
    found_problems = []
    for match in STRAIGHT_APOSTROPHE.finditer(text):
        found_problems.append(f"straight apostrophe in {_around(text, match)!r}")
    for match in SPACE_BEFORE.finditer(text):
        mark = match.group(0)[-1]
        found_problems.append(f"ordinary space before {mark!r} in {_around(text, match)!r}")
    for match in GLUED.finditer(text):
        mark = match.group(0)[-1]
        found_problems.append(f"no space before {mark!r} in {_around(text, match)!r}")
    return found_problems


def _around(text, match, width=25):
    return text[max(0, match.start() - width) : match.end() + width].strip()


def all_problems():
    report = []
    for found in [*python_strings(), *template_strings()]:
        for problem in problems(found):
            report.append(f"{found.path}:{found.line}: {problem}")
    return report
