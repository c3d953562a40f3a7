"""The English catalogue: complete, compiled, and used by the models and pages.

Chinese is the source language (the msgids); locale/en/LC_MESSAGES/django.po holds the English.
The .po file is read with the standard library only.
"""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from schools.models import AnnualReport, School

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
HAN = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{\w+\}")


@pytest.fixture(autouse=True)
def _restore_language():
    """LocaleMiddleware activates the request's language in this thread; put the old one back."""
    with translation.override(translation.get_language()):
        yield


def po_entries(path=PO):
    """The entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr (a list), flags.

    Obsolete entries (#~) are left out, as msgfmt leaves them out.
    """
    entries, entry, field, flags = [], None, None, set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if line.startswith("#,"):  # flags come before the entry they belong to
                flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):  # continuation of the previous string
            key, index = field
            if index is None:
                entry[key] += ast.literal_eval(line)
            else:
                entry[key][index] += ast.literal_eval(line)
            continue
        keyword, _, quoted = line.partition(" ")
        text = ast.literal_eval(quoted)
        if keyword == "msgctxt" or (keyword == "msgid" and (entry is None or "msgid" in entry)):
            entry = {"flags": flags, "msgstr": {}}
            entries.append(entry)
            flags = set()
        plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if plural or keyword == "msgstr":
            field = ("msgstr", int(plural.group(1)) if plural else 0)
            entry["msgstr"][field[1]] = text
        else:
            assert keyword in ("msgctxt", "msgid", "msgid_plural"), f"unexpected line in {path}: {raw}"
            field = (keyword, None)
            entry[keyword] = text
    for item in entries:
        item["msgstr"] = [item["msgstr"][i] for i in sorted(item["msgstr"])]
    return entries


def messages():
    """The translatable entries (not the header)."""
    return [entry for entry in po_entries() if entry["msgid"]]


def catalog_of_po():
    """What msgfmt makes of the .po file: the catalog GNUTranslations reads from the .mo.

    The header (msgid "") is left out: msgfmt drops its POT-Creation-Date line.
    """
    catalog = {}
    for entry in messages():
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        if "msgid_plural" in entry:
            for index, text in enumerate(entry["msgstr"]):
                catalog[(key, index)] = text
        else:
            catalog[key] = entry["msgstr"][0]
    return catalog


def catalog_of_mo(path):
    with open(path, "rb") as handle:
        catalog = dict(gettext.GNUTranslations(handle)._catalog)
    catalog.pop("", None)
    return catalog


def test_catalogue_is_complete_and_not_fuzzy():
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = messages()
    assert len(entries) > 300
    empty = [entry["msgid"] for entry in entries if not all(s.strip() for s in entry["msgstr"])]
    assert empty == []
    assert [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]] == []
    plural = [entry for entry in entries if "msgid_plural" in entry]
    assert plural and all(len(entry["msgstr"]) == 2 for entry in plural)


def test_translations_are_english_and_keep_placeholders():
    for entry in messages():
        for text in entry["msgstr"]:
            if HAN.search(entry["msgid"]):
                assert text != entry["msgid"], entry["msgid"]
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry["msgid"])), (
                entry["msgid"],
                text,
            )


def test_model_verbose_names_follow_the_language():
    code = School._meta.get_field("code")
    books = AnnualReport._meta.get_field("books")
    with translation.override("en"):
        assert str(code.verbose_name) == "School code"
        assert str(books.verbose_name) == "Library books"
        assert str(School._meta.verbose_name) == "School"
        assert str(School.Type.NINE_YEAR.label) == "Nine-year school"
    with translation.override("zh-hans"):
        assert str(code.verbose_name) == "学校标识码"
        assert str(books.verbose_name) == "图书册数"
        assert str(School.Type.NINE_YEAR.label) == "九年一贯制学校"


def test_plural_forms():
    with translation.override("en"):
        assert translation.ngettext("共 %(n)s 条", "共 %(n)s 条", 1) % {"n": 1} == "1 record"
        assert translation.ngettext("共 %(n)s 条", "共 %(n)s 条", 3) % {"n": 3} == "3 records"


