"""The standards of care meeting report: written, signed, QA'd, sent, received, answered (SOC-7, SOC-8, SOC-12).

- The SSW of the household and the child's social worker named on the report write its
  sections (the procedure's Appendix 1) in a working draft.
- The SSW submits it: Safecare freezes the draft, the facts drawn from the records and
  the chronology of previous relevant concerns (SOC-12) as a ReportVersion, and the SSW
  signs that version. The fostering team manager's QA is their signature on it.
- Only the latest version, QA'd, is sent: to the chair at least 5 clear working days before
  the meeting, to the carer and their advocate at least 10 calendar days before. A sending
  later than that is refused: the meeting must move (meeting_reschedule), so the carer
  and the chair always have their notice.
- The carer confirms receipt in the app, or the sender records it; the carer may send a
  response to the chair (SOC-8).

Decisions: docs/decisions/0040-standards-of-care-meeting-report.md.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from safecare.core.audit import save_as
from safecare.core.concurrency import check_version
from safecare.core.deadlines import long_date
from safecare.core.models import Task, TaskStatus
from safecare.core.notifications import notify
from safecare.core.refusals import add_error as _add
from safecare.core.roles import Role
from safecare.core.signatures import check_signatures, intact_only, sign, signatures_of
from safecare.core.tasks import tasks_close
from safecare.households.models import AllocationKind, MemberKind, Placement
from safecare.households.selectors import current_carers, household_worker

from .duties import INVITATIONS, MINUTES, OUTCOME, REPORT, REPORT_QA, REPORT_TO_CARER, REPORT_TO_CHAIR
from .models import (
    REPORT_SECTIONS,
    AllegationResult,
    CarerResponse,
    Concern,
    Invitee,
    Meeting,
    MeetingReport,
    ReceiptConfirmation,
    Recipient,
    ReportSending,
    ReportVersion,
    SharedHow,
    Visit,
)
from .selectors import meetings_visible_to, reports_visible_to
from .services import _open_meeting_duties, notice_problem, report_notice

if TYPE_CHECKING:
    from safecare.core.models import User

SIGNED_AS_SSW = "supervising social worker"
SIGNED_AS_QA = "fostering team manager (QA)"
# Appendix 1's last section, "Please outline any appendices", may be empty; every other
# section is needed before the report goes to QA.
OPTIONAL_SECTIONS = frozenset({"appendices"})


def _label(name: str) -> str:
    return str(MeetingReport._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


# Writing ---------------------------------------------------------------------------------------


def _is_ssw(actor: User, meeting: Meeting) -> bool:
    return actor.role == Role.SUPERVISING_SW and household_worker(meeting.household) == actor


def may_write(actor: User, report_or_meeting: MeetingReport | Meeting) -> bool:
    """SOC-7: the household's SSW, and the child's social worker named on the report."""
    if not actor.has_perm("standards.write_report"):
        return False
    if isinstance(report_or_meeting, MeetingReport):
        meeting = report_or_meeting.meeting
        if actor.role == Role.CHILDS_SW:
            return report_or_meeting.csw_id == actor.pk
    else:
        meeting = report_or_meeting
    return _is_ssw(actor, meeting)


def csw_choices(meeting: Meeting) -> list[User]:
    """The social workers of the children placed in the household at the concerns, or now."""
    from safecare.core.models import User

    children = Placement.objects.filter(household=meeting.household).values("child")
    return list(
        User.objects.filter(
            is_active=True,
            role=Role.CHILDS_SW,
            allocations__kind=AllocationKind.CHILDS,
            allocations__ended_at__isnull=True,
            allocations__child__in=children,
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


@transaction.atomic
def report_save(
    *, actor: User, meeting: Meeting, values: dict[str, Any], expected_version: int | None = None
) -> MeetingReport:
    """SOC-7: save the working draft (created on first save). The CSW is chosen by the SSW only.

    Two people write it: a change saved by the other since `expected_version` is never
    overwritten (core.concurrency).
    """
    locked = Meeting.objects.select_for_update().filter(pk=meeting.pk).select_related("household").first()
    if locked is None or not locked.pk:
        raise PermissionDenied
    report = (
        MeetingReport.objects.select_for_update().filter(meeting=locked).select_related("meeting").first()
    )
    if not may_write(actor, report or locked):
        raise PermissionDenied
    if report is not None:
        check_version(report, expected_version)
    errors: dict[str, list[str]] = {}
    if hasattr(locked, "outcome"):
        _add(errors, "meeting", "Meeting: SOC-7 the meeting has taken place and its outcome is recorded")
    changes: dict[str, Any] = {}
    for name in (*REPORT_SECTIONS, "investigator"):
        if name in values:
            changes[name] = (values[name] or "").strip()
    if "csw" in values:
        csw = values["csw"]
        if actor.role == Role.CHILDS_SW:
            _add(errors, "csw", f"{_label('csw')}: the supervising social worker names them (SOC-7)")
        elif csw is not None and csw not in csw_choices(locked):
            _add(
                errors,
                "csw",
                f"{_label('csw')}: choose the social worker of a child placed in the household (SOC-7)",
            )
        else:
            changes["csw"] = csw
    if errors:
        raise ValidationError(errors)
    if report is None:
        report = MeetingReport(service=locked.service, meeting=locked, started_by=actor)
        for name, value in changes.items():
            setattr(report, name, value)
        save_as(report, actor)
        return report
    changed = [name for name, value in changes.items() if getattr(report, name) != value]
    for name in changed:
        setattr(report, name, changes[name])
    if changed:
        save_as(report, actor, update_fields=changed)
    return report


# SOC-12: the chronology, and the facts from the records ------------------------------------------


def chronology(meeting: Meeting) -> list[dict[str, str]]:
    """SOC-12: the household's previous relevant concerns, from the records, oldest first.

    Every concern recorded about the household up to the meeting, whatever its route
    (allegations and complaints are relevant too: Appendix 1), with its route, the
    allegation's outcome, the visit and the actions agreed and whether each was done; and
    each earlier standards of care meeting with its outcome. An anonymous concern says so
    and nothing more about who raised it.
    """
    household = meeting.household
    events: list[tuple[dt.date, int, dict[str, str]]] = []
    concerns = (
        Concern.objects.filter(household=household, received_on__lte=meeting.meets_on)
        .prefetch_related("route_decisions")
        .order_by("received_on", "id")
    )
    outcomes = {r.concern_id: r for r in AllegationResult.objects.filter(concern__in=concerns)}
    visits = {
        v.concern_id: v
        for v in Visit.objects.filter(concern__in=concerns).prefetch_related("actions", "actions__owner")
    }
    for concern in concerns:
        decisions = sorted(concern.route_decisions.all(), key=lambda d: (d.decided_at, d.pk))
        route = decisions[-1] if decisions else None
        raised = (
            "anonymous" if concern.anonymous else concern.raised_by or concern.get_raised_by_kind_display()
        )
        parts = [f"{concern.reference}, raised by {raised}: {concern.details}"]
        action: list[str] = []
        if route is not None:
            action.append(
                f"Route: {route.get_route_display()} ({long_date(route.decided_on)}). {route.reasons}"
            )
        else:
            action.append("Route not yet decided.")
        result = outcomes.get(concern.pk)
        if result is not None:
            action.append(
                f"Allegation outcome: {result.get_outcome_display()} ({long_date(result.outcome_on)})."
            )
        visit = visits.get(concern.pk)
        if visit is not None:
            action.append(f"Visited {long_date(visit.visited_on)}.")
            for agreed in visit.actions.all():
                done = f"done {long_date(agreed.done_on)}" if agreed.done_on else "not done"
                action.append(f"Action: {agreed.what} (by {long_date(agreed.due_on)}, {done}).")
        events.append(
            (
                concern.received_on,
                0,
                {"date": concern.received_on.isoformat(), "event": parts[0], "action": " ".join(action)},
            )
        )
    earlier = (
        Meeting.objects.filter(household=household, meets_on__lt=meeting.meets_on)
        .exclude(pk=meeting.pk)
        .select_related("outcome")
        .order_by("meets_on", "id")
    )
    for past in earlier:
        outcome = getattr(past, "outcome", None)
        events.append(
            (
                past.meets_on,
                1,
                {
                    "date": past.meets_on.isoformat(),
                    "event": "Standards of care meeting",
                    "action": (
                        f"Outcome: {outcome.get_kind_display()}. {outcome.summary}"
                        if outcome is not None
                        else "Outcome not recorded."
                    ),
                },
            )
        )
    return [event for _, _, event in sorted(events, key=lambda e: (e[0], e[1]))]


def _person(user: User | None) -> str:
    return user.display_name if user is not None else "Not allocated"


def report_facts(meeting: Meeting) -> dict[str, Any]:
    """Appendix 1's facts, from the records as they are when the report is submitted."""
    from safecare.core.models import User

    household = meeting.household
    concerns = list(meeting.proposal.concerns.order_by("received_on", "id")) or list(
        Concern.objects.filter(household=household, received_on__lte=meeting.meets_on).order_by(
            "received_on", "id"
        )
    )
    # Appendix 1: the household "at the time of concern". With several concerns, everyone who
    # lived there or was placed there at any time from the first concern to the meeting.
    since = concerns[0].received_on if concerns else meeting.meets_on
    members = [
        m
        for m in household.members.order_by("kind", "date_of_birth", "id")
        if (m.moved_in_on is None or m.moved_in_on <= meeting.meets_on)
        and (m.moved_out_on is None or m.moved_out_on > since)
    ]
    carers = [m for m in members if m.kind == MemberKind.CARER]
    others = [m for m in members if m.kind != MemberKind.CARER]
    placed = list(
        Placement.objects.filter(household=household, start_on__lte=meeting.meets_on)
        .exclude(end_on__lte=since)
        .select_related("child")
        .order_by("start_on", "id")
    )
    csws = list(
        User.objects.filter(
            allocations__kind=AllocationKind.CHILDS,
            allocations__ended_at__isnull=True,
            allocations__child__in=[p.child_id for p in placed],
        ).distinct()
    )
    csw_teams = {u.team_id for u in csws if u.team_id}
    ctms = list(User.objects.filter(team_id__in=csw_teams, role=Role.CHILDRENS_TEAM_MANAGER, is_active=True))
    from .services import _team_manager

    raised_by = []
    for concern in concerns:
        raised_by.append(
            "Anonymous" if concern.anonymous else concern.raised_by or concern.get_raised_by_kind_display()
        )
    terms = ""
    if household.max_children:
        terms = f"Up to {household.max_children} children"
        if household.age_min is not None and household.age_max is not None:
            terms += f", aged {household.age_min} to {household.age_max}"
    return {
        "household": household.name,
        "carers": [{"name": m.full_name, "date_of_birth": m.date_of_birth.isoformat()} for m in carers],
        "members": [
            {
                "name": m.full_name,
                "relationship": m.get_kind_display(),
                "date_of_birth": m.date_of_birth.isoformat(),
            }
            for m in others
        ]
        + [
            {
                "name": f"{p.child.first_name} {p.child.last_name}",
                "relationship": "Child in placement",
                "date_of_birth": p.child.date_of_birth.isoformat(),
            }
            for p in placed
        ],
        "postcode": household.postcode,
        "team": household.team.name if household.team is not None else "",
        "approved_on": household.approved_on.isoformat() if household.approved_on else "",
        "terms": terms,
        "concerns_raised_on": [c.received_on.isoformat() for c in concerns],
        "concerns_raised_by": raised_by,
        "concern_references": [c.reference for c in concerns],
        "ssw": _person(household_worker(household)),
        "team_manager": _person(_team_manager(household)),
        "csws": [u.display_name for u in csws],
        "childrens_team_managers": [u.display_name for u in ctms],
        "meeting_on": meeting.meets_on.isoformat(),
        "chair": meeting.chair.display_name,
    }


