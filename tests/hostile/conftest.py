"""The hostile-input tests' data set: built once per test module, inside the module's
transaction; each test runs in a savepoint of it, so no test sees another's changes."""

import pytest

from grants.documents.operations.storage import storage_for
from grants.extensions import db
from tests.fixtures.vacuum import analyse_module_data
from tests.hostile.walk import People
from tests.hostile.world import build_world


@pytest.fixture(scope="module")
def world(app, module_connection, tmp_path_factory):
    """The data set, its files in a folder of the module's own."""
    folder = tmp_path_factory.mktemp("uploads")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
        built = build_world(db.session, storage_for(app.config))
        db.session.commit()
        analyse_module_data(module_connection)
        db.session.remove()
        yield built


@pytest.fixture
def people(app, world):
    return People(app, world)


@pytest.fixture(autouse=True)
def one_connection_per_module(module_connection):
    """Every test here, with the data set or not, on the module's connection: SQLite lets one
    connection write at a time, and the module's holds the data set's open transaction."""
