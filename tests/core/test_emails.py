"""Every email the service sends is declared once, in its area's notifications."""

from pathlib import Path

from grants.core.emails import REGISTRY
from tests.fixtures import source

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"


def test_every_email_template_is_declared_once_and_every_declared_one_exists(app):
    declared = sorted(email.template for email in REGISTRY.values())
    on_disk = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.glob("*/emails/*"))

    assert declared == on_disk


def test_only_the_registry_names_an_email_template():
    naming = [module.relative for module in source.modules() if "/emails/" in module.text]

    assert naming == ["core/emails.py"]
