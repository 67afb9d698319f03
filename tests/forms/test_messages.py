"""GOV.UK error messages, "(optional)" and the plausibility of dates and names (decision 0027).

The expected messages are the GOV.UK content style's patterns written out: "Enter
<label>", "Select <label>", "<Label> must be N characters or fewer", "<Label> must
be a real date", "<Label> must include a month".
"""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from safecare.core.forms import GovukForm
from safecare.households.models import Child, HouseholdMember, TrainingCourse, TrainingRecord, Visitor
from tests.households.helpers import date_boxes, error_summary


class ExampleForm(GovukForm):
    full_name = forms.CharField(label="Full name", max_length=100)
    reason = forms.CharField(label="Why?", max_length=20, widget=forms.Textarea)
    team = forms.ChoiceField(label="Team", choices=[("a", "Fostering North")])
    kind = forms.ChoiceField(label="Type of visitor", choices=[("a", "Friend")], widget=forms.RadioSelect)
    children = forms.IntegerField(label="Number of children", min_value=1, max_value=4)
    email = forms.EmailField(label="Email address")
    born = forms.DateField(label="Date of birth")
    starts = forms.TimeField(label="Start time")
    confirm = forms.BooleanField(label="I agree to it")
    notes = forms.CharField(label="Notes (optional)", required=False)
    explicit = forms.CharField(label="Course name", error_messages={"required": "enter the course's name"})
    version = forms.IntegerField(widget=forms.HiddenInput)


def errors(data: dict[str, str]) -> dict[str, list[str]]:
    form = ExampleForm(data)
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def test_an_empty_form_asks_for_each_field_by_its_label() -> None:
    assert errors({}) == {
        "full_name": ["Enter full name"],
        "reason": ["Enter an answer to “Why?”"],
        "team": ["Select team"],
        "kind": ["Select type of visitor"],
        "children": ["Enter number of children"],
        "email": ["Enter email address"],
        "born": ["Enter date of birth"],
        "starts": ["Enter start time"],
        "confirm": ["Select “I agree to it” to continue"],
        "explicit": ["enter the course's name"],  # a message set on the field stays
        "version": ["This page is out of date: open it again, then make your changes again"],
    }


def test_wrong_answers_are_named_in_the_govuk_patterns() -> None:
    found = errors(
        {
            "full_name": "x" * 101,
            "reason": "x" * 21,
            "team": "z",
            "kind": "z",
            "children": "five",
            "email": "carol at example",
            "born_day": "31",
            "born_month": "2",
            "born_year": "2010",
            "starts": "25:99",
        }
    )
    assert found["full_name"] == ["Full name must be 100 characters or fewer"]
    assert found["reason"] == ["The answer to “Why?” must be 20 characters or fewer"]
    assert found["team"] == ["Select team"]
    assert found["kind"] == ["Select type of visitor"]
    assert found["children"] == ["Number of children must be a number"]
    assert found["email"] == ["Enter an email address in the correct format, like name@example.com"]
    assert found["born"] == ["Date of birth must be a real date"]
    assert found["starts"] == ["Start time must be a real time, for example 14:30"]
    assert errors({"children": "0"})["children"] == ["Number of children must be 1 or more"]
    assert errors({"children": "5"})["children"] == ["Number of children must be 4 or less"]


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("1", "", "2010", "Date of birth must include a month"),
        ("", "", "2010", "Date of birth must include a day and month"),
        ("1", "2", "", "Date of birth must include a year"),
        ("1", "2", "10", "Date of birth must include a year with 4 numbers, like 2027"),
        ("1", "Feb", "2010", "Date of birth must be a real date"),
    ],
)
def test_a_date_is_typed_in_three_boxes_and_each_missing_part_is_named(day, month, year, message) -> None:
    assert errors({"born_day": day, "born_month": month, "born_year": year})["born"] == [message]


def test_a_date_may_also_come_as_one_value() -> None:
    form = ExampleForm({"born": "2010-02-01"})
    form.is_valid()
    assert form.cleaned_data["born"] == dt.date(2010, 2, 1)
    form = ExampleForm(date_boxes("born", "1", "2", "2010"))
    form.is_valid()
    assert form.cleaned_data["born"] == dt.date(2010, 2, 1)


def test_optional_is_said_once_and_only_on_an_optional_field() -> None:
    class Labels(GovukForm):
        notes = forms.CharField(label="Notes (optional)", required=False)
        other = forms.CharField(label="Others present", required=False)
        needed = forms.CharField(label="Reason (optional)")

    page = Labels().as_div()
    assert ">Notes (optional)</label>" in page
    assert ">Others present (optional)</label>" in page
    assert ">Reason</label>" in page
    assert "(optional) (optional)" not in page


