"""The hostile-input tests' data set: built once per test, inside its rolled-back transaction."""

import pytest

from grants.documents.operations.storage import storage_for
from tests.hostile.walk import People
from tests.hostile.world import build_world


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    """Each test stores its files in a folder of its own."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder


@pytest.fixture
def world(app, db_session, uploads):
    return build_world(db_session, storage_for(app.config))


@pytest.fixture
def people(app, world):
    return People(app, world)
