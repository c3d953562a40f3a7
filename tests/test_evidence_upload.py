"""Evidence uploads: the type is read from the content, never the name; a size limit; names made
safe; files kept in the private storage and served only to users whose scope holds the school,
always as a download, never rendered; a refusal stores nothing."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from phases.models import Attachment, Evidence, Gap, Phase, Task
from phases.services import campaign_enrol, evidence_add
from schools.services import roles_sync, scope_set
from tests import campaign_world

pytestmark = pytest.mark.django_db
ONE, TWO = "3303820001", "3303820002"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
DAY = datetime.date(2013, 7, 1)


def office(*parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in parts:
            archive.writestr(part, "<xml/>")
    return buffer.getvalue()


@pytest.fixture
def world():
    campaign, schools, _indicators = campaign_world.build()
    campaign_enrol(campaign=campaign)
    groups = roles_sync()
    users = {}
    for name, role, scope in (("clerk", "clerk", ONE), ("other-clerk", "clerk", TWO), ("town", "town", None)):
        user = User.objects.create_user(name, is_staff=True)
        user.groups.add(groups[role])
        if scope:
            scope_set(user=user, schools=[schools[scope]])
        else:
            scope_set(user=user, regions=[schools[ONE].region])
        users[name] = User.objects.get(pk=user.pk)
    gaps = {code: Gap.objects.get(tracked__school__code=code, indicator__code="C") for code in (ONE, TWO)}
    return {"users": users, "gaps": gaps, "schools": schools, "campaign": campaign}


def stored_files(root):
    return {path for path in Path(root).rglob("*") if path.is_file()}


def add(world, name, content, user="clerk"):
    return evidence_add(
        gap=world["gaps"][ONE],
        user=world["users"][user],
        upload=SimpleUploadedFile(name, content),
        kind="invoice",
        effective_on=DAY,
        note="采购发票",
    )


REFUSED = {
    "an HTML page named .pdf": ("invoice.pdf", b"<html><script>alert(1)</script></html>"),
    "an SVG image": ("photo.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'),
    "a program": ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),
    "an empty file": ("empty.pdf", b""),
    "a zip that is not an Office document": ("report.docx", office("a.txt", "b.txt")),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_file_of_a_kind_not_accepted_is_refused_and_nothing_stored(world, private_uploads, case):
    name, content = REFUSED[case]
    before = stored_files(private_uploads)
    with pytest.raises(ValidationError) as refused:
        add(world, name, content)
    assert name.rsplit(".", 1)[0] in refused.value.message_dict["file"][0]
    assert not Evidence.objects.exists()
    assert stored_files(private_uploads) == before


def test_a_zip_with_too_many_entries_is_refused_before_its_directory_is_read(world, monkeypatch):
    """A small file can claim a huge directory: its end record is read first, and the directory
    is never parsed (zipfile is not even called) when it claims more than ZIP_MAX_ENTRIES."""
    from phases import uploads

    monkeypatch.setattr(uploads, "ZIP_MAX_ENTRIES", 3)
    crowded = office("[Content_Types].xml", "word/document.xml", "a.xml", "b.xml")  # 4 entries

    def never(*args, **kwargs):
        raise AssertionError("the zip directory was parsed")

    monkeypatch.setattr(uploads.zipfile, "ZipFile", never)
    with pytest.raises(ValidationError):
        add(world, "report.docx", crowded)
    assert not Evidence.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=50)
def test_a_file_over_the_size_limit_is_refused(world, private_uploads):
    before = stored_files(private_uploads)
    with pytest.raises(ValidationError) as refused:
        add(world, "照片.png", PNG)  # 72 bytes, over 50
    assert "超过上限" in refused.value.message_dict["file"][0]
    assert not Evidence.objects.exists()
    assert stored_files(private_uploads) == before


def test_a_path_in_the_name_is_dropped_and_the_file_kept_in_the_private_storage(world, private_uploads):
    evidence = add(world, "../../x.pdf", PDF)
    assert evidence.original_name == "x.pdf"
    assert (evidence.content_type, evidence.size) == ("application/pdf", len(PDF))
    assert evidence.file.name.startswith("evidence/") and ".." not in evidence.file.name
    path = Path(evidence.file.path).resolve()
    assert path.is_relative_to(Path(private_uploads).resolve())
    assert path.read_bytes() == PDF


def test_the_type_comes_from_the_content_not_the_name(world):
    evidence = add(world, "现场照片.jpg", PNG)
    assert (evidence.original_name, evidence.content_type) == ("现场照片.png", "image/png")


def test_an_office_document_is_accepted(world):
    evidence = add(world, "验收报告.docx", office("[Content_Types].xml", "word/document.xml"))
    assert evidence.content_type.endswith("wordprocessingml.document")
    assert evidence.history.latest().history_user == world["users"]["clerk"]
    assert (evidence.uploaded_by, evidence.decision) == (world["users"]["clerk"], Evidence.Decision.PENDING)


def test_an_upload_for_a_school_outside_the_scope_is_refused(world, private_uploads):
    before = stored_files(private_uploads)
    with pytest.raises(ValidationError):
        add(world, "发票.pdf", PDF, user="other-clerk")
    assert not Evidence.objects.exists()
    assert stored_files(private_uploads) == before


def test_a_date_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        evidence_add(
            gap=world["gaps"][ONE],
            user=world["users"]["clerk"],
            upload=SimpleUploadedFile("发票.pdf", PDF),
            kind="invoice",
            effective_on=datetime.date.today() + datetime.timedelta(days=1),
        )
    assert "effective_on" in refused.value.message_dict


# --- Through the page ----------------------------------------------------------------------------------


def test_the_page_refuses_an_html_file_named_pdf_and_says_why(client, world, private_uploads):
    client.force_login(world["users"]["clerk"])
    before = stored_files(private_uploads)
    url = reverse("phases:evidence_add", args=[world["gaps"][ONE].pk])
    data = {
        "file": SimpleUploadedFile("发票.pdf", b"<html></html>"),
        "kind": "invoice",
        "effective_on": "2013-07-01",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "“发票”不是可接受的文件类型" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(private_uploads) == before


def test_the_page_stores_an_accepted_file(client, world):
    client.force_login(world["users"]["clerk"])
    url = reverse("phases:evidence_add", args=[world["gaps"][ONE].pk])
    data = {"file": SimpleUploadedFile("发票.pdf", PDF), "kind": "invoice", "effective_on": "2013-07-01"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert Evidence.objects.get().original_name == "发票.pdf"


# --- Serving --------------------------------------------------------------------------------------------


def test_the_file_is_served_in_scope_as_a_download_never_inline(client, world):
    evidence = add(world, "验收证明.pdf", PDF)
    client.force_login(world["users"]["clerk"])
    response = client.get(reverse("phases:evidence_file", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    # RFC 5987: the Chinese name percent-encoded in UTF-8.
    assert (
        response["Content-Disposition"]
        == "attachment; filename*=utf-8''%E9%AA%8C%E6%94%B6%E8%AF%81%E6%98%8E.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_the_file_is_not_found_outside_the_scope(client, world):
    evidence = add(world, "验收证明.pdf", PDF)
    client.force_login(world["users"]["other-clerk"])
    assert client.get(reverse("phases:evidence_file", args=[evidence.pk])).status_code == 404
    client.force_login(world["users"]["town"])
    assert client.get(reverse("phases:evidence_file", args=[evidence.pk])).status_code == 200


def test_a_stored_type_not_accepted_goes_out_as_bytes(client, world):
    evidence = add(world, "验收证明.pdf", PDF)
    Evidence.objects.filter(pk=evidence.pk).update(content_type="text/html")
    client.force_login(world["users"]["clerk"])
    response = client.get(reverse("phases:evidence_file", args=[evidence.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_an_attachment_is_served_to_those_who_read_the_campaign(client, world):
    phase = Phase.objects.create(
        campaign=world["campaign"], number=1, name="核实", starts_on=DAY, ends_on=DAY
    )
    task = Task.objects.create(phase=phase, code="PLAN-T1", title="核实问题学校")
    attachment = Attachment(
        task=task,
        original_name="notice.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=world["users"]["town"],
    )
    attachment.file.save("notice.pdf", ContentFile(PDF), save=False)
    attachment.save()
    url = reverse("phases:attachment_file", args=[attachment.pk])
    client.force_login(world["users"]["town"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="notice.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world["users"]["clerk"])  # the clerk's role reads no city work
    assert client.get(url).status_code == 403