def test_a_time_box_opens_the_number_keypad() -> None:
    page = str(ExampleForm()["starts"])
    assert 'inputmode="numeric"' in page


# Plausible dates and names, on the pages -------------------------------------------------------


def _years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


def _boxes(name: str, day: dt.date) -> dict[str, str]:
    return date_boxes(name, str(day.day), str(day.month), str(day.year))


def test_a_household_member_born_more_than_120_years_ago_is_refused(world, client_for) -> None:
    url = reverse("households:member_add", kwargs={"pk": world.household_own.pk})
    too_old = _years_ago(120, days=1)
    earliest = _years_ago(120)
    response = client_for(world.sam).post(
        url, {"kind": "carer", "first_name": "Ann", "last_name": "Old", **_boxes("date_of_birth", too_old)}
    )
    assert response.status_code == 200
    assert (
        f"Date of birth must be the same as or after {earliest.day} {earliest:%B %Y}: "
        "nobody is more than 120 years old"
    ) in error_summary(response)
    assert not HouseholdMember.objects.filter(last_name="Old").exists()


def test_a_child_born_more_than_25_years_ago_is_refused(world, client_for) -> None:
    earliest = _years_ago(25)
    response = client_for(world.chris).post(
        reverse("households:child_create"),
        {"first_name": "Ben", "last_name": "Grown", **_boxes("date_of_birth", _years_ago(25, days=1))},
    )
    assert response.status_code == 200
    assert (
        f"Date of birth must be the same as or after {earliest.day} {earliest:%B %Y}: "
        "a child's record is for a child or a care leaver under 25"
    ) in error_summary(response)
    assert not Child.objects.filter(last_name="Grown").exists()


def test_training_before_2000_or_in_the_future_is_refused(world, client_for) -> None:
    url = reverse("households:training_add", kwargs={"pk": world.household_own.pk})
    sam = client_for(world.sam)
    answers = {"member": world.member_own.pk, "course": TrainingCourse.FIRST_AID}
    early = sam.post(url, {**answers, **date_boxes("completed_on", "31", "12", "1999")})
    assert (
        "Date completed must be the same as or after 1 January 2000: Safecare records training completed "
        "since 2000"
    ) in error_summary(early)
    late = sam.post(url, {**answers, **_boxes("completed_on", timezone.localdate() + dt.timedelta(days=1))})
    assert "Date completed must be today or in the past" in error_summary(late)
    assert not TrainingRecord.objects.exists()


def test_a_name_is_at_most_100_characters(world, client_for) -> None:
    response = client_for(world.sam).post(
        reverse("households:visitor_add", kwargs={"pk": world.household_own.pk}),
        {"kind": "regular_visitor", "name": "N" * 101, **_boxes("since", timezone.localdate())},
    )
    assert response.status_code == 200
    assert "Full name must be 100 characters or fewer" in error_summary(response)
    assert not Visitor.objects.filter(household=world.household_own, name="N" * 101).exists()


def test_the_same_child_is_not_added_twice_unless_they_are_a_different_child(world, client_for) -> None:
    chris = client_for(world.chris)
    url = reverse("households:child_create")
    xavier = world.child_own
    again = {
        "first_name": xavier.first_name.upper(),
        "last_name": xavier.last_name,
        **_boxes("date_of_birth", xavier.date_of_birth),
    }
    before = Child.objects.count()

    refused = chris.post(url, again)

    born = xavier.date_of_birth
    assert refused.status_code == 200
    assert (
        f"A child called {xavier.first_name.upper()} {xavier.last_name} born on {born.day} {born:%B %Y} "
        "is already recorded: open their record instead"
    ) in error_summary(refused)
    assert 'href="#id_different_child"' in refused.content.decode()
    assert Child.objects.count() == before

    added = chris.post(url, {**again, "different_child": "on"})
    assert added.status_code == 302
    assert Child.objects.count() == before + 1


def test_a_child_s_name_is_held_to_the_record_s_80_characters_in_the_govuk_words(world, client_for) -> None:
    response = client_for(world.chris).post(
        reverse("households:child_create"),
        {"first_name": "F" * 81, "last_name": "Lee", **_boxes("date_of_birth", _years_ago(5))},
    )
    assert response.status_code == 200
    assert "First name must be 80 characters or fewer" in error_summary(response)


def test_a_username_with_other_characters_is_refused_in_the_govuk_words(world) -> None:
    from safecare.people.forms import UserCreateForm

    form = UserCreateForm({"username": "carol patel!"}, service=world.service)
    form.is_valid()
    assert form.errors["username"] == ["Username must only include letters, numbers and @ . + - _"]
