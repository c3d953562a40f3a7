"""A school's name is kept as people read it: invisible characters that make one name look like
another (bidirectional overrides, zero-width characters, other control and format characters)
are removed and runs of whitespace become one space, on every path that writes a name, the
admin's form and the registry import. Full-width Chinese punctuation stays as typed."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from schools.models import Region, School
from schools.models.registry import plain_name
from tests.import_files import SCHOOL_TITLES, csv_file, school_row, xlsx

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
ZWSP, ZWNJ, ZWJ, BOM, WJ = "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        (f"柳市{RLO}小一{PDF}", "柳市小一"),  # shown reversed as "柳市一小" by the override
        (f"{ZWSP}柳市一小{BOM}", "柳市一小"),
        (f"柳{ZWNJ}市{ZWJ}一{WJ}小", "柳市一小"),
        (f"{LRI}柳市一小{PDI}", "柳市一小"),
        ("柳市\x00一\x07小\x1b", "柳市一小"),
        ("  柳市\t一小\n分校\u3000 ", "柳市 一小 分校"),
        ("乐清市（柳市）第一小学，东校区", "乐清市（柳市）第一小学，东校区"),
        ("ＹＱ实验学校", "ＹＱ实验学校"),  # full-width letters are not folded (no NFKC)
    ],
)
def test_plain_name(written, kept):
    assert plain_name(written) == kept


@pytest.fixture
def town(db):
    county = Region.objects.create(code="330382", name="乐清市", kind="county")
    return Region.objects.create(code="330382100", name="柳市镇", kind="town", parent=county)


def admin_post(client, town, name):
    client.force_login(User.objects.create_superuser("admin", password="yq-admin-2013"))
    data = {
        "code": "3303820001",
        "name": name,
        "school_type": "primary",
        "ownership": "public",
        "area_type": "town",
        "region": town.pk,
        "district": "",
        "is_active": "on",
    }
    return client.post(reverse("admin:schools_school_add"), data)


def test_the_admin_keeps_the_name_without_invisible_characters(client, town):
    response = admin_post(client, town, f"{ZWSP}柳市{RLO}一小{PDF}  分校{BOM}")
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert School.objects.get().name == "柳市一小 分校"


def test_the_admin_refuses_a_name_of_invisible_characters_only(client, town):
    response = admin_post(client, town, f"{ZWSP}{RLO}{BOM}")
    assert response.status_code == 200
    assert "学校名称不能为空" in response.content.decode()
    assert not School.objects.exists()


def test_the_import_keeps_the_names_without_invisible_characters(town, tmp_path):
    rows = [
        school_row("3303820001", f"柳市{RLO}一小{PDF}", region="330382100"),
        school_row("3303820002", f"{ZWSP}柳市\t\t二小{BOM}", region="330382100"),
        school_row("3303820003", "柳市（北）小学，分部", region="330382100"),
    ]
    call_command("import_schools", str(xlsx(tmp_path / "schools.xlsx", SCHOOL_TITLES, rows)), verbosity=0)
    assert list(School.objects.order_by("code").values_list("name", flat=True)) == [
        "柳市一小",
        "柳市 二小",
        "柳市（北）小学，分部",
    ]


def test_the_import_refuses_a_name_of_invisible_characters_only(town, tmp_path):
    path = csv_file(
        tmp_path / "schools.csv",
        SCHOOL_TITLES,
        [school_row("3303820001", f"{ZWSP}{RLO}", region="330382100")],
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_schools", str(path), stdout=StringIO(), stderr=err)
    assert "不能为空，也不能只有不可见字符（name）" in err.getvalue()
    assert not School.objects.exists()
