"""Load a demo fostering service: one sign-in per role, households, children, tasks.

Idempotent: if the demo service exists, nothing is changed and the sign-ins are
printed again. Refuses to run outside DEBUG unless --force: demo passwords and
known two-factor keys must never reach a real deployment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from base64 import b32encode
from collections.abc import Iterator

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safecare.agreements.models import SECTION_KEYS
from safecare.agreements.services import version_create, version_sign
from safecare.core.models import FosteringService, Team, TeamKind, User
from safecare.core.roles import Role
from safecare.households import services
from safecare.households.models import (
    AllocationKind,
    Child,
    Household,
    HouseholdStatus,
    MemberKind,
    TrainingCourse,
)
from safecare.notices.services import change_notice_send
from safecare.standards.models import RaisedBy, Route
from safecare.standards.services import concern_record, route_decide
from safecare.supervision.services import recording_create

DEMO_SLUG = "demo"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed on purpose, demo only

# The Hughes household's meeting report (SOC-7): what the SSW wrote, in Appendix 1's sections.
DEMO_REPORT = {
    "reason": "Three standards of care concerns within 12 months about supervision of the children and "
    "their routines; the fostering manager decided a meeting was needed.",
    "career": "Approved nearly three years ago for up to two children; training up to date; attends the "
    "monthly support group.",
    "investigation": "Supervising social worker visits after each concern; school and the children's social "
    "worker consulted.",
    "consultation": "The carers accept the collections were late and say work shifts changed; the children "
    "say they like living there.",
    "current_situation": "Both children settled; a written routine agreed in the last visit is not yet in place.",
    "analysis": "Standard 10 (providing a suitable physical environment) and the foster care agreement's "
    "supervision terms are not met consistently.",
    "working_well": "Warm relationships; school attendance is good.",
    "worried_about": "Routines and supervision slip when the carers' shifts change.",
    "next_steps": "The meeting to consider whether the carers can make and keep the changes needed.",
}

# The placement information the supervising social worker shares with the Patels (PH-1).
DEMO_PLACEMENT_INFORMATION = """<html><body style="font-family: sans-serif">
<h1>Placement information: {first_name}</h1>
<h2>Health</h2><p>No allergies. Asthma inhaler in her school bag; her plan is with the school nurse.</p>
<h2>Contact</h2><p>Supervised contact with her mother every other Saturday, 10am to 12 noon, at the family
centre. Her social worker confirms each visit the week before.</p>
<h2>Routines</h2><p>Bedtime 7.30pm with a story. She likes the landing light on.</p>
<h2>Education</h2><p>Year 5 at her current school; transport by taxi until the end of term.</p>
</body></html>"""


def _demo_picture(
    sky: tuple[int, int, int], ground: tuple[int, int, int], sun: tuple[int, int, int]
) -> bytes:
    """A picture drawn for the demo: no real child's photo is ever in it."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 900), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 600, 1200, 900), fill=ground)
    draw.ellipse((880, 90, 1060, 270), fill=sun)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


DEMO_USERS = [
    ("carol", "Carol", "Patel", Role.CARER, None),
    ("oscar", "Oscar", "Jones", Role.CARER, None),
    ("dana", "Dana", "Hughes", Role.CARER, None),
    ("asha", "Asha", "Khan", Role.ASSESSING_SW, "Fostering North"),
    ("sam", "Sam", "Taylor", Role.SUPERVISING_SW, "Fostering North"),
    ("chris", "Chris", "Evans", Role.CHILDS_SW, "Children East"),
    ("fiona", "Fiona", "Walsh", Role.FOSTERING_TEAM_MANAGER, "Fostering North"),
    ("tom", "Tom", "Reid", Role.CHILDRENS_TEAM_MANAGER, "Children East"),
    ("sue", "Sue", "Marsh", Role.SERVICE_MANAGER, None),
    ("frank", "Frank", "Owusu", Role.FOSTERING_MANAGER, None),
    ("helen", "Helen", "Price", Role.HEAD_OF_FOSTERING, None),
    ("harry", "Harry", "Lewis", Role.HEAD_OF_SERVICE, None),
    ("bella", "Bella", "Hughes", Role.BUSINESS_SUPPORT, None),
    ("pat", "Pat", "Morgan", Role.PANEL_MEMBER, None),
    ("adam", "Adam", "Clarke", Role.AGENCY_DECISION_MAKER, None),
    ("ada", "Ada", "Brooks", Role.SERVICE_ADMIN, None),
]


