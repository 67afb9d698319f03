"""The settings offer each nation's bank holidays once, named as the holidays package names them."""

from __future__ import annotations

import datetime as dt

from holidays.countries.united_kingdom import UnitedKingdom

from safecare.core.dates import NATIONS
from safecare.core.forms_settings import ServiceSettingsForm
from safecare.core.models import FosteringService


def test_the_nations_are_england_wales_scotland_and_northern_ireland() -> None:
    field = FosteringService._meta.get_field("holiday_nation")
    assert list(field.choices) == [
        ("ENG", "England"),
        ("WLS", "Wales"),
        ("SCT", "Scotland"),
        ("NIR", "Northern Ireland"),
    ]


def test_each_name_is_the_holidays_packages_own_and_each_code_a_calendar() -> None:
    field = FosteringService._meta.get_field("holiday_nation")
    assert {code: name for name, code in UnitedKingdom.subdivisions_aliases.items()} == dict(field.choices)
    assert set(dict(field.choices)) == set(NATIONS)


def test_the_calendar_names_each_nation_as_the_settings_do() -> None:
    # dates.NATIONS once said "England and Wales" for ENG while Wales had its own code.
    assert NATIONS == {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}


def test_the_settings_form_offers_each_nation_once_and_no_england_and_wales(world) -> None:
    form = ServiceSettingsForm(instance=world.service)
    labels = [label for _, label in form.fields["holiday_nation"].choices]
    assert labels == ["England", "Wales", "Scotland", "Northern Ireland"]
    assert "Default: England." in form.fields["holiday_nation"].help_text


def test_a_stored_england_keeps_englands_bank_holidays(world) -> None:
    # "ENG" was offered as "England and Wales": it still means England, so nothing stored changes.
    world.service.holiday_nation = "ENG"
    world.service.save(update_fields=["holiday_nation"])
    service = FosteringService.objects.get(pk=world.service.pk)
    assert service.get_holiday_nation_display() == "England"
    calendar = service.calendar()
    assert not calendar.is_working_day(dt.date(2027, 8, 30))  # summer bank holiday in England
    assert calendar.is_working_day(dt.date(2027, 8, 2))  # Scotland's, not England's
