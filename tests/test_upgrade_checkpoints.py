"""Upgrade checkpoints (docs/upgrading.md): every place that relies on a private or
internal API of a library carries, on the line above, a marker

    # UPGRADE CHECKPOINT wagtail==8.0.1: <what is relied on> (tests/test_x.py::test_name)

naming the library version the place was checked against and the test that fails if
the internal changes. An upgrade of that library fails here, marker by marker, until
someone has re-read the place against the new version, run its test and updated the
marker and docs/upgrading.md. No database needed: this reads source files only."""

import ast
import importlib.metadata
import io
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "portal",
    "centres",
    "home",
    "agenda",
    "publications",
    "search",
    "showcase",
    "stats",
    "interop",
    "newsletter",
    "demo",
    "bench",
]
DOCS = ROOT / "docs" / "upgrading.md"
TAG = "UPGRADE CHECKPOINT"
MARKER = re.compile(
    r"^\s*# UPGRADE CHECKPOINT (?P<library>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s:]+): "
    r"(?P<what>[^|]+?) \((?P<test_file>tests/[\w/]+\.py)::(?P<test_name>\w+)\)$"
)
# Code that reaches below a library's public API: each occurrence needs a marker within
# the three lines above it. Matched on code only (comments, docstrings and import lines
# blanked out); a new private use gets a marker and, if it can recur, a pattern here.
KNOWN_PRIVATE = [
    r"\._hooks\b",
    r"\bPageTypesUsageReportView\.dispatch\s*=",
    r"\bwagtail_views\.serve\b",
    r"\b_wagtail_route_for_request\b",
    r"\b_wagtail_site\b",
    r"\._find_for_request\b",
    r"\._get_raw_host\b",
    r"\._cached_parent_obj\b",
    r"\._str2int\b",
    r"\._get_path\b",
    r"\._batched_insert\b",
    r"\.local_concrete_fields\b",
    r"\._set_image_file_metadata\b",
    r"\._set_document_file_metadata\b",
    r"\b_post_clean\b",
    r"\.send_packed_command\b",
    r"\bconnection_pool\.get_connection\b",
    r"\bwrap_database_errors\b",
    r"\.query_compiler\b",
    r"\._refresh_title_norms\b",
    r"\.autocomplete_config\s*=",
    r"\bsql_with_params\b",
    r"\._meta\.fields\b",
    r"\bCombinedExpression\(",
    r"\bsplit_domain_port\(",
    r"\bget_script_name\(",
    r"\bparse_header_parameters\(",
    r"\bpaginator\.count\s*=",
    r"\._normalize_name\b",
    r"\bSubmitPageTranslationView\.",
    r"^class \w+\((?:\w+, )*(?:BasePermissionPolicy|PagePermissionTester|WSGIRequest)\)",
    r"\bclass \w+\((?:UpdateIndex|SQLiteSearchQueryCompiler)\)",
]
LOOK_ABOVE = 3


@dataclass(frozen=True)
class Checkpoint:
    file: str  # relative to the repository root
    line: int
    library: str
    version: str
    what: str
    test_file: str
    test_name: str

    @property
    def test(self) -> str:
        return f"{self.test_file}::{self.test_name}"

    def __str__(self):
        return f"{self.file}:{self.line}"


def app_sources() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "__pycache__" not in path.parts
    )


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def tagged_lines() -> list[tuple[str, int, str]]:
    """(file, line number, text) of every line of the apps naming the marker's tag."""
    return [
        (relative(path), number, text)
        for path in app_sources()
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if TAG in text
    ]


def parse(file: str, line: int, text: str) -> Checkpoint | None:
    found = MARKER.match(text)
    if found is None:
        return None
    return Checkpoint(file, line, **found.groupdict())


CHECKPOINTS = [
    checkpoint
    for checkpoint in (parse(*tagged) for tagged in tagged_lines())
    if checkpoint is not None
]


def docs_rows() -> list[dict]:
    """The rows of the checkpoints table of docs/upgrading.md (the table whose header
    starts with `| File |`), cells stripped of the backticks around the whole cell."""
    rows, in_table = [], False
    for text in DOCS.read_text(encoding="utf-8").splitlines():
        if text.startswith("| File |"):
            in_table = True
            continue
        if not in_table:
            continue
        if not text.startswith("|"):
            break
        cells = [cell.strip() for cell in text.strip().strip("|").split("|")]
        if set("".join(cells)) <= set("-: "):
            continue  # the separator row
        file, what, library, test, *_changelog = cells
        rows.append(
            {
                "file": file.strip("`"),
                "what": what,
                "library": library.strip("`"),
                "test": test.strip("`"),
            }
        )
    return rows


