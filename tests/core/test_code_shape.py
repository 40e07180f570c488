"""The code's shape, which a newcomer relies on to find their way: every area alike, no module
too long to read, no import cycle. (The layers between and inside areas are import-linter's
contracts in pyproject.toml, run by `make lint`.)"""

import ast
from pathlib import Path

import grimp
import pytest

from tests.fixtures import source

PACKAGE = Path(__file__).resolve().parents[2] / "grants"
# What an area package may hold at its top: STYLE.md, "Layout".
AREA_PARTS = {"__init__", "models", "forms", "operations", "notifications", "views", "cli"}
# Packages of grants/ that are not areas: the shared pieces, and the demo that seeds them all.
NOT_AREAS = {"core", "demo", "static", "assets", "__pycache__"}
# The service's permissions are one module of pure functions, and the decorators that use them.
ALSO_ALLOWED = {"auth": {"permissions", "decorators"}}
MAX_LINES = 500


def areas() -> list[Path]:
    return sorted(path for path in PACKAGE.iterdir()
                  if path.is_dir() and path.name not in NOT_AREAS
                  and (path / "__init__.py").exists())


@pytest.mark.parametrize("area", areas(), ids=lambda path: path.name)
def test_an_area_holds_only_the_parts_every_area_has(area):
    parts = {path.stem for path in area.iterdir()
             if path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists())}

    assert parts - AREA_PARTS - ALSO_ALLOWED.get(area.name, set()) == set()


@pytest.mark.parametrize("area", areas(), ids=lambda path: path.name)
def test_an_area_registers_one_blueprint_in_its_views(area):
    views = [path for path in area.rglob("*.py") if "Blueprint(" in path.read_text()]

    assert len(views) <= 1
    assert all(path.relative_to(area).parts[0] in {"views", "views.py"} for path in views)


def test_no_module_is_longer_than_the_limit():
    long = {module.relative: lines for module in source.modules()
            if (lines := len(module.text.splitlines())) > MAX_LINES}

    assert long == {}


def test_no_module_imports_itself_through_others():
    """Imports needed only by type checkers are left out: they never run."""
    graph = grimp.build_graph("grants", exclude_type_checking_imports=True)
    looping = sorted(f"{importer} -> {imported}" for importer in graph.modules
                     for imported in graph.find_modules_directly_imported_by(importer)
                     if graph.chain_exists(importer=imported, imported=importer))

    assert looping == []


def test_no_page_asks_whether_another_page_exists():
    """Every page is registered, so a link is built with url_for, and a misspelt endpoint
    raises instead of quietly leaving the link out."""
    texts = [(module.relative, module.text) for module in source.modules()]
    texts += [(path.name, text) for path, text in source.templates()]
    asking = [name for name, text in texts if "view_functions" in text or "has_page(" in text]

    assert asking == []


def test_an_operation_imports_nothing_of_the_web():
    """Operations take a session and values and raise errors: the same code serves pages, the
    command line and tests."""
    web = ("flask", "werkzeug", "flask_login", "flask_wtf", "wtforms")
    found = []
    for module in source.modules():
        if "operations" not in module.relative.split("/"):
            continue
        for node in module.nodes:
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{module.relative}: {name}" for name in names
                      if name.split(".")[0] in web]

    assert found == []
