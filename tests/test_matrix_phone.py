"""The campaign's pages at a 1366 px screen and on a 390 px-wide phone (Playwright driving Debian's
chromium): the page body never scrolls sideways; the matrix scrolls inside its own box on a phone
and shows whole on a laptop, as do the admin's phase columns."""

import contextlib
import os

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from phases.models import CityTarget
from tests import phase_world
from tests.phase_world import A, C

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
LAPTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}
PAGES = (
    "/campaign/",
    "/campaign/severe/",
    f"/campaign/schools/{A}/",
    f"/campaign/schools/{C}/",
    "/campaign/tasks/",
    "/campaign/meetings/",
    "/campaign/purchases/",
    "/campaign/targets/",
    "/campaign/my-work/",
)


@pytest.fixture
def world(transactional_db, monkeypatch):
    assert os.access(CHROMIUM, os.X_OK), "Debian's chromium is needed: `make test` installs it"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    world = phase_world.build()
    # A target the bureau enters: the targets page then shows its form (a text box and a file).
    CityTarget.objects.create(
        campaign=world["campaign"],
        code="satisfaction",
        name="群众教育满意度",
        measure="entered",
        comparison="gte",
        threshold=85,
        unit="%",
    )
    world["users"]["admin"].set_password("yq-admin-2013")
    world["users"]["admin"].save()
    return world


@contextlib.contextmanager
def browser(live_server, viewport):
    """A page logged in as the bureau's administrator, at `viewport`."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = chromium.new_context(viewport=viewport, locale="zh-CN").new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", "yq-admin-2013")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        yield page
        chromium.close()
        connections.close_all()


def matrix_box(page):
    """(visible width, full width) of the box the matrix scrolls in."""
    return page.evaluate(
        "(() => { const b = document.querySelector('table.matrix').closest('.table-container');"
        " return [b.clientWidth, b.scrollWidth]; })()"
    )


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_no_campaign_page_scrolls_sideways(world, live_server, viewport):
    pages = (*PAGES, f"/campaign/gaps/{world['gaps'][A].pk}/", f"/campaign/gaps/{world['gaps'][C].pk}/")
    widths = {}
    with browser(live_server, viewport) as page:
        for path in pages:
            page.goto(live_server.url + path)
            widths[path] = page.evaluate("document.documentElement.scrollWidth")
    assert widths == dict.fromkeys(pages, viewport["width"])


def test_the_matrix_scrolls_in_its_own_box_on_a_phone(world, live_server):
    with browser(live_server, PHONE) as page:
        page.goto(live_server.url + "/campaign/")
        shown, full = matrix_box(page)
    assert full > shown


def test_the_whole_matrix_and_the_admins_phase_columns_show_on_a_laptop(world, live_server):
    with browser(live_server, LAPTOP) as page:
        page.goto(live_server.url + "/campaign/")
        shown, full = matrix_box(page)
        page.goto(live_server.url + "/admin/phases/trackedschool/")
        table, box = page.evaluate(
            "(() => { const t = document.querySelector('#result_list');"
            " return [t.scrollWidth, t.parentElement.clientWidth]; })()"
        )
    assert full == shown
    assert table <= box