DEMO_AGREEMENT = {
    "privacy": "Everyone knocks before going into a bedroom or the bathroom and waits to be asked in.",
    "bathing_dressing": "Children bathe and dress on their own; an adult helps only when asked.",
    "bedrooms": "Each child has their own bedroom. Adults do not sit on children's beds.",
    "touch_affection": "Hugs are offered, never insisted on. No play fighting or tickling.",
    "photos_internet": "No photos of foster children on social media. Devices stay downstairs at night.",
    "visitors_overnight": "Visitors are not left alone with foster children. Nobody else stays overnight.",
    "cameras_microphones": "A video doorbell at the front door only. Everyone in the home knows about it.",
    "transport": "Children sit in the back of the car.",
    "family_contact": "Contact as set out in each child's care plan.",
}


def demo_totp_key(username: str) -> str:
    """A fixed key per demo user, so the printed key works after a restart."""
    return hashlib.sha256(f"safecare-demo-totp:{username}".encode()).hexdigest()[:40]


class Command(BaseCommand):
    help = "Load the demo fostering service (idempotent) and print one sign-in per role."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--force", action="store_true", help="run even when DEBUG is off")

    def handle(self, *args, force: bool = False, **options):  # type: ignore[no-untyped-def]
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo loads known passwords: run it only with DEBUG on, or --force.")
        service = FosteringService.objects.filter(slug=DEMO_SLUG).first()
        if service is None:
            # Demo events alert the demo staff in the app; their e-mails would only be
            # noise in the terminal, so they go to a throwaway in-memory outbox.
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
                transaction.atomic(),
            ):
                service = self.create_demo()
            self.stdout.write(self.style.SUCCESS("Loaded the demo fostering service."))
        else:
            self.stdout.write("The demo fostering service is already loaded; its data is kept.")
            self.give_every_demo_user_a_device(service)
        self.print_sign_ins(service)

    def give_every_demo_user_a_device(self, service: FosteringService) -> None:
        """A demo loaded before carers used two-factor: its carers get their printed keys too."""
        for username, *_ in DEMO_USERS:
            user = User.objects.filter(service=service, username=username).first()
            if user is not None and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                TOTPDevice.objects.create(user=user, name="Demo authenticator", key=demo_totp_key(username))

    def create_demo(self) -> FosteringService:
        today = timezone.localdate()
        service = FosteringService.objects.create(name="Northshire Fostering Service", slug=DEMO_SLUG)
        teams = {
            "Fostering North": Team.objects.create(
                service=service, name="Fostering North", kind=TeamKind.FOSTERING
            ),
            "Children East": Team.objects.create(
                service=service, name="Children East", kind=TeamKind.CHILDREN
            ),
        }
        users: dict[str, User] = {}
        for username, first, last, role, team in DEMO_USERS:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.invalid",
                service=service,
                role=role,
                team=teams[team] if team else None,
            )
            # Carers as well as staff sign in with two-factor (the service's default).
            TOTPDevice.objects.create(user=user, name="Demo authenticator", key=demo_totp_key(username))
            users[username] = user
        admin = users["frank"]

        # The Patel household: approved, one child placed, carer Carol signs in.
        patel = services.household_create(
            actor=admin,
            service=service,
            name="Patel household",
            team=teams["Fostering North"],
            max_children=2,
        )
        carol = services.member_add(
            actor=admin,
            household=patel,
            kind=MemberKind.CARER,
            first_name="Carol",
            last_name="Patel",
            date_of_birth=dt.date(1981, 3, 14),
            user=users["carol"],
        )
        services.member_add(
            actor=admin,
            household=patel,
            kind=MemberKind.CARERS_CHILD,
            first_name="Ravi",
            last_name="Patel",
            date_of_birth=dt.date(2012, 9, 2),
        )
        services.training_record(
            actor=admin,
            household=patel,
            member=carol,
            course=TrainingCourse.SKILLS_TO_FOSTER,
            completed_on=today - dt.timedelta(days=200),
        )
        services.allocation_set(
            actor=admin, kind=AllocationKind.SUPERVISING, worker=users["sam"], household=patel
        )
        services.allocation_set(
            actor=admin, kind=AllocationKind.ASSESSING, worker=users["asha"], household=patel
        )
        services.household_change_status(
            actor=admin,
            household=patel,
            to_status=HouseholdStatus.IN_ASSESSMENT,
            effective_on=today - dt.timedelta(days=180),
        )
        # SC-1: the agreement is written with the household during assessment and signed.
        self.agree(writer=users["asha"], household=patel, signers=[users["carol"], users["asha"]])
        # Approved ten days ago: the SC-3 guidance task is open and due in four days.
        services.household_change_status(
            actor=admin,
            household=patel,
            to_status=HouseholdStatus.APPROVED,
            effective_on=today - dt.timedelta(days=10),
        )
        services.visitor_add(
            actor=admin,
            household=patel,
            kind="regular_visitor",
            name="Grandmother",
            relationship="Carol's mother",
            since=today - dt.timedelta(days=300),
        )

        # The Jones household: another carer's; Carol must never see it.
        jones = self.approved_household(
            users=users,
            service=service,
            team=teams["Fostering North"],
            name="Jones household",
            carer=("Oscar", "Jones", dt.date(1975, 11, 30), users["oscar"]),
            max_children=3,
            assessed_days_ago=800,
            approved_days_ago=700,
        )

        # The Okafor household: in assessment, and not yet approvable (SC-2).
        okafor = services.household_create(
            actor=users["asha"], service=service, name="Okafor household", team=teams["Fostering North"]
        )
        services.member_add(
            actor=users["asha"],
            household=okafor,
            kind=MemberKind.CARER,
            first_name="Ngozi",
            last_name="Okafor",
            date_of_birth=dt.date(1988, 6, 21),
        )
        services.household_change_status(
            actor=users["asha"], household=okafor, to_status=HouseholdStatus.IN_ASSESSMENT
        )

        # Children.
        for first, last, born, household, start in [
            ("Mia", "Robinson", dt.date(2016, 4, 9), patel, today - dt.timedelta(days=5)),
            ("Leo", "Turner", dt.date(2011, 1, 23), jones, today - dt.timedelta(days=400)),
        ]:
            child = services.child_create(
                actor=users["chris"],
                service=service,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                team=teams["Children East"],
            )
            services.placement_create(actor=users["chris"], child=child, household=household, start_on=start)
            if household == patel:
                mia = child

        # What a carer sends through the portal: a day's recording and a change of circumstances.
        recording_create(
            actor=users["carol"],
            child=mia,
            recorded_on=today - dt.timedelta(days=1),
            text="Settled well after school; we baked together and she chose a film for the evening.",
        )
        change_notice_send(
            actor=users["carol"],
            household=patel,
            kind="new_regular_visitor",
            happened_on=today - dt.timedelta(days=2),
            details="My brother will visit every Sunday afternoon from now on.",
        )
        self.devices(users=users, patel=patel, jones=jones, okafor=okafor, today=today)
        self.standards_of_care(users=users, jones=jones, today=today)
        self.standards_of_care_documents(users=users)
        self.standards_of_care_meeting_held(
            users=users, service=service, team=teams["Fostering North"], today=today
        )
        self.internet_monitoring(
            users=users, service=service, team=teams["Children East"], jones=jones, today=today
        )
        self.confidential_files(users=users, patel=patel, mia=mia, today=today)
        self.past_year_of_duties(users=users, service=service, teams=teams, jones=jones, today=today)
        # DP-1: Carol asked for everything held about her; the job runner builds the export.
        from safecare.files.services_export import request_record

        request_record(
            actor=users["frank"],
            household=patel,
            member=patel.members.get(user=users["carol"]),
            received_on=today - dt.timedelta(days=3),
        )
        return service

    def past_year_of_duties(
        self,
        *,
        users: dict[str, User],
        service: FosteringService,
        teams: dict[str, Team],
        jones: Household,
        today: dt.date,
    ) -> None:
        """The Jones household's duties of the past year, as a service moving to Safecare brings
        its records with it: most met on time, some late, one still open, some cancelled with
        their reasons, so the compliance report has something in every column."""
        from safecare.core.models import Task, TaskStatus

        leo = jones.placements.select_related("child").get(child__first_name="Leo").child
        sam, chris = users["sam"], users["chris"]
        fostering, children = teams["Fostering North"], teams["Children East"]
        london = timezone.get_current_timezone()
        rows = [
            # rule, what, days ago due, days late (None: open; "cancelled": cancelled), owner
            ("SC-10", "Supervision: discuss safe care with the carers", 330, -2, sam),
            ("SC-10", "Supervision: discuss safe care with the carers", 288, 0, sam),
            ("SC-10", "Supervision: discuss safe care with the carers", 246, 6, sam),
            ("SC-10", "Supervision: discuss safe care with the carers", 204, -1, sam),
            ("SC-10", "Supervision: discuss safe care with the carers", 162, 13, sam),
            ("SC-4", "Review the Safe Caring Family Agreement", 300, 0, sam),
            ("DV-2", "Ask the carers about cameras and microphones in the home", 240, -5, sam),
            ("DV-2", "Ask the carers about cameras and microphones in the home", 60, None, sam),
            ("SC-9", "Give the carers the child's risk assessment", 280, 3, chris),
            ("SC-5", "Review Leo's safe caring agreement", 220, -3, chris),
            ("SC-6", "Review a change the carers told us about", 150, "cancelled", sam),
            ("SC-9", "Give the carers the child's risk assessment", 120, "cancelled", chris),
        ]
        reasons = {
            "SC-6": "The visitor the carers told us about no longer visits",
            "SC-9": "The respite stay was cancelled",
        }
        for number, (rule_id, title, days_ago, late, owner) in enumerate(rows):
            due = today - dt.timedelta(days=days_ago)
            is_child = rule_id in {"SC-5", "SC-9"}
            task = Task(
                service=service,
                rule_id=rule_id,
                kind=f"demo_past_{rule_id.lower()}_{number}",
                title=title,
                household=jones,
                child=leo if is_child else None,
                owner=owner,
                team=children if is_child else fostering,
                due_on=due,
                created_at=dt.datetime.combine(due - dt.timedelta(days=28), dt.time(9), london),
            )
            if late == "cancelled":
                task.status = TaskStatus.CANCELLED
                task.completed_at = dt.datetime.combine(due - dt.timedelta(days=4), dt.time(11), london)
                task.closed_note = reasons[rule_id]
            elif isinstance(late, int):
                task.status = TaskStatus.DONE
                task.completed_at = dt.datetime.combine(due + dt.timedelta(days=late), dt.time(15), london)
            if task.completed_at is not None:
                task.completed_by = owner
            task.save()

    def confidential_files(
        self, *, users: dict[str, User], patel: Household, mia: Child, today: dt.date
    ) -> None:
        """Mia's photo rules, two photos Carol took, placement information shared with the Patels, and
        a report Carol sent (PH-1 to PH-4). Carol reads the document page by page, never as a file."""
        from weasyprint import HTML

        from safecare.files import services_documents, services_photos
        from safecare.files.models import DocumentKind, Permission

        services_photos.photo_rules_record(
            actor=users["chris"],
            child=mia,
            expected_version=None,
            wants_no_photos=False,
            childs_views="Mia likes photos of herself with animals and at the park; she does not like being "
            "photographed when she is upset or has just woken up.",
            issues_from_child="Ask Mia first every time.",
            issues_from_social_worker="No photos that show her school uniform or the street name.",
            issues_from_birth_parents="Her mother asks for no photos to be shared outside the foster family.",
            planning_meeting_on=today - dt.timedelta(days=6),
            school_photos=Permission.YES,
            community_photos=Permission.NOT_DECIDED,
        )
        for caption, colours, days_ago in [
            ("Feeding the ducks at the park", ((135, 190, 235), (90, 160, 80), (250, 210, 60)), 3),
            ("Mia's drawing of our cat", ((250, 245, 235), (230, 120, 60), (60, 60, 60)), 1),
        ]:
            services_photos.photo_upload(
                actor=users["carol"],
                child=mia,
                files=[(_demo_picture(*colours), "photo.jpg")],
                caption=caption,
                taken_on=today - dt.timedelta(days=days_ago),
                rules_confirmed=True,
            )
        pdf = HTML(string=DEMO_PLACEMENT_INFORMATION.format(first_name=mia.first_name)).write_pdf()
        services_documents.document_share(
            actor=users["sam"],
            household=patel,
            child=mia,
            title=f"Placement information for {mia.first_name}",
            kind=DocumentKind.PLACEMENT_INFORMATION,
            description="Read this before her first contact visit. It stays in Safecare: you cannot download it.",
            upload=services_documents.Upload(name="placement-information.pdf", data=pdf),
        )
        services_documents.report_send(
            actor=users["carol"],
            household=patel,
            child=mia,
            title="First week at school",
            body="Mia settled into her new class well. Her teacher says she is quiet but joins in at "
            "story time. She asked when she will next see her mum.",
        )

    def internet_monitoring(
        self,
        *,
        users: dict[str, User],
        service: FosteringService,
        team: Team,
        jones: Household,
        today: dt.date,
    ) -> None:
        """Jay, 16, in supported lodgings with the Jones household: from a worry to an agreement to
        monitor his internet use that started a month ago, so its first review is due now (IM-1 to IM-9).

        Where Jay lives and the agreement go through the procedure's services; the earlier steps,
        dated in the past, are made with the models (see below).
        """
        from safecare.core.dates import add_months
        from safecare.monitoring import services_agree, services_assess
        from safecare.monitoring.models import (
            Assessment,
            Decision,
            Discussion,
            Evaluation,
            ResidenceKind,
            RiskKind,
            RiskLevel,
            Signatory,
            StrategyDiscussion,
            Worry,
        )

        def _at(day: dt.date) -> dt.datetime:
            return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))

        chris = users["chris"]
        starts_on = add_months(today, -1)
        jay = services.child_create(
            actor=chris,
            service=service,
            first_name="Jay",
            last_name="Morris",
            date_of_birth=dt.date(today.year - 16, 2, 11),
            team=team,
        )
        services_assess.residence_record(
            actor=chris,
            child=jay,
            kind=ResidenceKind.SUPPORTED_LODGINGS,
            provider="Oscar Jones",
            address_kind="A room in the host's home",
            from_on=starts_on - dt.timedelta(days=120),
            household=jones,
        )
        # IM-1 to IM-6 happened over the weeks before the agreement: the services record a worry
        # as told today and refuse an assessment dated before it, so these past steps are made
        # with the models directly, dated as they happened. The agreement goes through its service.
        told = starts_on - dt.timedelta(days=31)
        worry = Worry.objects.create(
            service=service,
            child=jay,
            risk=RiskKind.FROM_OTHERS,
            details="An adult Jay met in an online game keeps messaging him late at night and asked to meet him.",
            noticed_on=told,
            raised_by=users["oscar"],
            raised_at=_at(told),
        )
        assessment = Assessment.objects.create(
            service=service,
            child=jay,
            worry=worry,
            assessed_on=starts_on - dt.timedelta(days=24),
            young_person_took_part=True,
            family="His aunt, who has parental responsibility",
            officers="The police online child safety officer",
            carers="Oscar Jones, his supported lodgings host",
            findings="The adult is grooming Jay: requests for photographs, gifts and a meeting.",
            level=RiskLevel.SIGNIFICANT,
            recorded_by=chris,
            recorded_at=_at(starts_on - dt.timedelta(days=24)),
        )
        StrategyDiscussion.objects.create(
            service=service,
            assessment=assessment,
            held_on=starts_on - dt.timedelta(days=21),
            manager=users["tom"],
            outcome="Refer to the Extra-Familial Risk of Harm panel; the police to investigate the adult.",
            attendees="The police online child safety officer",
            recorded_by=chris,
            recorded_at=_at(starts_on - dt.timedelta(days=21)),
        )
        evaluation = Evaluation.objects.create(
            service=service,
            assessment=assessment,
            evaluated_on=starts_on - dt.timedelta(days=14),
            team_manager=users["tom"],
            service_manager=users["sue"],
            summary="Blocking and online-safety work have not stopped the contact; the risk stays significant.",
            legal_advice_taken=False,
            legal_advice_reasons="Jay and his aunt support monitoring; nothing is done without their agreement.",
            recorded_by=chris,
            recorded_at=_at(starts_on - dt.timedelta(days=14)),
        )
        decision = Decision.objects.create(
            service=service,
            child=jay,
            evaluation=evaluation,
            monitor=True,
            reasons="The adult keeps finding new ways to reach Jay; he has agreed to accept help.",
            less_restrictive_evidence="Six weeks of blocking accounts and online-safety sessions; the contact went on.",
            legal_and_necessary="To protect Jay from significant harm from the adult.",
            reasonable_and_proportionate="Only messages from new contacts, for six months, with a plan to stop.",
            decided_on=starts_on - dt.timedelta(days=10),
            decided_by=chris,
            decided_at=_at(starts_on - dt.timedelta(days=10)),
        )
        Discussion.objects.create(
            service=service,
            decision=decision,
            held_on=starts_on - dt.timedelta(days=7),
            young_person_views="Jay agrees, as long as Oscar does not read his messages with his friends.",
            family_support=True,
            family="His aunt supports the plan.",
            recorded_by=chris,
            recorded_at=_at(starts_on - dt.timedelta(days=7)),
        )
        services_agree.agreement_record(
            actor=chris,
            child=jay,
            decision=decision,
            starts_on=starts_on,
            ends_on=add_months(starts_on, 6),
            what="New contacts and messages from people Jay does not know, in his games and social media apps.",
            how="A parental-control app on Jay's phone reports new contacts once a week.",
            by_whom="Oscar Jones, his host, with Jay, each Sunday evening.",
            who_sees="Oscar and Jay together, and Jay's social worker; nobody reads his messages with friends.",
            action_plan="Weekly online-safety sessions; from the third month Jay checks new contacts himself "
            "with Oscar, and monitoring stops at the end date unless a review decides otherwise.",
            signatory=Signatory.YOUNG_PERSON,
            signed_on=starts_on - dt.timedelta(days=2),
            gillick_assessed_on=starts_on - dt.timedelta(days=3),
            gillick_assessment="Jay understands what is monitored, why, for how long, and that he can ask for "
            "a review at any time.",
        )

    def standards_of_care(self, *, users: dict[str, User], jones: Household, today: dt.date) -> None:
        """Two standards of care concerns about the Jones household within 12 months (SOC-1, SOC-2).

        A third, recorded by a fostering manager (frank) and routed to standards of care,
        makes three within 12 months: Safecare proposes a meeting (SOC-5).
        """
        told = [
            (150, "The school says Leo has come in without a coat on cold days several times."),
            (60, "A neighbour says Leo was left with a teenage babysitter until late at night."),
        ]
        for days_ago, details in told:
            concern = concern_record(
                actor=users["sam"],
                household=jones,
                raised_by_kind=RaisedBy.ROLE,
                raised_by="Class teacher" if days_ago == 150 else "Neighbour",
                received_on=today - dt.timedelta(days=days_ago),
                details=details,
            )
            route_decide(
                actor=users["frank"],
                concern=concern,
                harmed_child=False,
                offence_against_child=False,
                risk_of_harm=False,
                unsuitable=False,
                carers_own_child=False,
                other_borough=False,
                route=Route.STANDARDS_OF_CARE,
                reasons="About the carers' practice, with no harm or risk of harm to a child.",
            )

    def approved_household(
        self,
        *,
        users: dict[str, User],
        service: FosteringService,
        team: Team,
        name: str,
        carer: tuple[str, str, dt.date, User],
        max_children: int,
        assessed_days_ago: int,
        approved_days_ago: int,
    ) -> Household:
        """A household approved long ago through the workflow: its carer trained (SC-2), assessed
        by asha, its agreement signed (SC-1), the guidance given (SC-3), supervised by sam."""
        admin = users["frank"]
        today = timezone.localdate()
        first, last, born, account = carer
        household = services.household_create(
            actor=admin, service=service, name=name, team=team, max_children=max_children
        )
        member = services.member_add(
            actor=admin,
            household=household,
            kind=MemberKind.CARER,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            user=account,
        )
        services.training_record(
            actor=admin,
            household=household,
            member=member,
            course=TrainingCourse.SKILLS_TO_FOSTER,
            completed_on=today - dt.timedelta(days=assessed_days_ago + 100),
        )
        services.allocation_set(
            actor=admin, kind=AllocationKind.SUPERVISING, worker=users["sam"], household=household
        )
        services.allocation_set(
            actor=admin, kind=AllocationKind.ASSESSING, worker=users["asha"], household=household
        )
        services.household_change_status(
            actor=admin,
            household=household,
            to_status=HouseholdStatus.IN_ASSESSMENT,
            effective_on=today - dt.timedelta(days=assessed_days_ago),
        )
        self.agree(writer=users["asha"], household=household, signers=[account, users["asha"]])
        services.household_change_status(
            actor=admin,
            household=household,
            to_status=HouseholdStatus.APPROVED,
            effective_on=today - dt.timedelta(days=approved_days_ago),
        )
        services.household_record_guidance(
            actor=admin, household=household, given_on=today - dt.timedelta(days=approved_days_ago - 5)
        )
        return household

    def standards_of_care_documents(self, *, users: dict[str, User]) -> None:
        """SOC-8: the three documents every invitation is sent with, uploaded once by business support."""
        from safecare.core.pdf import render_pdf
        from safecare.standards.models import DocumentKind
        from safecare.standards.services_meeting import service_document_upload

        for kind, text in (
            (DocumentKind.PROCEDURE, "The service's Standards of Care procedure (demo copy)."),
            (
                DocumentKind.CONFIDENTIALITY,
                "Confidentiality agreement for standards of care meetings (demo copy).",
            ),
            (DocumentKind.CODE_OF_CONDUCT, "Code of conduct for virtual meetings (demo copy)."),
        ):
            pdf = render_pdf("standards/demo_document.html", {"text": text})
            service_document_upload(actor=users["bella"], kind=kind, name=f"{kind}.pdf", content=pdf)

    def standards_of_care_meeting_held(
        self, *, users: dict[str, User], service: FosteringService, team: Team, today: dt.date
    ) -> None:
        """A case that has reached its meeting (SOC-7 to SOC-10), for the walk from the outcome on.

        The Hughes household had three concerns within 12 months; its meeting was held three
        days ago on a report QA'd and shared in time. What is left: frank, the chair, records
        the outcome (a referral to the panel); pat records the panel's recommendation; adam,
        the agency decision maker, decides. The meeting happened in the past, so its records
        are written as they would stand today rather than replayed through the services,
        which refuse a meeting date already gone; the outcome's duty is opened as arranging
        it would have.
        """
        from safecare.core.signatures import sign
        from safecare.core.tasks import task_open
        from safecare.standards.duties import OUTCOME
        from safecare.standards.models import (
            REPORT_SECTIONS,
            Meeting,
            MeetingProposal,
            MeetingReport,
            Recipient,
            ReportSending,
            ReportVersion,
            SharedHow,
        )
        from safecare.standards.services_report import SIGNED_AS_QA, SIGNED_AS_SSW, version_content

        hughes = self.approved_household(
            users=users,
            service=service,
            team=team,
            name="Hughes household",
            carer=("Dana", "Hughes", dt.date(1979, 2, 14), users["dana"]),
            max_children=2,
            assessed_days_ago=1100,
            approved_days_ago=1000,
        )
        concerns = []
        for days_ago, details in (
            (300, "The school says the children are often collected an hour late."),
            (190, "A relative says the children were left alone in the evening."),
            (75, "The children's social worker says the agreed bedtime routine has stopped."),
        ):
            concern = concern_record(
                actor=users["sam"],
                household=hughes,
                raised_by_kind=RaisedBy.ROLE if days_ago != 190 else RaisedBy.ANONYMOUS,
                raised_by="Head teacher"
                if days_ago == 300
                else ("" if days_ago == 190 else "Child's social worker"),
                received_on=today - dt.timedelta(days=days_ago),
                details=details,
            )
            route_decide(
                actor=users["frank"],
                concern=concern,
                harmed_child=False,
                offence_against_child=False,
                risk_of_harm=False,
                unsuitable=False,
                carers_own_child=False,
                other_borough=False,
                route=Route.STANDARDS_OF_CARE,
                reasons="About the carers' practice, with no harm or risk of harm to a child.",
            )
            concerns.append(concern)
        proposal = MeetingProposal.objects.filter(household=hughes, decided_at__isnull=True).first()
        if proposal is None:
            proposal = MeetingProposal.objects.create(
                service=service,
                household=hughes,
                proposed_on=today - dt.timedelta(days=70),
                three_concerns=True,
            )
            proposal.concerns.set(concerns)
        from safecare.standards.services import proposal_decide

        proposal_decide(
            actor=users["frank"], proposal=proposal, convene=True, reasons="Three concerns in 12 months."
        )
        meets_on = today - dt.timedelta(days=3)
        meeting = Meeting.objects.create(
            service=service,
            household=hughes,
            proposal=proposal,
            meets_on=meets_on,
            place="Council House, room 4",
            chair=users["frank"],
            arranged_by=users["bella"],
        )
        report = MeetingReport.objects.create(
            service=service,
            meeting=meeting,
            started_by=users["sam"],
            **{name: DEMO_REPORT.get(name, "See the chronology.") for name in REPORT_SECTIONS},
        )
        version = ReportVersion.objects.create(
            service=service,
            report=report,
            number=1,
            content=version_content(report),
            submitted_by=users["sam"],
        )
        sign(actor=users["sam"], document=version, content=version.content, signed_as=SIGNED_AS_SSW)
        sign(actor=users["fiona"], document=version, content=version.content, signed_as=SIGNED_AS_QA)
        for recipient, how in (
            (Recipient.CHAIR, SharedHow.SECURE_EMAIL),
            (Recipient.CARER, SharedHow.RECORDED_DELIVERY),
        ):
            ReportSending.objects.create(
                service=service,
                version=version,
                recipient=recipient,
                recipient_name="Frank Owusu" if recipient == Recipient.CHAIR else "Dana Hughes",
                how=how,
                sent_on=meets_on - dt.timedelta(days=14),
                sent_by=users["sam"],
            )
        task_open(
            service=service,
            rule_id="SOC-10",
            kind=OUTCOME,
            title="Record the outcome of the standards of care meeting",
            due_on=meets_on,
            due_basis=f"SOC-10: the meeting on {meets_on:%-d %B %Y}",
            owner=users["frank"],
            household=hughes,
            actor=users["frank"],
        )

    def devices(
        self, *, users: dict[str, User], patel: Household, jones: Household, okafor: Household, today: dt.date
    ) -> None:
        """The device register: one of each verdict, and a CCTV request being written.

        The speaker in Mia's bedroom is prohibited (DV-6: this service allows no speaker in a
        child's bedroom): declaring it alerts Sam and opens his task to have it taken out, due
        the same working day, which stays open until the speaker is off the register or moved.
        """
        from safecare.devices import services_cctv, services_register
        from safecare.devices.models import DeviceType, Purpose, RecordsWhen, RoomKind

        common = {"responsible_person": "The carers", "members_told_on": today - dt.timedelta(days=3)}
        # Carol tells the service about two devices (DV-2): Sam has them to review.
        services_register.device_declare(
            actor=users["carol"],
            household=patel,
            device_type=DeviceType.VIDEO_DOORBELL,
            room="Front door",
            room_kind=RoomKind.OUTSIDE,
            positioning="Beside the front door, facing the path",
            records_video=True,
            records_audio=True,
            purpose=Purpose.PROPERTY,
            internet_connected=True,
            cloud_upload=True,
            strong_password=True,
            software_up_to_date=True,
            retention_hours=720,
            storage="The doorbell maker's cloud service",
            access="Carol",
            **common,
        )
        # Prohibited: Sam's "take it out" task (DV-6, decided by the verdict) opens with it.
        services_register.device_declare(
            actor=users["carol"],
            household=patel,
            device_type=DeviceType.SMART_SPEAKER,
            room="Mia's bedroom",
            room_kind=RoomKind.CHILD_BEDROOM,
            positioning="On the bedside table",
            records_audio=True,
            purpose=Purpose.HOME_USE,
            purpose_detail="Music at bedtime",
            internet_connected=True,
            retention_hours=0,
            **common,
        )
        hallway = services_register.device_declare(
            actor=users["sam"],
            household=patel,
            device_type=DeviceType.CCTV_CAMERA,
            status="planned",
            room="Hallway",
            room_kind=RoomKind.COMMUNAL,
            positioning="High on the wall, facing the front door only",
            records_video=True,
            purpose=Purpose.HOUSEHOLD_SAFETY,
            retention_hours=24,
            storage="A recorder in the loft, not connected to the internet",
            access="Carol",
            **common,
        )
        services_cctv.request_create(
            actor=users["sam"],
            household=patel,
            reasons="A former partner of Carol's has come to the house twice and made threats.",
            alternatives="A new door, locks and an alarm were fitted; the police recommend a camera.",
            camera_positions="One camera high in the hallway, facing the front door only.",
            period_start=today,
            period_end=today + dt.timedelta(days=182),
            devices=[hallway],
        )
        services_register.device_declare(
            actor=users["sam"],
            household=jones,
            device_type=DeviceType.PET_CAMERA,
            room="Kitchen",
            room_kind=RoomKind.COMMUNAL,
            positioning="On the windowsill, facing the dog's bed",
            records_video=True,
            purpose=Purpose.PETS,
            # DV-8: watching the dog while nobody is home, so it is allowed.
            records_when=RecordsWhen.NOBODY_HOME,
            retention_hours=0,
            **common,
        )
        # An applicant's camera inside: approval is refused until it goes or is agreed (DV-4).
        services_register.device_declare(
            actor=users["asha"],
            household=okafor,
            device_type=DeviceType.INTERNAL_SECURITY_CAMERA,
            room="Lounge",
            room_kind=RoomKind.COMMUNAL,
            positioning="On the bookcase, facing the patio doors",
            records_video=True,
            purpose=Purpose.PROPERTY,
            retention_hours=48,
            storage="A memory card in the camera",
            access="Ngozi",
            **common,
        )

    def agree(self, *, writer: User, household: Household, signers: list[User]) -> None:
        version = version_create(
            actor=writer,
            household=household,
            based_on=0,
            participants=list(household.members.all()),
            sections={key: DEMO_AGREEMENT.get(key, "Nothing further agreed.") for key in SECTION_KEYS},
        )
        for signer in signers:
            version_sign(actor=signer, version=version, confirmed=True)

    def print_sign_ins(self, service: FosteringService) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins for {service.name} at {settings.SITE_URL.rstrip('/')}/")
        self.stdout.write(f"Every password is: {DEMO_PASSWORD}")
        self.stdout.write(
            "Everyone also needs a two-factor code: add the key to an authenticator app, or run "
            "`make demo-code USER=<username>` for the current code."
        )
        self.stdout.write("")
        rows = list(self._rows())
        width = max(len(label) for _, label, _ in rows)
        for username, label, key in rows:
            line = f"  {label.ljust(width)}  {username:<7}"
            if key:
                line += f"  two-factor key {key}"
            self.stdout.write(line)
        self.stdout.write("")

    def _rows(self) -> Iterator[tuple[str, str, str]]:
        for username, _, _, role, _ in DEMO_USERS:
            key = b32encode(bytes.fromhex(demo_totp_key(username))).decode()
            yield username, Role(role).label, key
