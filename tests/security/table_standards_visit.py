"""Access table of the visit record signed and printed (SOC-4), a meeting on the fostering
manager's own grounds (SOC-5), the support referral (SOC-6) and the resignation (SOC-11):
pages and API.

- The visit record is signed by the household's SSW (sam), who shares it, and then by the
  household's carers (carol; oscar for household_other, which has no SSW). Its signatures
  are read by whoever reads the visit. Its PDF is for the household's side only: the SoC
  readers (sam, fiona, frank, helen, harry); carers read it in Safecare (PH-1).
- A meeting on the manager's own grounds, and a resignation, are recorded by a fostering
  manager or a head (frank, helen, harry; olga in her own service, through the API body).
- The support referral is recorded by the household's SSW only (sam; nobody for
  household_other); referrals, resignations and the support page are read by the SoC readers.
- Everyone else gets 404, as for the records themselves.

soc_visit_own and soc_convened_own are table_standards.extend's (the visit signed and
shared, the meeting decided on); this table adds a support referral for each convened
proposal and a resignation for each household, for the walks only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safecare.standards.models import Resignation, SupportReferral

READERS = {"sam", "fiona", "frank", "helen", "harry"}
READERS_OTHER = {"frank", "helen", "harry"}
DECIDERS = {"frank", "helen", "harry"}
EVERYONE = {
    "carol", "oscar", "asha", "sam", "chris", "fiona", "tom", "sue", "frank",
    "helen", "harry", "bella", "pat", "adam", "ada", "olga",
}  # fmt: skip
VISIT_READERS = READERS | {"carol"}
VISIT_READERS_OTHER = READERS_OTHER | {"oscar"}


def extend(world: Any) -> None:
    """For the walks only (test_access_table.walk_world), after table_standards.extend."""
    today = timezone.localdate()
    for suffix in ("own", "other", "south"):
        convened = getattr(world, f"soc_convened_{suffix}")
        referral = SupportReferral.objects.filter(
            proposal=convened
        ).first() or SupportReferral.objects.create(
            service=convened.service,
            household=convened.household,
            proposal=convened,
            referred_on=today,
            how="By e-mail to the Fostering Network.",
            recorded_by=convened.decided_by,
        )
        resignation = Resignation.objects.filter(household=convened.household).first()
        if resignation is None:
            resignation = Resignation.objects.create(
                service=convened.service,
                household=convened.household,
                received_on=today,
                deregisters_on=today + dt.timedelta(days=28),
                recorded_by=convened.decided_by,
            )
            resignation.concerns.set([getattr(world, f"soc_concern_{suffix}")])
        setattr(world, f"soc_support_{suffix}", referral)
        setattr(world, f"soc_resignation_{suffix}", resignation)


def _rows(
    name: str,
    attr: str,
    allowed: set[str],
    allowed_other: set[str],
    methods: tuple[str, ...] = ("GET", "POST"),
) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "kwargs": {"pk": attr},
            "method": method,
            "allowed": allowed,
            "own": attr,
            "other": attr.replace("_own", "_other"),
            "allowed_other": allowed_other,
        }
        for method in methods
    ]


def _api(
    name: str, method: str, allowed: set[str], own: str | None = None, allowed_other: set[str] | None = None
) -> dict[str, Any]:
    return {
        "name": name,
        "kwargs": {"pk": own} if own else {},
        "method": method,
        "allowed": allowed,
        "own": own,
        "other": own.replace("_own", "_other") if own else None,
        "allowed_other": allowed_other or set(),
        "api": True,
    }


ROUTES: list[dict[str, Any]] = [
    # SOC-4: signing (the SSW signs and shares; the carers sign once shared) and printing.
    *_rows("standards:visit_sign", "soc_visit_own", {"sam", "carol"}, {"oscar"}),
    *_rows("standards:visit_pdf", "soc_visit_own", READERS, READERS_OTHER, ("GET",)),
    # SOC-5: a meeting on the fostering manager's own grounds.
    *_rows("standards:propose_meeting", "household_own", DECIDERS, DECIDERS),
    # SOC-6, SOC-11: the support page, the referral (the household's SSW), the resignation.
    *_rows("standards:support_list", "household_own", READERS, READERS_OTHER, ("GET",)),
    *_rows("standards:support_create", "soc_convened_own", {"sam"}, set()),
    *_rows("standards:resignation_create", "household_own", DECIDERS, DECIDERS),
    *_rows("standards:resignation_detail", "soc_resignation_own", READERS, READERS_OTHER, ("GET",)),
    # The API.
    _api("soc-visit-signature-signatures", "GET", VISIT_READERS, "soc_visit_own", VISIT_READERS_OTHER),
    _api("soc-visit-signature-sign", "POST", {"sam", "carol"}, "soc_visit_own", {"oscar"}),
    _api("soc-meeting-grounds-list", "POST", DECIDERS | {"olga"}),
    _api("soc-support-referral-list", "GET", EVERYONE),
    _api("soc-support-referral-list", "POST", {"sam"}),
    _api("soc-support-referral-detail", "GET", READERS, "soc_support_own", READERS_OTHER),
    _api("soc-resignation-list", "GET", EVERYONE),
    _api("soc-resignation-list", "POST", DECIDERS | {"olga"}),
    _api("soc-resignation-detail", "GET", READERS, "soc_resignation_own", READERS_OTHER),
    _api("soc-resignation-withdraw", "POST", DECIDERS, "soc_resignation_own", DECIDERS),
]
