"""Documents kept in an S3-compatible bucket (moto's in-process S3), and the storage chosen
from STORAGE_URL."""

import io

import pytest

from grants.documents.operations.storage import (
    InvalidKey,
    LocalFolderStorage,
    MissingFile,
    S3Storage,
    StorageError,
    delete_unless_committed,
    delete_when_committed,
    storage_for,
    storage_from_settings,
)
from tests.fixtures.object_storage import BUCKET, object_names


def test_a_bucket_saves_opens_and_deletes_files_under_random_keys(s3):
    storage = storage_from_settings(f"s3://{BUCKET}/documents", "unused")

    first = storage.save(b"first file")
    second = storage.save(io.BytesIO(b"second file" * 100_000))  # a stream, read in parts

    assert isinstance(storage, S3Storage) and first != second
    assert object_names(s3) == sorted([f"documents/{first}", f"documents/{second}"])
    with storage.open(second) as file:
        assert file.read(11) == b"second file"  # streamed: read as far as asked
        assert len(file.read()) == 11 * 100_000 - 11
    storage.delete(first)
    storage.delete(first)  # twice is harmless
    with pytest.raises(MissingFile):
        storage.open(first)
    assert not storage.exists(first) and storage.exists(second)


@pytest.mark.parametrize("key", ["../../etc/passwd", "", "ABCDEF0123456789ABCDEF0123456789",
                                 "0123456789abcdef0123456789abcdef/x", None])
def test_a_bucket_refuses_keys_it_could_not_have_made(s3, key):
    storage = storage_from_settings(f"s3://{BUCKET}", "unused")

    for operation in (storage.open, storage.delete, storage.exists):
        with pytest.raises(InvalidKey):
            operation(key)


def test_a_bucket_file_is_deleted_only_when_the_change_that_drops_it_commits(s3, db_session):
    storage = storage_from_settings(f"s3://{BUCKET}", "unused")
    replaced, added = storage.save(b"old"), storage.save(b"new")

    delete_when_committed(db_session, storage, replaced)
    delete_unless_committed(db_session, storage, added)
    db_session.rollback()
    assert object_names(s3) == [replaced]

    added = storage.save(b"new")
    delete_when_committed(db_session, storage, replaced)
    delete_unless_committed(db_session, storage, added)
    db_session.commit()
    assert object_names(s3) == [added]


def test_the_storage_url_names_the_bucket_prefix_endpoint_and_region():
    storage = storage_from_settings(
        "s3://grants-docs/uploads/2026/?endpoint_url=http://127.0.0.1:9000&region=eu-west-2",
        "unused")

    assert (storage.bucket, storage.prefix) == ("grants-docs", "uploads/2026/")
    assert storage.client.meta.endpoint_url == "http://127.0.0.1:9000"
    assert storage.client.meta.region_name == "eu-west-2"
    # Servers other than AWS's address buckets by path.
    assert storage.client.meta.config.s3["addressing_style"] == "path"


def test_without_a_storage_url_files_stay_in_the_upload_folder(tmp_path):
    storage = storage_for({"STORAGE_URL": "", "UPLOAD_FOLDER": str(tmp_path)})

    assert isinstance(storage, LocalFolderStorage) and storage.root == tmp_path


def test_the_storage_is_chosen_once_for_a_configuration(tmp_path):
    config = {"STORAGE_URL": "s3://grants-docs?endpoint_url=http://127.0.0.1:9000",
              "UPLOAD_FOLDER": str(tmp_path)}

    assert storage_for(config) is storage_for(dict(config))
    assert storage_for(config) is not storage_for({**config, "STORAGE_URL": "s3://other"})


@pytest.mark.parametrize("url,says", [
    ("ftp://files.example/grants", "must be s3://BUCKET"),
    ("s3://", "must be s3://BUCKET"),
    ("s3://Grants_Docs/uploads", "must be s3://BUCKET"),
    ("s3://grants-docs#fragment", "must be s3://BUCKET"),
    ("/srv/grants/uploads", "must be s3://BUCKET"),
    ("s3://AKIA123:secret@grants-docs", "holds no credentials"),
    ("s3://grants-docs?endpoint=http://127.0.0.1:9000", "does not know: endpoint"),
    ("s3://grants-docs?addressing_style=sideways", "must be s3://BUCKET"),
])
def test_a_storage_url_the_service_cannot_use_is_refused_with_the_form_it_needs(url, says):
    with pytest.raises(StorageError, match=says):
        storage_from_settings(url, "unused")


def test_the_app_refuses_to_start_with_a_storage_url_it_cannot_use(monkeypatch):
    from config import TestingConfig
    from grants import create_app

    class Misconfigured(TestingConfig):
        STORAGE_URL = "ftp://files.example/grants"

    with pytest.raises(StorageError, match="STORAGE_URL must be"):
        create_app(Misconfigured)
