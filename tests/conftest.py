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
    """Evidence and attachments uploaded by tests go to a temporary folder, never var/uploads."""
    from django.apps import apps
    from django.conf import settings
    from django.core.files.storage import storages as handler
    from django.db.models import FileField

    from phases.files import private_storage

    location = tmp_path_factory.mktemp("private-uploads")
    storages = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": location}},
    }
    # A file field calls its storage callable once, when its model is defined: it keeps the
    # storage of the real settings unless it is pointed at the temporary one here.
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField) and getattr(field, "_storage_callable", None) is private_storage
    ]
    with override_settings(STORAGES=storages, PRIVATE_MEDIA_ROOT=location):
        kept = [field.storage for field in fields]
        for field in fields:
            field.storage = handler["private"]
        try:
            yield location
        finally:
            for field, storage in zip(fields, kept, strict=True):
                field.storage = storage
