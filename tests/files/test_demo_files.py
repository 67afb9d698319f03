"""The demo has what a new user needs to try confidential files (PH-1 to PH-4): Mia's photo rules,
two photos Carol took, placement information shared with the Patels, and a report Carol sent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from safecare.core.models import User
from safecare.files import storage
from safecare.files.models import CarerReport, Photo, PhotoRules, SharedDocument
from tests.conftest import sign_in


@override_settings(DEBUG=True)
@pytest.mark.django_db
def test_carol_reads_the_demo_document_page_by_page_and_sees_mias_photos(client) -> None:
    call_command("seed_demo", stdout=StringIO())
    document = SharedDocument.objects.get(title="Placement information for Mia")
    mia = document.child
    assert PhotoRules.objects.filter(child=mia).exists()
    photos = list(Photo.objects.filter(child=mia))
    assert len(photos) == 2
    # PH-4: held encrypted: the stored bytes are not the JPEG.
    blob = storage.file_storage().open(photos[0].file.name, "rb").read()
    assert not blob.startswith(b"\xff\xd8") and storage.read(photos[0].file).startswith(b"\xff\xd8")
    assert CarerReport.objects.filter(household=document.household).count() == 1

    sign_in(client, User.objects.get(username="carol"))
    page = client.get(reverse("files:document", kwargs={"pk": document.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    # PH-1: the pages as images in the page, never the file.
    assert reverse("files:document_page", kwargs={"pk": document.pk, "number": 1}) in html
    assert reverse("files:document_download", kwargs={"pk": document.pk}) not in html
    image = client.get(reverse("files:document_page", kwargs={"pk": document.pk, "number": 1}))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert "no-store" in image["Cache-Control"]
    gallery = client.get(reverse("files:child_photos", kwargs={"pk": mia.pk}))
    assert gallery.status_code == 200
    assert "Feeding the ducks at the park" in gallery.content.decode()
