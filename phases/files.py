"""Where the campaign's uploaded files live: a private storage outside the static and media roots,
served only through views that check the user's scope (never by the web server directly). A
stored file is named by a random token; the sanitised original name is kept on its row."""

import uuid

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    """settings.STORAGES["private"], looked up when first used and again after the setting
    changes: a model field takes its storage once, at import, and a test's override of the
    setting (tests/conftest.py) must still reach the field."""

    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(setting, **kwargs):
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT"):
        _private._wrapped = empty


def private_storage():
    """The storage for evidence and attachments (settings.STORAGES["private"])."""
    return _private


def _token_path(folder, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    suffix = "".join(ch for ch in suffix if ch.isalnum())[:8] or "bin"
    token = uuid.uuid4().hex
    return f"{folder}/{token[:2]}/{token}.{suffix}"


def evidence_upload_to(instance, filename):
    return _token_path("evidence", filename)


def attachment_upload_to(instance, filename):
    return _token_path("attachments", filename)