def version_content(report: MeetingReport) -> dict[str, Any]:
    """What a version freezes and its signatures cover: the sections, the facts and the chronology."""
    return {
        "sections": {name: getattr(report, name) for name in REPORT_SECTIONS},
        "investigator": report.investigator,
        "csw": report.csw.display_name if report.csw is not None else "",
        "facts": report_facts(report.meeting),
        "chronology": chronology(report.meeting),
    }


# Submitting and QA -----------------------------------------------------------------------------


def latest_version(report: MeetingReport) -> ReportVersion | None:
    return report.versions.order_by("-number").first()


def version_state(version: ReportVersion) -> dict[str, Any]:
    """The version's signatures in order, each intact or not, and whether it is signed and QA'd."""
    signatures = check_signatures(signatures_of(version), version.content)
    intact = intact_only(signatures)
    signed = any(s.signed_as == SIGNED_AS_SSW for s in intact)
    qa = next((s for s in intact if s.signed_as == SIGNED_AS_QA), None)
    return {"signatures": signatures, "signed": signed, "qa": qa, "qa_done": qa is not None and signed}


def is_qa_done(version: ReportVersion) -> bool:
    return bool(version_state(version)["qa_done"])


@transaction.atomic
def report_submit(*, actor: User, report: MeetingReport) -> ReportVersion:
    """SOC-7: the SSW submits the report for QA: every section written, then frozen and signed."""
    locked = MeetingReport.objects.select_for_update().filter(pk=report.pk).select_related("meeting").first()
    if locked is None or not actor.has_perm("standards.submit_report") or not _is_ssw(actor, locked.meeting):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    for name in REPORT_SECTIONS:
        if name not in OPTIONAL_SECTIONS and not getattr(locked, name).strip():
            _add(errors, name, f"{_label(name)}: write this section before the report goes to QA (SOC-7)")
    if hasattr(locked.meeting, "outcome"):
        _add(errors, "meeting", "Meeting: SOC-7 the meeting has taken place and its outcome is recorded")
    if errors:
        raise ValidationError(errors)
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion(
        service=locked.service,
        report=locked,
        number=number,
        content=version_content(locked),
        submitted_by=actor,
    )
    save_as(version, actor)
    sign(actor=actor, document=version, content=version.content, signed_as=SIGNED_AS_SSW)
    household = locked.meeting.household
    tasks_close(actor=actor, service=locked.service, kind=REPORT, household=household)
    qa_task = Task.objects.filter(
        service=locked.service, kind=REPORT_QA, household=household, status=TaskStatus.OPEN
    ).first()
    from .services import _team_manager

    manager = _team_manager(household)
    if manager is not None:
        notify(
            service=locked.service,
            recipients=[manager],
            kind="soc_report_for_qa",
            rule_id="SOC-7",
            subject="A standards of care meeting report is ready for QA",
            reference=f"Version {version.number}",
            url=reverse("standards:report_version", kwargs={"pk": version.pk}),
            task=qa_task,
            household=household,
            dedupe_key=f"soc_report_for_qa:{version.pk}",
        )
    return version


