"""Forms of the service administrator's pages: they parse input; the rules live in people.services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.urls import reverse

from safecare.core.forms import GovukForm
from safecare.core.models import FosteringService, Team, TeamKind, User
from safecare.core.roles import Role
from safecare.core.typeahead import RecordField
from safecare.households.models import AllocationKind, Child, Household
from safecare.households.services import ALLOCATION_ROLES


def _team_choices(service: FosteringService) -> forms.ModelChoiceField[Team]:
    return forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.filter(service=service).order_by("name"),
        required=False,
        empty_label="No team",
        help_text="Team managers see the cases of their team.",
    )


class VersionedForm(GovukForm):
    """Carries the version of the record the page showed (people.services: concurrent edits)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


ROLE_HELP = (
    "A role that sees children's or households' records, or that manages people, starts only when "
    "a second person confirms it: another service administrator or the head of service."
)


class UserCreateForm(GovukForm):
    username = forms.CharField(
        label="Username",
        max_length=150,
        validators=[
            UnicodeUsernameValidator(message="Username must only include letters, numbers and @ . + - _")
        ],
        help_text="What they type to sign in. Letters, numbers and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(
        label="E-mail address",
        help_text="We send a link to choose a password to this address. The link lasts one hour.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Role", choices=[("", "Choose a role"), *Role.choices], help_text=ROLE_HELP
    )
    is_active = forms.BooleanField(
        label="Active", required=False, initial=True, help_text="Only an active user can sign in."
    )

    def __init__(self, *args: Any, service: FosteringService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"] = _team_choices(service)
        self.order_fields(["username", "first_name", "last_name", "email", "role", "team", "is_active"])


class UserEditForm(VersionedForm):
    role = forms.ChoiceField(label="Role", choices=Role.choices, help_text=ROLE_HELP)
    is_active = forms.BooleanField(
        label="Active", required=False, help_text="Only an active user can sign in."
    )

    def __init__(self, *args: Any, service: FosteringService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"] = _team_choices(service)
        self.order_fields(["role", "team", "is_active", "version"])


class TeamForm(VersionedForm):
    name = forms.CharField(label="Team name", max_length=120)
    kind = forms.ChoiceField(
        label="Kind of team",
        choices=TeamKind.choices,
        widget=forms.RadioSelect,
        help_text="A fostering team looks after households; a children's team looks after children.",
    )


def _grouped_workers(service: FosteringService) -> list[tuple[str, list[tuple[int, str]]]]:
    # One query; the options are grouped by the kind of allocation each role can take.
    workers = (
        User.objects.filter(service=service, is_active=True, role__in=list(ALLOCATION_ROLES.values()))
        .only("id", "username", "first_name", "last_name", "role")
        .order_by("first_name", "last_name", "username")
    )
    groups: dict[str, list[tuple[int, str]]] = {role: [] for role in ALLOCATION_ROLES.values()}
    for worker in workers:
        groups[worker.role].append((worker.pk, f"{worker.display_name} ({worker.username})"))
    return [(Role(role).label + "s", options) for role, options in groups.items() if options]


def allocation_households(service: FosteringService) -> Any:
    """The households a worker may be allocated to: the service's, by reference and name only."""
    return Household.objects.filter(service=service).only("id", "name").order_by("name", "id")


def allocation_children(service: FosteringService) -> Any:
    return (
        Child.objects.filter(service=service)
        .only("id", "first_name", "last_name")
        .order_by("last_name", "first_name", "id")
    )


def household_label(household: Household) -> str:
    return f"{household.reference} {household.name}"


def child_label(child: Child) -> str:
    return f"{child.reference} {child.full_name}"


class AllocationForm(GovukForm):
    """Allocate a worker. Subjects are shown by reference and name only: no case content."""

    kind = forms.ChoiceField(label="Allocate as", choices=AllocationKind.choices, widget=forms.RadioSelect)
    worker = forms.TypedChoiceField(
        label="Worker",
        coerce=int,
        help_text="The worker's role must match: an assessing, supervising or child's social worker.",
    )

    def __init__(self, *args: Any, service: FosteringService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        cast(forms.ChoiceField, self.fields["worker"]).choices = [
            ("", "Choose a worker"),
            *_grouped_workers(service),
        ]
        # Typed by name or reference, suggested as you type (core.typeahead): no drop-down
        # of every household and child of the service.
        self.fields["household"] = RecordField(
            label="Household",
            queryset=allocation_households(service),
            fields=("name",),
            prefix="H",
            noun="household",
            labeller=household_label,
            required=False,
            help_text="For an assessing or supervising social worker. Type the household's name or "
            "reference, like H-00012.",
        )
        self.fields["child"] = RecordField(
            label="Child",
            queryset=allocation_children(service),
            fields=("first_name", "last_name"),
            prefix="C",
            noun="child",
            labeller=child_label,
            required=False,
            help_text="For a child's social worker. Type the child's name or reference, like C-00012.",
        )
        cast(RecordField, self.fields["household"]).set_suggestion_url(
            reverse("people:allocation_suggest") + "?kind=household"
        )
        cast(RecordField, self.fields["child"]).set_suggestion_url(
            reverse("people:allocation_suggest") + "?kind=child"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == AllocationKind.CHILDS:
            if not data.get("child"):
                self.add_error("child", "choose the child to allocate a child's social worker to")
            if data.get("household"):
                self.add_error(
                    "household",
                    "leave this empty: a child's social worker is allocated to a child, not a household",
                )
        elif kind:
            if not data.get("household"):
                self.add_error("household", "choose the household to allocate the worker to")
            if data.get("child"):
                self.add_error(
                    "child",
                    "leave this empty: an assessing or supervising social worker is allocated to a household",
                )
        worker_id = data.get("worker")
        if worker_id is not None:
            worker = User.objects.filter(
                pk=worker_id, service=self.service, is_active=True, role__in=list(ALLOCATION_ROLES.values())
            ).first()
            if worker is None:
                self.add_error("worker", "choose a worker from the list")
            else:
                data["worker"] = worker
        return data


class AllocationFilterForm(GovukForm):
    worker = forms.TypedChoiceField(label="Worker", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, service: FosteringService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["worker"]).choices = [
            ("", "All workers"),
            *_grouped_workers(service),
        ]