@pytest.mark.django_db
def test_login_page_is_chinese_by_default_and_english_on_request(client):
    url = reverse("login")

    page = client.get(url).content.decode()
    assert "登录" in page and "Log in" not in page
    assert '<html lang="zh-hans">' in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url).content.decode()
    assert "Log in" in page and "Username" in page and "登录" not in page
    assert '<html lang="en">' in page


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "登录" in page and "Log in" not in page


@pytest.mark.django_db
def test_language_can_be_chosen_before_logging_in(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert "Log in" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_logged_in_pages_in_english(client):
    client.force_login(User.objects.create_user("reader", password="yq-reader-2013"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Overview" in page and "Log out" in page and "总览" not in page


@pytest.mark.django_db
def test_language_switch_sets_the_cookie(client):
    client.force_login(User.objects.create_user("reader", password="yq-reader-2013"))
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_compiled_catalogue_matches_the_po_file(tmp_path):
    """The committed .mo holds exactly what the .po says: run compilemessages after editing the .po."""
    assert MO.is_file(), "run: python manage.py compilemessages --ignore=.venv"
    committed = catalog_of_mo(MO)
    assert committed == catalog_of_po()
    msgfmt = shutil.which("msgfmt")
    if msgfmt:  # where gettext is installed, also compare with what msgfmt makes of the .po now
        fresh = tmp_path / "django.mo"
        subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(PO)], check=True, timeout=60)
        assert len(catalog_of_mo(fresh)) == len(committed)
        assert catalog_of_mo(fresh) == committed


# What makemessages reads for the django domain; hidden folders (.venv, .git) it never reads.
SOURCE_SUFFIXES = (".py", ".html", ".txt")


def _copy_sources(directory, names):
    """copytree's ignore: the sources makemessages reads, never the catalogue or hidden folders."""
    base = Path(directory)
    return [
        name
        for name in names
        if name.startswith(".")
        or name in ("__pycache__", "locale")
        or ((base / name).is_file() and not name.endswith(SOURCE_SUFFIXES))
    ]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """makemessages run as the catalogue is regenerated, on a copy of the sources outside the repository.

    Returns (the fresh .po, what makemessages printed). The copy has an empty locale folder, so
    the fresh .po holds exactly the strings the code and templates mark for translation.
    """
    assert shutil.which("xgettext"), (
        "makemessages needs GNU gettext: apt-get install gettext (make test does)"
    )
    root = tmp_path_factory.mktemp("sources") / "project"
    shutil.copytree(settings.BASE_DIR, root, ignore=_copy_sources)
    (root / "locale").mkdir()
    # C.UTF-8: xgettext's warnings in English, whatever the machine's language.
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANGUAGE": "", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "locale" / "en" / "LC_MESSAGES" / "django.po", done.stdout + done.stderr


def msgid_keys(path):
    return {(entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural")) for entry in po_entries(path)}


def test_catalogue_holds_exactly_the_strings_marked_in_code_and_templates(regenerated):
    """A string wrapped for translation but missing from django.po shows in Chinese to English
    readers; an entry no code uses any more is dead weight. Regenerate with:
    python manage.py makemessages -l en --ignore=.venv --no-obsolete --no-location"""
    fresh, _output = regenerated
    in_code, in_catalogue = msgid_keys(fresh), msgid_keys(PO)
    assert sorted(in_code - in_catalogue, key=str) == [], "marked in the code, missing from django.po"
    assert sorted(in_catalogue - in_code, key=str) == [], "in django.po, no longer marked in the code"


def test_no_string_is_translated_both_with_and_without_a_plural(regenerated):
    """One msgid as gettext in one place and ngettext in another becomes a single plural entry,
    which gettext never finds: that place stays Chinese in English."""
    _fresh, output = regenerated
    assert "used without plural and with plural" not in output, output