@transaction.atomic
def report_qa(*, actor: User, version: ReportVersion) -> ReportVersion:
    """SOC-7: the fostering team manager QAs the submitted version by signing it.

    Only the team manager of the household's team; only the latest version, signed by the
    SSW and unchanged since (its signature intact).
    """
    from .services import _team_manager

    locked = (
        ReportVersion.objects.select_for_update()
        .filter(pk=version.pk)
        .select_related("report__meeting__household")
        .first()
    )
    if locked is None or not actor.has_perm("standards.qa_report"):
        raise PermissionDenied
    household = locked.report.meeting.household
    if _team_manager(household) != actor and actor.team_id != household.team_id:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    state = version_state(locked)
    if latest_version(locked.report) != locked:
        _add(errors, "version", "Version: SOC-7 a later version was submitted; QA that one")
    elif not state["signed"]:
        _add(
            errors, "version", "Version: SOC-7 the supervising social worker's signature is missing or broken"
        )
    elif state["qa"] is not None:
        _add(errors, "version", "Version: SOC-7 this version is already QA'd")
    if errors:
        raise ValidationError(errors)
    sign(actor=actor, document=locked, content=locked.content, signed_as=SIGNED_AS_QA)
    tasks_close(actor=actor, service=locked.service, kind=REPORT_QA, household=household)
    ssw = household_worker(household)
    if ssw is not None:
        notify(
            service=locked.service,
            recipients=[ssw],
            kind="soc_report_qa_done",
            rule_id="SOC-7",
            subject="A standards of care meeting report has been QA'd and can be sent",
            reference=f"Version {locked.number}",
            url=reverse("standards:report_version", kwargs={"pk": locked.pk}),
            household=household,
            dedupe_key=f"soc_report_qa_done:{locked.pk}",
        )
    return locked


