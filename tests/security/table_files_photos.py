"""Access table of children's photos and lost devices (safecare.files.views_photos and api_photos,
PH-3 to PH-6).

Each child (child_own: Xavier, placed with the Patel household, carol, SSW sam, CSW chris,
children's team tom, fostering team fiona; child_other: Yasmin, with the Jones household, oscar,
no SSW, no CSW, no team; child_south in the other service) has photo rules, a photo taken by the
household, a handover, a request to keep photos and a loss report naming them.

- a child's photos page and a photo's image: the household's carers, and the staff who see the
  child or the household (files.selectors): for Xavier sam, chris, fiona, tom, sue, frank, helen
  and harry; for Yasmin sue, frank, helen and harry. Carers never download;
- recording the rules: the child's social worker, the children's team manager and the
  household's SSW; uploading and asking to keep: the household's carers;
- a handover: staff only; receiving it and its ZIP: the child's social worker (and team manager);
- a keep request: the household's carers and staff who see it; deciding: its SSW and fostering
  team manager;
- a loss report: the household's carers and the staff who see it; recording action: the named
  child's social worker and team manager. Reporting one: any carer with a household.
Everyone else, and every other service, gets 404.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from PIL import Image

from safecare.files import storage
from safecare.files.models import (
    Handover,
    KeepRequest,
    LossKind,
    LossReport,
    LostThing,
    Permission,
    Photo,
    PhotoRules,
)
from safecare.households.models import Placement

from .table_standards_api import EVERYONE, _api

SEE_OWN = {"sam", "chris", "fiona", "tom", "sue", "frank", "helen", "harry"}
SEE_OTHER = {"sue", "frank", "helen", "harry"}
CARER_OWN = {"carol"}
CARER_OTHER = {"oscar"}


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def _records(world: Any, suffix: str, child: Any, household: Any, carer: Any) -> None:
    service = child.service
    now = timezone.now()
    rules = PhotoRules.objects.create(
        service=service,
        child=child,
        childs_views="Happy to have photos at home.",
        school_photos=Permission.NOT_DECIDED,
        community_photos=Permission.NOT_DECIDED,
        recorded_by=carer,
    )
    stored = storage.store(service=service, data=_jpeg(), content_type="image/jpeg", filename="p.jpg")
    photo = Photo.objects.create(
        service=service,
        child=child,
        household=household,
        file=stored,
        width=8,
        height=8,
        caption="In the garden",
        uploaded_by=carer,
        rules_confirmed_at=now,
    )
    placement = Placement.objects.filter(child=child, household=household).first()
    handover = Handover.objects.create(
        service=service, placement=placement, child=child, household=household, photo_count=1
    )
    keep = KeepRequest.objects.create(
        service=service,
        household=household,
        child=child,
        reason="Her first birthday with us.",
        asked_by=carer,
    )
    keep.photos.add(photo)
    loss = LossReport.objects.create(
        service=service,
        household=household,
        what=LostThing.PHONE,
        kind=LossKind.LOST,
        happened_on=timezone.localdate(),
        reported_by=carer,
    )
    loss.children.add(child)
    for name, record in (
        ("photo_rules", rules),
        ("photo", photo),
        ("photo_handover", handover),
        ("keep_request", keep),
        ("loss_report", loss),
    ):
        setattr(world, f"{name}_{suffix}", record)


def extend(world: Any) -> None:
    _records(world, "own", world.child_own, world.household_own, world.carol)
    _records(world, "other", world.child_other, world.household_other, world.oscar)
    south_carer = world.users["olga"]
    _records(world, "south", world.child_south, world.household_south, south_carer)


def _page(
    name: str, attr: str | None, allowed: set[str], allowed_other: set[str], method: str
) -> dict[str, Any]:
    row: dict[str, Any] = {"name": name, "method": method, "allowed": allowed}
    if attr is None:
        row["kwargs"] = {}
        return row
    row.update(
        {
            "kwargs": {"pk": attr},
            "own": attr,
            "other": attr.replace("_own", "_other"),
            "allowed_other": allowed_other,
        }
    )
    return row


ROUTES: list[dict[str, Any]] = [
    # PH-3 to PH-5: the child's photos, and the rules.
    _page("files:child_photos", "child_own", SEE_OWN | CARER_OWN, SEE_OTHER | CARER_OTHER, "GET"),
    _page("files:record_photo_rules", "child_own", {"chris", "tom", "sam"}, set(), "GET"),
    _page("files:record_photo_rules", "child_own", {"chris", "tom", "sam"}, set(), "POST"),
    # PH-4: uploading, and one photo.
    _page("files:upload_photo", "child_own", CARER_OWN, CARER_OTHER, "GET"),
    _page("files:upload_photo", "child_own", CARER_OWN, CARER_OTHER, "POST"),
    _page("files:photo_thumbnail", "photo_own", SEE_OWN | CARER_OWN, SEE_OTHER | CARER_OTHER, "GET"),
    _page("files:photo_image", "photo_own", SEE_OWN | CARER_OWN, SEE_OTHER | CARER_OTHER, "GET"),
    _page("files:photo_download", "photo_own", SEE_OWN, SEE_OTHER, "GET"),
    # PH-5: the handover, and keeping a few.
    _page("files:handover", "photo_handover_own", SEE_OWN, SEE_OTHER, "GET"),
    _page("files:handover", "photo_handover_own", {"chris", "tom"}, set(), "POST"),
    _page("files:handover_download", "photo_handover_own", {"chris", "tom"}, set(), "GET"),
    _page("files:ask_to_keep", "child_own", CARER_OWN, CARER_OTHER, "GET"),
    _page("files:ask_to_keep", "child_own", CARER_OWN, CARER_OTHER, "POST"),
    _page("files:keep_request", "keep_request_own", SEE_OWN | CARER_OWN, SEE_OTHER | CARER_OTHER, "GET"),
    _page("files:keep_request", "keep_request_own", {"sam", "fiona"}, set(), "POST"),
    # PH-6: lost or stolen.
    _page("files:report_loss", None, CARER_OWN | CARER_OTHER, set(), "GET"),
    _page("files:report_loss", None, CARER_OWN | CARER_OTHER, set(), "POST"),
    _page("files:loss_report", "loss_report_own", SEE_OWN | CARER_OWN, SEE_OTHER | CARER_OTHER, "GET"),
    _page("files:loss_report", "loss_report_own", {"chris", "tom"}, set(), "POST"),
    # The API: details only, scoped as the pages.
    _api("photo-list", "GET", EVERYONE),
    _api("photo-detail", "GET", SEE_OWN | CARER_OWN, "photo_own", SEE_OTHER | CARER_OTHER),
    _api("photo-rules-list", "GET", EVERYONE),
    _api("photo-rules-detail", "GET", SEE_OWN | CARER_OWN, "photo_rules_own", SEE_OTHER | CARER_OTHER),
    _api("loss-report-list", "GET", EVERYONE),
    _api("loss-report-list", "POST", CARER_OWN | CARER_OTHER),
    _api("loss-report-detail", "GET", SEE_OWN | CARER_OWN, "loss_report_own", SEE_OTHER | CARER_OTHER),
    _api("keep-request-list", "GET", EVERYONE),
    _api("keep-request-detail", "GET", SEE_OWN | CARER_OWN, "keep_request_own", SEE_OTHER | CARER_OTHER),
]
