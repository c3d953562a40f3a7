import pytest
from django.test import override_settings


@pytest.fixture(autouse=True, scope="session")
def fast_password_hasher():
    """The production hasher takes most of a second per password by design; tests that create
    users with a password (most of them) use a fast one. Session-scoped so that data built once
    per module gets it too."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def private_uploads(tmp_path_factory):
    """Evidence and attachments uploaded by tests go to a temporary folder, never var/uploads
    (the file fields' storage follows the setting: phases.files.private_storage)."""
    from django.conf import settings

    location = tmp_path_factory.mktemp("private-uploads")
    storages = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": location}},
    }
    with override_settings(STORAGES=storages, PRIVATE_MEDIA_ROOT=location):
        yield location