# Sending (SOC-7) -------------------------------------------------------------------------------

SEND_DUTIES = {
    Recipient.CHAIR: REPORT_TO_CHAIR,
    Recipient.CARER: REPORT_TO_CARER,
}


def latest_send_date(meeting: Meeting, recipient: str) -> dt.date:
    """SOC-7: the chair 5 clear working days before; the carer and their advocate 10 calendar days."""
    notice = report_notice(meeting.service, meeting.meets_on)
    return notice.chair_by if recipient == Recipient.CHAIR else notice.carer_by


def may_send(actor: User, meeting: Meeting) -> bool:
    return (
        actor.has_perm("standards.send_report")
        and actor.role not in (Role.CARER, Role.CHILDS_SW, Role.BUSINESS_SUPPORT)
        and meetings_visible_to(actor).filter(pk=meeting.pk).exists()
    )


@transaction.atomic
def report_send(
    *,
    actor: User,
    version: ReportVersion,
    recipient: str,
    recipient_name: str = "",
    how: str,
    sent_on: dt.date | None = None,
    receipt_confirmed: bool = False,
) -> ReportSending:
    """SOC-7: record the QA'd report sent to the chair, the carer or the carer's advocate.

    Refused before QA, for a version that is not the latest, and later than the notice
    the recipient is owed (the message names both latest dates: move the meeting). Sent in
    Safecare to the carer, the carers of the household read it in the portal and are told.
    """
    locked = (
        ReportVersion.objects.select_for_update()
        .filter(pk=version.pk, report__in=reports_visible_to(actor))
        .select_related("report__meeting__household", "report__meeting__chair", "report__meeting__service")
        .first()
    )
    if locked is None or not may_send(actor, locked.report.meeting):
        raise PermissionDenied
    meeting = locked.report.meeting
    today = timezone.localdate()
    sent_on = sent_on or today
    errors: dict[str, list[str]] = {}
    if latest_version(locked.report) != locked:
        _add(errors, "version", "Version: SOC-7 a later version was submitted; send that one once QA'd")
    elif not is_qa_done(locked):
        _add(
            errors,
            "version",
            "Version: SOC-7 the report cannot be sent before the fostering team manager has QA'd it",
        )
    if recipient not in Recipient.values:
        _add(errors, "recipient", "Sent to: choose the chair, the carer or the carer's advocate (SOC-7)")
    if how not in SharedHow.values:
        _add(errors, "how", "How it was shared: choose how the report was shared (SOC-7)")
    elif how == SharedHow.APP and recipient != Recipient.CARER:
        _add(errors, "how", "How it was shared: in Safecare only the carer receives the report (SOC-7)")
    if recipient == Recipient.ADVOCATE and not recipient_name.strip():
        _add(errors, "recipient_name", "Their name: give the advocate's name (SOC-7)")
    if sent_on > today:
        _add(errors, "sent_on", "Date it was sent: cannot be in the future")
    elif recipient in Recipient.values:
        latest = latest_send_date(meeting, recipient)
        if sent_on > latest:
            notice = report_notice(meeting.service, meeting.meets_on)
            _add(
                errors,
                "sent_on",
                f"Date it was sent: SOC-7 for the meeting on {long_date(meeting.meets_on)} the report had to "
                f"reach the chair by {long_date(notice.chair_by)} and the carer by {long_date(notice.carer_by)}; "
                "move the meeting to a later date first",
            )
    if errors:
        raise ValidationError(errors)
    name = recipient_name.strip()
    if not name:
        name = (
            meeting.chair.display_name
            if recipient == Recipient.CHAIR
            else ", ".join(c.display_name for c in current_carers(meeting.household)) or "The carer"
        )
    sending = ReportSending(
        service=locked.service,
        version=locked,
        recipient=recipient,
        recipient_name=name[:200],
        how=how,
        sent_on=sent_on,
        sent_by=actor,
    )
    save_as(sending, actor)
    if receipt_confirmed and how != SharedHow.APP:
        save_as(
            ReceiptConfirmation(
                service=locked.service, sending=sending, confirmed_on=sent_on, recorded_by=actor
            ),
            actor,
        )
    household = meeting.household
    duty = SEND_DUTIES.get(recipient)  # type: ignore[call-overload]
    if duty is not None:
        tasks_close(actor=actor, service=locked.service, kind=duty, household=household)
    url = reverse("standards:report_version", kwargs={"pk": locked.pk})
    if recipient == Recipient.CARER:
        notify(
            service=locked.service,
            recipients=current_carers(household),
            kind="soc_report_shared",
            rule_id="SOC-7",
            subject="A report for your meeting is ready to read",
            reference=f"Version {locked.number}",
            url=url,
            household=household,
            dedupe_key=f"soc_report_shared:{locked.pk}",
        )
    elif recipient == Recipient.CHAIR and how == SharedHow.SECURE_EMAIL and meeting.chair_id != actor.pk:
        notify(
            service=locked.service,
            recipients=[meeting.chair],
            kind="soc_report_to_chair",
            rule_id="SOC-7",
            subject="A standards of care meeting report has been sent to you as chair",
            reference=f"Version {locked.number}",
            url=url,
            household=household,
            dedupe_key=f"soc_report_to_chair:{locked.pk}",
        )
    return sending


