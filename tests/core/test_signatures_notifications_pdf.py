"""Shared pieces later rules use: signatures (rules: Everywhere), alerts without personal data, PDF."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.test import Client

from safecare.core.models import Notification, Signature
from safecare.core.notifications import notify, send_notification_email
from safecare.core.pdf import render_pdf
from safecare.core.signatures import sign, signature_is_intact, signatures_of
from tests.conftest import sign_in


def test_a_signature_binds_the_person_the_time_and_the_exact_content(world) -> None:
    content = {"privacy": "Knock before entering bedrooms."}
    signature = sign(actor=world.sam, document=world.household_own, content=content, signed_as="SSW")
    assert signature.signer == world.sam and signature.signer_role == "supervising_sw"
    assert signature.signed_at is not None
    assert signature_is_intact(signature, content)
    assert not signature_is_intact(signature, {"privacy": "Changed afterwards."})
    assert signatures_of(world.household_own) == [signature]


def test_signing_the_same_version_twice_is_refused(world) -> None:
    sign(actor=world.sam, document=world.household_own, content={}, signed_as="SSW")
    with pytest.raises(ValidationError, match="already signed"):
        sign(actor=world.sam, document=world.household_own, content={}, signed_as="SSW")


def test_nobody_signs_another_services_document(world) -> None:
    with pytest.raises(ValidationError):
        sign(actor=world.olga, document=world.household_own, content={}, signed_as="head")


def test_the_database_refuses_to_alter_a_signature(world) -> None:
    sign(actor=world.sam, document=world.household_own, content={}, signed_as="SSW")
    with pytest.raises(DatabaseError), transaction.atomic():
        Signature.objects.update(content_hash="0" * 64)


def _alert(world):  # type: ignore[no-untyped-def]
    return notify(
        service=world.service,
        recipients=[world.sam, world.chris, world.sam],
        kind="immediate_concern",
        subject="A carer has raised an immediate concern",
        reference=world.task_own.reference,
        url=f"/tasks/{world.task_own.pk}/",
        dedupe_key="event-1",
        rule_id="SC-8",
    )


def test_an_alert_reaches_each_person_once_in_the_app_and_by_email(
    world, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        created = _alert(world)
        _alert(world)  # the same event again: nothing new
    assert {n.recipient.username for n in created} == {"sam", "chris"}
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert world.task_own.reference in message.subject
    # rules: Everywhere: no child, carer or concern named in any e-mail.
    for text in (message.subject, message.body):
        for name in ("Patel", "Xavier", "Smith", "Carol"):
            assert name not in text


def test_an_alert_email_is_sent_once_even_if_asked_twice(world, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        created = _alert(world)
    assert send_notification_email(created[0].pk) is True
    assert send_notification_email(created[0].pk) is False
    assert len(mail.outbox) == 1


def test_a_rolled_back_event_sends_no_email(world, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        _alert(world)
        transaction.set_rollback(True)
    assert not callbacks and not mail.outbox
    assert not Notification.objects.filter(dedupe_key="event-1").exists()


def test_opening_an_alert_marks_it_read_and_goes_to_its_page(world) -> None:
    client = sign_in(Client(), world.sam)
    assert "Alerts (1)" in client.get("/").content.decode()
    response = client.post(f"/alerts/{world.notification_own.pk}/open/")
    assert response["Location"] == f"/tasks/{world.task_own.pk}/"
    world.notification_own.refresh_from_db()
    assert world.notification_own.read_at is not None


def test_a_pdf_is_rendered_from_a_template_without_network(world, tmp_path) -> None:
    pdf = render_pdf("404.html", {"request": None})
    assert pdf.startswith(b"%PDF")


def test_a_pdf_never_fetches_a_url_from_its_content(world, monkeypatch) -> None:
    from weasyprint.urls import URLFetcher

    fetched: list[str] = []
    original = URLFetcher.fetch

    def spy(self, url, headers=None):  # type: ignore[no-untyped-def]
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    from django.template import engines

    template = engines["django"].from_string(
        '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd">'
    )
    from weasyprint import HTML

    from safecare.core.pdf import StaticFilesOnly

    HTML(string=template.render({}), url_fetcher=StaticFilesOnly(), base_url="file:///").write_pdf()
    assert fetched == []  # refused before any opener ran
