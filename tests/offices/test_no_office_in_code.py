"""No office's name in code (issue 25, point 6): the service's name, the office's name and
its brand come from the office's row, so no Python module or template of the service may
name one. Only the reference data shipped for the first office (grants/reference/, its json
and csv files) and the tests may."""

import re
from pathlib import Path

import grants

PACKAGE = Path(grants.__file__).resolve().parent
ROOT = PACKAGE.parent
TEMPLATES = ROOT / "templates"
# Any case, and across a line break or a run of spaces ("Thames\n    Valley").
NAME = re.compile(r"thames\s+valley", re.IGNORECASE)
REFERENCE_DATA = (PACKAGE / "reference", (".json", ".csv"))


def _scanned() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py")) + sorted(p for p in TEMPLATES.rglob("*") if p.is_file())
    folder, suffixes = REFERENCE_DATA
    return [path for path in files
            if not (path.is_relative_to(folder) and path.suffix in suffixes)]


def _places(path: Path, base: Path = ROOT) -> list[str]:
    """Each place the file names an office: its path and line."""
    text = path.read_text("utf-8")
    return [f"{path.relative_to(base)}:{text.count(chr(10), 0, match.start()) + 1}"
            for match in NAME.finditer(text)]


def test_no_python_module_or_template_names_an_office():
    places = [place for path in _scanned() for place in _places(path)]

    assert places == [], ("An office's name is written into code; say it through the "
                          "office (`office` in templates, offices.operations.speaking in "
                          "Python):\n" + "\n".join(places))


def test_the_scan_reads_the_modules_and_templates_and_would_find_a_name(tmp_path):
    scanned = _scanned()
    assert PACKAGE / "offices" / "operations" / "speaking.py" in scanned
    assert TEMPLATES / "base.html" in scanned
    assert PACKAGE / "reference" / "thames_valley_office.json" not in scanned
    written = tmp_path / "module.py"
    written.write_text('"""One line.\n\nFor the THAMES\n    valley office."""\n', "utf-8")
    assert _places(written, tmp_path) == ["module.py:3"]