@transaction.atomic
def receipt_confirm(
    *, actor: User, sending: ReportSending, confirmed_on: dt.date | None = None
) -> ReceiptConfirmation:
    """SOC-7: receipt confirmed: by the carer in the app, or recorded by staff who may send the report."""
    locked = (
        ReportSending.objects.select_for_update()
        .filter(pk=sending.pk)
        .select_related("version__report__meeting__household")
        .first()
    )
    if locked is None:
        raise PermissionDenied
    meeting = locked.version.report.meeting
    if actor.role == Role.CARER:
        if locked.recipient != Recipient.CARER or actor not in current_carers(meeting.household):
            raise PermissionDenied
    elif not may_send(actor, meeting):
        raise PermissionDenied
    today = timezone.localdate()
    confirmed_on = confirmed_on or today
    errors: dict[str, list[str]] = {}
    if ReceiptConfirmation.objects.filter(sending=locked).exists():
        _add(errors, "confirmed_on", "Date receipt was confirmed: already recorded (SOC-7)")
    elif confirmed_on > today:
        _add(errors, "confirmed_on", "Date receipt was confirmed: cannot be in the future")
    elif confirmed_on < locked.sent_on:
        _add(
            errors,
            "confirmed_on",
            f"Date receipt was confirmed: cannot be before it was sent on {long_date(locked.sent_on)} (SOC-7)",
        )
    if errors:
        raise ValidationError(errors)
    receipt = ReceiptConfirmation(
        service=locked.service, sending=locked, confirmed_on=confirmed_on, recorded_by=actor
    )
    save_as(receipt, actor)
    return receipt


