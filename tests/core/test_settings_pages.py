"""The service settings pages: rules: Service settings local variations and closure days (rules: How dates are counted)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from safecare.core.calendars import calendar_for_service
from safecare.core.concurrency import record_version as history_version
from safecare.core.models import ClosureDay, FosteringService
from safecare.core.services_settings import SERVICE_SETTINGS_FIELDS


def settings_data(service: FosteringService, **overrides: object) -> dict[str, object]:
    """The form as the page shows it: every setting with its current value."""
    data: dict[str, object] = {}
    for name in SERVICE_SETTINGS_FIELDS:
        value = getattr(service, name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    data["version"] = history_version(service)
    for name, value in overrides.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data


def next_working_day(service: FosteringService, after_days: int = 10) -> dt.date:
    calendar = calendar_for_service(service)
    day = timezone.localdate() + dt.timedelta(days=after_days)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def next_saturday() -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=1)
    while day.weekday() != 5:
        day += dt.timedelta(days=1)
    return day


# Settings -------------------------------------------------------------------------------------


def test_harry_changes_a_setting_and_the_history_names_him(world, client_for):
    service = world.service

    response = client_for(world.harry).post(
        reverse("settings:edit"), settings_data(service, scfa_review_months=6, cctv_decider="head_of_service")
    )

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.scfa_review_months == 6
    assert service.cctv_decider == "head_of_service"
    latest = service.history.order_by("-history_id").first()
    assert latest.history_user == world.harry
    assert latest.scfa_review_months == 6
    page = client_for(world.harry).get(reverse("settings:edit")).content.decode()
    assert "Safe Caring Family Agreement review interval (months): 12 → 6" in page


def test_the_settings_page_shows_every_setting_with_its_default(world, client_for):
    response = client_for(world.helen).get(reverse("settings:edit"))

    form = response.context["form"]
    page = response.content.decode()
    assert set(SERVICE_SETTINGS_FIELDS) <= set(form.fields)
    for name in SERVICE_SETTINGS_FIELDS:
        assert "Default:" in form.fields[name].help_text, name
        assert escape(str(form.fields[name].label)) in page
    assert "Default: Head of fostering." in form.fields["cctv_decider"].help_text
    assert "Default: No." in form.fields["smart_speakers_in_bedrooms"].help_text
    assert "Default: 12." in form.fields["scfa_review_months"].help_text
    assert "Default: 24." in form.fields["max_inside_cctv_retention_hours"].help_text
    assert "Default: England." in form.fields["holiday_nation"].help_text


def test_a_boolean_setting_can_be_switched_off(world, client_for):
    service = world.service
    assert service.device_check_every_supervision is True

    client_for(world.ada).post(
        reverse("settings:edit"), settings_data(service, device_check_every_supervision=False)
    )

    service.refresh_from_db()
    assert service.device_check_every_supervision is False


def test_an_out_of_range_setting_is_refused_and_what_was_typed_is_kept(world, client_for):
    service = world.service

    response = client_for(world.harry).post(
        reverse("settings:edit"), settings_data(service, scfa_review_months=99, supervision_interval_weeks=4)
    )

    assert response.status_code == 200
    assert "scfa_review_months" in response.context["form"].errors
    assert response.context["form"]["supervision_interval_weeks"].value() == "4"
    service.refresh_from_db()
    assert service.scfa_review_months == 12 and service.supervision_interval_weeks == 6


def test_two_people_saving_settings_at_once_cannot_overwrite_each_other(world, client_for):
    # rules: Everywhere: the later save of a stale page is refused, not applied over the first.
    service = world.service
    stale = settings_data(service, supervision_interval_weeks=8)
    client_for(world.helen).post(reverse("settings:edit"), settings_data(service, scfa_review_months=9))

    response = client_for(world.harry).post(reverse("settings:edit"), stale)

    assert response.status_code == 200
    assert (
        "Someone else saved changes to this record (Safe Caring Family Agreement review interval (months))"
        in (response.context["form"].non_field_errors()[0])
    )
    service.refresh_from_db()
    assert service.scfa_review_months == 9 and service.supervision_interval_weeks == 6
    # Saving again from the page it showed is a deliberate choice, and goes through.
    again = client_for(world.harry).post(reverse("settings:edit"), response.context["form"].data)
    assert again.status_code == 302
    service.refresh_from_db()
    assert service.supervision_interval_weeks == 8


def test_olga_sees_and_changes_only_her_own_services_settings(world, client_for):
    client = client_for(world.olga)

    page = client.get(reverse("settings:edit"))
    client.post(reverse("settings:edit"), settings_data(world.south, scfa_review_months=3))

    assert page.context["service"] == world.south
    world.south.refresh_from_db()
    world.service.refresh_from_db()
    assert world.south.scfa_review_months == 3
    assert world.service.scfa_review_months == 12


@pytest.mark.parametrize("name", ["sam", "carol", "frank", "fiona", "sue", "bella", "adam"])
def test_people_without_the_permission_get_404_on_the_settings_pages(world, client_for, name):
    client = client_for(world.users[name])
    closure = ClosureDay.objects.create(
        service=world.service, date=next_working_day(world.service), reason="x"
    )

    assert client.get(reverse("settings:edit")).status_code == 404
    assert (
        client.post(reverse("settings:edit"), settings_data(world.service, scfa_review_months=1)).status_code
        == 404
    )
    assert client.get(reverse("settings:closures")).status_code == 404
    assert client.post(reverse("settings:closure_delete", args=[closure.pk])).status_code == 404
    world.service.refresh_from_db()
    assert world.service.scfa_review_months == 12
    assert ClosureDay.objects.filter(pk=closure.pk).exists()


# Closure days ---------------------------------------------------------------------------------


def test_a_closure_day_is_not_a_working_day(world, client_for):
    service = world.service
    day = next_working_day(service)
    assert calendar_for_service(service).is_working_day(day)

    response = client_for(world.ada).post(
        reverse("settings:closures"), {"date": day.isoformat(), "reason": "Office move"}
    )

    assert response.status_code == 302
    closure = ClosureDay.objects.get(service=service, date=day)
    assert closure.history.earliest().history_user == world.ada
    assert calendar_for_service(service).is_working_day(day) is False
    # Another service's calendar is untouched.
    assert calendar_for_service(world.south).is_working_day(day)


def test_removing_a_closure_day_makes_it_a_working_day_again(world, client_for):
    service = world.service
    day = next_working_day(service)
    client = client_for(world.helen)
    client.post(reverse("settings:closures"), {"date": day.isoformat(), "reason": "Office move"})
    closure = ClosureDay.objects.get(service=service, date=day)

    response = client.post(reverse("settings:closure_delete", args=[closure.pk]))

    assert response.status_code == 302
    assert not ClosureDay.objects.filter(pk=closure.pk).exists()
    assert calendar_for_service(service).is_working_day(day)
    assert closure.history.filter(history_type="-").get().history_user == world.helen


@pytest.mark.parametrize(
    ("date", "message"),
    [
        (lambda: timezone.localdate() - dt.timedelta(days=1), "a closure day cannot be in the past"),
        (next_saturday, "is a weekend or a bank holiday, never a working day"),
        (lambda: dt.date(2027, 12, 27), "is a weekend or a bank holiday, never a working day"),
    ],
    ids=["past", "weekend", "bank-holiday"],
)
def test_a_closure_day_that_would_change_nothing_is_refused(world, client_for, date, message):
    day = date()

    response = client_for(world.ada).post(
        reverse("settings:closures"), {"date": day.isoformat(), "reason": "x"}
    )

    assert response.status_code == 200
    assert message in response.context["form"].errors["date"][0]
    assert not ClosureDay.objects.filter(service=world.service, date=day).exists()


def test_a_closure_day_is_added_once(world, client_for):
    day = next_working_day(world.service)
    client = client_for(world.ada)
    client.post(reverse("settings:closures"), {"date": day.isoformat(), "reason": "Office move"})

    response = client.post(reverse("settings:closures"), {"date": day.isoformat(), "reason": "Again"})

    assert "is already a closure day" in response.context["form"].errors["date"][0]
    assert ClosureDay.objects.filter(service=world.service, date=day).count() == 1


def test_a_past_closure_day_stays_on_record(world, client_for):
    past = ClosureDay.objects.create(
        service=world.service, date=timezone.localdate() - dt.timedelta(days=30), reason="Strike"
    )

    response = client_for(world.ada).post(reverse("settings:closure_delete", args=[past.pk]), follow=True)

    assert ClosureDay.objects.filter(pk=past.pk).exists()
    assert "a past closure day stays on record" in response.content.decode()


def test_another_services_closure_day_is_404(world, client_for):
    south_day = ClosureDay.objects.create(
        service=world.south, date=next_working_day(world.south), reason="South"
    )

    response = client_for(world.harry).post(reverse("settings:closure_delete", args=[south_day.pk]))

    assert response.status_code == 404
    assert ClosureDay.objects.filter(pk=south_day.pk).exists()
    listed = client_for(world.harry).get(reverse("settings:closures")).context["upcoming"]
    assert south_day not in listed
