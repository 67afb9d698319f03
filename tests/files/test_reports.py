"""PH-2: carers send reports through the portal, with attachments held the same way as photos.

A refused attachment refuses the whole report and stores nothing, keeping what was typed; sent
is sent (append-only); the household's SSW and, for a child, the child's social worker are told;
staff reading a report is recorded once each; the carers read attachments as page images only.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safecare.core.models import AccessLog, Notification
from safecare.files import services_documents as services
from safecare.files import storage
from safecare.files.models import CarerReport, ReportAttachment, ReportRead, StoredFile
from safecare.files.services_documents import Upload

from .test_documents import blobs, make_pdf, make_png


def _url(name: str, **kwargs: Any) -> str:
    return reverse(f"files:{name}", kwargs=kwargs)


def send(world: Any, *, child: Any = None, uploads: list[Upload] | None = None, **kwargs: Any) -> CarerReport:
    values = {"title": "School meeting", "body": "Xavier's teacher asked to meet on Friday."} | kwargs
    return services.report_send(
        actor=world.carol, household=world.household_own, child=child, uploads=uploads or [], **values
    )


def test_ph2_a_report_with_attachments_keeps_each_file_encrypted_and_cleaned(world) -> None:
    report = send(
        world,
        child=world.child_own,
        uploads=[Upload("letter.pdf", make_pdf(2)), Upload("photo.png", make_png())],
    )
    attachments = list(report.attachments.order_by("position"))
    assert [a.file.content_type for a in attachments] == ["application/pdf", "image/jpeg"]
    assert [a.file.filename for a in attachments] == ["letter.pdf", "photo.png"]
    assert storage.read(attachments[1].file).startswith(b"\xff\xd8")  # re-encoded from its pixels
    assert services.page_count(attachments[0].file) == 2


def test_ph2_the_households_ssw_and_the_childs_social_worker_are_told(world) -> None:
    report = send(world, child=world.child_own)
    alerts = Notification.objects.filter(kind="carer_report")
    assert {n.recipient for n in alerts} == {world.sam, world.chris}
    assert all(n.rule_id == "PH-2" and n.url == f"/reports/{report.pk}/" for n in alerts)
    assert all("Xavier" not in n.subject and "Patel" not in n.subject for n in alerts)
    Notification.objects.filter(kind="carer_report").delete()
    send(world, title="About our household")
    assert [n.recipient for n in Notification.objects.filter(kind="carer_report")] == [world.sam]


def test_ph2_a_refused_attachment_refuses_the_report_naming_the_file_and_stores_nothing(world) -> None:
    files_before, written = StoredFile.objects.count(), blobs()
    with pytest.raises(ValidationError) as caught:
        send(
            world, uploads=[Upload("fine.pdf", make_pdf(1)), Upload("virus.exe", b"MZ\x90\x00 nothing good")]
        )
    (message,) = caught.value.message_dict["attachments"]
    assert message.startswith("Attachments: virus.exe: ")
    assert "PH-" not in message  # carers read plain English
    assert not CarerReport.objects.exists()
    assert StoredFile.objects.count() == files_before
    assert blobs() == written  # the accepted file was not written either


def test_ph2_six_attachments_are_refused(world) -> None:
    with pytest.raises(ValidationError) as caught:
        send(world, uploads=[Upload(f"{n}.png", make_png()) for n in range(6)])
    assert caught.value.message_dict["attachments"] == [
        "Attachments: you can send up to 5 files with one report"
    ]


def test_ph2_a_child_not_placed_with_the_carer_is_refused(world) -> None:
    with pytest.raises(ValidationError) as caught:
        send(world, child=world.child_other)
    assert "child" in caught.value.message_dict


def test_ph2_only_the_households_carers_send_its_reports(world) -> None:
    with pytest.raises(PermissionDenied):
        services.report_send(
            actor=world.oscar, household=world.household_own, child=None, title="x", body="y", uploads=[]
        )
    with pytest.raises(PermissionDenied):
        services.report_send(
            actor=world.sam, household=world.household_own, child=None, title="x", body="y", uploads=[]
        )


def test_ph2_sent_is_sent_the_database_refuses_a_change(world) -> None:
    report = send(world, uploads=[Upload("a.png", make_png())])
    with pytest.raises(DatabaseError), transaction.atomic():
        CarerReport.objects.filter(pk=report.pk).update(body="Changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportAttachment.objects.filter(report=report).delete()
    report.refresh_from_db()
    assert report.body == "Xavier's teacher asked to meet on Friday."


def test_ph2_the_page_keeps_the_typed_text_when_a_file_is_refused_and_says_to_choose_files_again(
    world, client_for
) -> None:
    client = client_for(world.carol)
    url = _url("report_create", pk=world.household_own.pk)
    good = SimpleUploadedFile("letter.pdf", make_pdf(1), content_type="application/pdf")
    bad = SimpleUploadedFile("notes.docx", b"PK\x03\x04 nothing", content_type="application/msword")
    response = client.post(
        url, {"title": "School meeting", "body": "The teacher rang.", "attachments": [good, bad]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "notes.docx" in html
    assert 'value="School meeting"' in html and "The teacher rang." in html
    assert "choose your files again" in html
    assert "PH-" not in html
    assert not CarerReport.objects.exists()
    good = SimpleUploadedFile("letter.pdf", make_pdf(1), content_type="application/pdf")
    photo = SimpleUploadedFile("photo.png", make_png(), content_type="image/png")
    response = client.post(
        url,
        {
            "title": "School meeting",
            "body": "The teacher rang.",
            "child": world.child_own.pk,
            "attachments": [good, photo],
        },
    )
    assert response.status_code == 302
    report = CarerReport.objects.get()
    assert report.attachments.count() == 2 and report.child == world.child_own


def test_ph2_the_carer_reads_attachments_as_page_images_only(world, client_for) -> None:
    report = send(world, uploads=[Upload("letter.pdf", make_pdf(2))])
    attachment = report.attachments.get()
    client = client_for(world.carol)
    html = client.get(_url("report", pk=report.pk)).content.decode()
    assert _url("attachment_page", pk=attachment.pk, number=2) in html
    assert _url("attachment_download", pk=attachment.pk) not in html
    assert "letter.pdf" not in html
    image = client.get(_url("attachment_page", pk=attachment.pk, number=2))
    assert image["Content-Type"] == "image/png" and "no-store" in image["Cache-Control"]
    assert client.get(_url("attachment_page", pk=attachment.pk, number=3)).status_code == 404
    assert client.get(_url("attachment_download", pk=attachment.pk)).status_code == 404
    # Another household's carer: nothing.
    other = client_for(world.oscar)
    assert other.get(_url("report", pk=report.pk)).status_code == 404
    assert other.get(_url("attachment_page", pk=attachment.pk, number=1)).status_code == 404


def test_ph2_staff_read_the_report_once_recorded_and_may_download(world, client_for) -> None:
    report = send(world, child=world.child_own, uploads=[Upload("letter.pdf", make_pdf(1))])
    attachment = report.attachments.get()
    sam = client_for(world.sam)
    html = sam.get(_url("report", pk=report.pk)).content.decode()
    assert _url("attachment_download", pk=attachment.pk) in html
    sam.get(_url("report", pk=report.pk))
    client_for(world.chris).get(_url("report", pk=report.pk))
    client_for(world.carol).get(_url("report", pk=report.pk))
    assert sorted(r.reader.username for r in ReportRead.objects.filter(report=report)) == ["chris", "sam"]
    download = sam.get(_url("attachment_download", pk=attachment.pk))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    logged = AccessLog.objects.filter(subject_type="carerreport", subject_id=report.pk, user_id=world.sam.pk)
    assert logged.count() == 3  # two readings and the download


@pytest.mark.parametrize("person", ["carol", "sam"])
def test_ph2_the_list_costs_the_same_queries_whatever_the_number_of_reports(
    world, client_for, django_assert_max_num_queries, person
) -> None:
    client = client_for(getattr(world, person))
    url = _url("household_reports", pk=world.household_own.pk)
    send(world)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(4):
        send(world, title=f"Report {index}", child=world.child_own if index % 2 else None)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('href="/reports/') == 5


def test_ph2_my_reports_takes_the_carer_to_their_households_reports(world, client_for) -> None:
    response = client_for(world.carol).get(_url("my_reports"))
    assert response["Location"] == _url("household_reports", pk=world.household_own.pk)
    assert client_for(world.chris).get(_url("my_reports")).status_code == 404