# The carer's response (SOC-8) ------------------------------------------------------------------


@transaction.atomic
def carer_response_send(*, actor: User, meeting: Meeting, text: str) -> CarerResponse:
    """SOC-8: the carer sends a response to the chair, once the report reached them, up to the meeting day."""
    if not actor.has_perm("standards.respond_to_report"):
        raise PermissionDenied
    locked = Meeting.objects.filter(pk=meeting.pk).select_related("household", "chair").first()
    if locked is None or actor not in current_carers(locked.household):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if not ReportSending.objects.filter(version__report__meeting=locked, recipient=Recipient.CARER).exists():
        _add(errors, "text", "Your response: you can reply once the report has been shared with you")
    elif today > locked.meets_on:
        _add(
            errors,
            "text",
            "Your response: the meeting has taken place; talk to your supervising social worker",
        )
    if not text.strip():
        _add(errors, "text", "Your response: write what you want the chair to know")
    elif len(text) > 20000:
        _add(errors, "text", "Your response: must be 20,000 characters or fewer")
    if errors:
        raise ValidationError(errors)
    response = CarerResponse(service=locked.service, meeting=locked, text=text.strip(), sent_by=actor)
    save_as(response, actor)
    notify(
        service=locked.service,
        recipients=[locked.chair],
        kind="soc_carer_response",
        rule_id="SOC-8",
        subject="A carer has sent a response to a standards of care meeting report",
        reference=f"Meeting {long_date(locked.meets_on)}",
        url=reverse("standards:meeting_detail", kwargs={"pk": locked.pk}),
        household=locked.household,
        dedupe_key=f"soc_carer_response:{response.pk}",
    )
    return response


