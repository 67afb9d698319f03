"""ManySelect writes what Django's Select writes (but the white space between tags), escaping included."""

from __future__ import annotations

import re

import pytest
from django import forms

from safecare.core.widgets import ManySelect

CHOICES = [
    ("", "Everyone"),
    (1, "Ann O'Neil"),
    (2, 'Bob "the builder" <b>'),
    (3, "Chloë & Dan"),
]


def _form(widget: type[forms.Select], data: dict[str, str] | None) -> forms.Form:
    class Choose(forms.Form):
        owner = forms.TypedChoiceField(
            choices=CHOICES, required=False, coerce=int, empty_value=None, widget=widget
        )
        team = forms.ChoiceField(
            choices=[("North", [("n1", "North one"), ("n2", "North two")]), ("s", "South")],
            widget=widget(attrs={"class": "govuk-select", "aria-describedby": "team-hint"}),
        )

    return Choose(data)


@pytest.mark.parametrize(
    "data", [None, {"owner": "2", "team": "n2"}, {"owner": "", "team": "s"}, {"owner": "9"}]
)
def test_many_select_renders_as_djangos_select(data) -> None:
    ours, django = _form(ManySelect, data), _form(forms.Select, data)
    if data is not None:
        ours.is_valid(), django.is_valid()
    for name in ("owner", "team"):
        assert _tags(ours[name].as_widget(attrs={"class": "govuk-select"})) == _tags(
            django[name].as_widget(attrs={"class": "govuk-select"})
        )


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_many_select_escapes_what_it_shows() -> None:
    html = str(_form(ManySelect, None)["owner"])
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert "&quot;the builder&quot;" in html