def row_of(checkpoint: Checkpoint) -> dict:
    return {
        "file": checkpoint.file,
        "what": checkpoint.what,
        "library": f"{checkpoint.library}=={checkpoint.version}",
        "test": checkpoint.test,
    }


def code_lines(source: str) -> list[str]:
    """The file's lines with comments, docstrings and import statements blanked out:
    what the code does, not what its prose or imports mention."""
    lines = source.splitlines()
    blank = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom) or (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            blank.update(range(node.lineno, node.end_lineno + 1))
    code = [("" if number in blank else text) for number, text in enumerate(lines, 1)]
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            row, column = token.start
            code[row - 1] = code[row - 1][:column]
    return code


# --- the markers ----------------------------------------------------------------------


def test_the_known_checkpoints_are_marked():
    # The places the issue named, at least: a parse error would hide them silently.
    assert len(CHECKPOINTS) >= 12
    libraries = {checkpoint.library for checkpoint in CHECKPOINTS}
    assert {"wagtail", "Django", "redis", "wagtail-localize", "django-treebeard"} <= libraries


@pytest.mark.parametrize("file, line, text", tagged_lines(), ids=lambda value: str(value)[:60])
def test_every_marker_is_in_the_parsed_form(file, line, text):
    assert parse(file, line, text) is not None, (
        f"{file}:{line}: not a checkpoint marker; the form is "
        "`# UPGRADE CHECKPOINT <library>==<version>: <what> (tests/<file>.py::<test>)`"
    )


@pytest.mark.parametrize("checkpoint", CHECKPOINTS, ids=str)
def test_the_installed_library_is_the_version_the_place_was_checked_against(checkpoint):
    installed = importlib.metadata.version(checkpoint.library)
    assert installed == checkpoint.version, (
        f"{checkpoint}: {checkpoint.library} is {installed} here, the place was checked "
        f"against {checkpoint.version}. Re-read it against the new version's code and "
        f"changelog ({checkpoint.what}), run {checkpoint.test}, then update the marker and "
        "its row of docs/upgrading.md."
    )


@pytest.mark.parametrize("checkpoint", CHECKPOINTS, ids=str)
def test_the_covering_test_exists(checkpoint):
    path = ROOT / checkpoint.test_file
    assert path.is_file(), f"{checkpoint}: no {checkpoint.test_file}"
    defined = {
        node.name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    assert checkpoint.test_name in defined, f"{checkpoint}: no {checkpoint.test}"


# --- docs/upgrading.md ----------------------------------------------------------------


@pytest.mark.parametrize("checkpoint", CHECKPOINTS, ids=str)
def test_docs_list_the_checkpoint(checkpoint):
    assert row_of(checkpoint) in docs_rows(), (
        f"{checkpoint}: docs/upgrading.md has no row with this file, phrase, library "
        f"version and test: {row_of(checkpoint)}"
    )


def test_docs_list_no_checkpoint_that_is_gone_from_the_code():
    in_code = [row_of(checkpoint) for checkpoint in CHECKPOINTS]
    rows = docs_rows()
    assert rows, "docs/upgrading.md has no checkpoints table"
    assert [row for row in rows if row not in in_code] == []


# --- unmarked private uses ------------------------------------------------------------


def unmarked_private_uses() -> list[str]:
    patterns = [re.compile(pattern) for pattern in KNOWN_PRIVATE]
    found = []
    for path in app_sources():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for index, code in enumerate(code_lines(source)):
            if not any(pattern.search(code) for pattern in patterns):
                continue
            above = lines[max(0, index - LOOK_ABOVE) : index]
            if not any(MARKER.match(text) for text in above):
                found.append(f"{relative(path)}:{index + 1}: {code.strip()}")
    return found


def test_known_private_uses_carry_a_marker():
    assert unmarked_private_uses() == []


def test_an_unmarked_private_use_is_found(tmp_path, monkeypatch):
    """The check above can fail: a private use without its marker is reported, one with
    it is not."""
    app = tmp_path / "portal"
    app.mkdir()
    (app / "patch.py").write_text(
        '"""Mentions hooks._hooks in prose, which is fine."""\n'
        "from wagtail import hooks\n"
        "\n"
        "registry = hooks._hooks  # a comment naming hooks._hooks is not code\n"
        "# UPGRADE CHECKPOINT wagtail==8.0.1: the registry (tests/test_x.py::test_y)\n"
        "again = hooks._hooks\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert unmarked_private_uses() == ["portal/patch.py:4: registry = hooks._hooks"]