# Moving the meeting (SOC-7) --------------------------------------------------------------------


@transaction.atomic
def meeting_reschedule(*, actor: User, meeting: Meeting, meets_on: dt.date | None, reason: str) -> Meeting:
    """SOC-7: move the meeting to a date that again leaves room for the report's notice.

    The duties the date set move with it: open ones are cancelled and opened again on the
    new dates (core.tasks keeps both in the history). Invitations already sent are to be
    sent again, with the new date.
    """
    from safecare.core.tasks import tasks_cancel

    if not (actor.has_perm("standards.arrange_meeting") or actor.role == Role.BUSINESS_SUPPORT):
        raise PermissionDenied
    locked = (
        Meeting.objects.select_for_update()
        .filter(pk=meeting.pk, pk__in=meetings_visible_to(actor).values("pk"))
        .select_related("household", "service", "chair")
        .first()
    )
    if locked is None or actor.role == Role.CARER or actor.role == Role.CHILDS_SW:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if hasattr(locked, "outcome"):
        _add(
            errors,
            "meets_on",
            "Date of the meeting: the meeting's outcome is recorded; it cannot move (SOC-7)",
        )
    elif meets_on is None:
        _add(errors, "meets_on", "Date of the meeting: enter the date (SOC-7)")
    elif meets_on == locked.meets_on:
        _add(errors, "meets_on", "Date of the meeting: choose a different date")
    elif problem := notice_problem(report_notice(locked.service, meets_on), today):
        _add(errors, "meets_on", problem)
    if not reason.strip():
        _add(errors, "reason", "Why it moves: say why the meeting moves (SOC-7)")
    if errors or meets_on is None:
        raise ValidationError(errors)
    household = locked.household
    moving = (INVITATIONS, REPORT, REPORT_QA, REPORT_TO_CHAIR, REPORT_TO_CARER, OUTCOME, MINUTES)
    open_kinds = set(
        Task.objects.filter(
            service=locked.service, household=household, kind__in=moving, status=TaskStatus.OPEN
        ).values_list("kind", flat=True)
    )
    tasks_cancel(
        actor=actor,
        tasks=Task.objects.filter(
            service=locked.service, household=household, kind__in=moving, status=TaskStatus.OPEN
        ),
        reason=f"SOC-7: the meeting moved from {long_date(locked.meets_on)} to {long_date(meets_on)}: {reason.strip()}",
    )
    locked.meets_on = meets_on
    save_as(locked, actor, update_fields=["meets_on"])
    # Everyone already invited is invited again, to the new date (SOC-8): the invitations
    # sent are kept in each invitee's history.
    invited = list(Invitee.objects.select_for_update().filter(meeting=locked, invited_at__isnull=False))
    for invitee in invited:
        invitee.invited_at = None
        invitee.documents = []
        save_as(invitee, actor, update_fields=["invited_at", "documents"])
    if invited:
        open_kinds.add(INVITATIONS)
    _open_meeting_duties(actor=actor, meeting=locked, only=open_kinds)
    return locked
