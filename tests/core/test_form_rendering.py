"""GOV.UK form markup from GovukFormRenderer and the error summary include.

Needs only what the project settings already provide: the templates in
src/safecare/templates, the ``govuk`` tag library (safecare.core) and
"django.forms" in INSTALLED_APPS. No database.
"""

import datetime
from html.parser import HTMLParser

from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string

from safecare.core.forms import GovukForm
from safecare.core.forms_renderer import GovukFormRenderer


class VisitForm(GovukForm):
    carer_name = forms.CharField(label="Carer's name", help_text="As on the approval letter.")
    visit_type = forms.ChoiceField(
        label="Type of visit",
        choices=[("announced", "Announced"), ("unannounced", "Unannounced")],
        widget=forms.RadioSelect,
        help_text="Choose one.",
    )
    child_seen_alone = forms.BooleanField(label="Child seen alone")
    visit_date = forms.DateField(label="Date of visit")


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = {name: value or "" for name, value in attrs}
        self.parent = parent
        self.children: list[Element] = []
        self.content: list[str | Element] = []  # text and children, in order

    @property
    def classes(self):
        return self.attrs.get("class", "").split()

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag=None, cls=None, **attrs):
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and (cls is None or cls in e.classes)
            and all(e.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}>"
        return found[0]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def all_text(self):
        parts = [c if isinstance(c, str) else c.all_text() for c in self.content]
        return " ".join(" ".join(parts).split())


VOID = {"input", "br", "hr", "img", "meta", "link"}


class TreeBuilder(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.root = Element("root", [], None)
        self.current = self.root
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        self.current.content.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.content.append(data)


def parse(html):
    return TreeBuilder(html).root


def invalid_form():
    form = VisitForm(
        data={"carer_name": "", "visit_date_day": "31", "visit_date_month": "2", "visit_date_year": "2027"},
        renderer=GovukFormRenderer(),
    )
    assert not form.is_valid()
    return form


def test_renderer_uses_govuk_templates():
    renderer = GovukFormRenderer()
    assert renderer.form_template_name == "forms/govuk/form.html"
    assert renderer.field_template_name == "forms/govuk/field.html"


def test_text_input_has_label_hint_and_error_wired_up():
    doc = parse(str(invalid_form()))
    field = doc.find("input", id="id_carer_name")

    assert {"govuk-input", "govuk-input--error"} <= set(field.classes)
    assert field.attrs["aria-invalid"] == "true"
    group = next(a for a in field.ancestors() if "govuk-form-group" in a.classes)
    assert "govuk-form-group--error" in group.classes

    label = doc.find("label", cls="govuk-label", for_="id_carer_name")
    assert label.all_text() == "Carer's name"

    hint = doc.find(cls="govuk-hint", id="id_carer_name_helptext")
    error = doc.find(cls="govuk-error-message", id="id_carer_name_error")
    assert hint.all_text() == "As on the approval letter."
    assert error.all_text() == "Error: Enter carer's name"
    assert "govuk-visually-hidden" in error.find("span").classes
    assert field.attrs["aria-describedby"].split() == [hint.attrs["id"], error.attrs["id"]]


def test_radios_are_in_a_fieldset_with_legend_hint_and_error():
    doc = parse(str(invalid_form()))
    radios = doc.find_all("input", type="radio")
    assert [r.attrs["id"] for r in radios] == ["id_visit_type_0", "id_visit_type_1"]

    fieldset = next(a for a in radios[0].ancestors() if a.tag == "fieldset")
    assert "govuk-fieldset" in fieldset.classes
    legend = fieldset.children[0]
    assert legend.tag == "legend"
    assert "govuk-fieldset__legend" in legend.classes
    assert legend.all_text() == "Type of visit"
    assert fieldset.attrs["aria-describedby"].split() == [
        "id_visit_type_helptext",
        "id_visit_type_error",
    ]
    assert fieldset.find(id="id_visit_type_error").all_text() == "Error: Select type of visit"

    container = fieldset.find("div", cls="govuk-radios")
    assert container.attrs["data-module"] == "govuk-radios"
    for radio in radios:
        assert "govuk-radios__input" in radio.classes
        item = radio.parent
        assert "govuk-radios__item" in item.classes
        label = item.find("label", for_=radio.attrs["id"])
        assert {"govuk-label", "govuk-radios__label"} <= set(label.classes)


def test_single_checkbox_and_date_input():
    doc = parse(str(invalid_form()))

    checkbox = doc.find("input", type="checkbox", id="id_child_seen_alone")
    assert "govuk-checkboxes__input" in checkbox.classes
    assert "govuk-checkboxes__item" in checkbox.parent.classes
    assert checkbox.parent.find("label", for_="id_child_seen_alone").all_text() == ("Child seen alone")
    assert checkbox.attrs["aria-describedby"] == "id_child_seen_alone_error"

    # The GOV.UK date input: day, month and year boxes in a fieldset, a number keypad on phones.
    fieldset = doc.find("fieldset", aria_describedby="id_visit_date_error")
    assert fieldset.find("legend").all_text() == "Date of visit"
    assert fieldset.find(id="id_visit_date_error").all_text() == "Error: Date of visit must be a real date"
    boxes = fieldset.find("div", cls="govuk-date-input").find_all("input")
    assert [(box.attrs["id"], box.attrs["name"], box.attrs["value"]) for box in boxes] == [
        ("id_visit_date_day", "visit_date_day", "31"),
        ("id_visit_date_month", "visit_date_month", "2"),
        ("id_visit_date_year", "visit_date_year", "2027"),
    ]
    for box in boxes:
        assert {"govuk-input", "govuk-date-input__input", "govuk-input--error"} <= set(box.classes)
        assert box.attrs["inputmode"] == "numeric"
        label = fieldset.find("label", for_=box.attrs["id"])
        assert "govuk-date-input__label" in label.classes
    assert [fieldset.find("label", for_=box.attrs["id"]).all_text() for box in boxes] == [
        "Day",
        "Month",
        "Year",
    ]


def test_valid_field_has_no_error_markup():
    form = VisitForm(data={"visit_type": "announced"}, renderer=GovukFormRenderer())
    form.is_valid()
    doc = parse(str(form))
    fieldset = doc.find("input", id="id_visit_type_0").parent
    while fieldset.tag != "fieldset":
        fieldset = fieldset.parent
    assert fieldset.attrs.get("aria-describedby") == "id_visit_type_helptext"
    assert not doc.find_all(id="id_visit_type_error")
    assert doc.find("input", id="id_visit_type_0").attrs.get("checked") is not None


def test_error_summary_names_each_field_and_rule_and_links_to_it():
    form = invalid_form()
    html = render_to_string("includes/error_summary.html", {"form": form})
    doc = parse(html)

    summary = doc.find("div", cls="govuk-error-summary")
    assert summary.attrs["data-module"] == "govuk-error-summary"
    assert summary.find(role="alert").find("h2").all_text() == "There is a problem"
    links = [(a.attrs["href"], a.all_text()) for a in summary.find_all("a")]
    assert links == [
        ("#id_carer_name", "Enter carer's name"),
        ("#id_visit_type_0", "Select type of visit"),
        ("#id_child_seen_alone", "Select “Child seen alone” to continue"),
        ("#id_visit_date_day", "Date of visit must be a real date"),
    ]


def test_error_summary_lists_non_field_errors_without_a_link():
    class TwoDatesForm(forms.Form):
        start = forms.DateField(label="Start date")

        def clean(self):
            raise forms.ValidationError("The end date must be after the start date.")

    form = TwoDatesForm(data={"start": "2027-03-24"}, renderer=GovukFormRenderer())
    assert not form.is_valid()
    doc = parse(render_to_string("includes/error_summary.html", {"form": form}))
    items = doc.find("ul", cls="govuk-error-summary__list").find_all("li")
    assert [li.all_text() for li in items] == ["The end date must be after the start date."]
    assert not items[0].find_all("a")

    rendered = parse(str(form))
    assert rendered.find(cls="govuk-error-message").all_text() == (
        "Error: The end date must be after the start date."
    )


def test_no_error_summary_for_a_valid_or_unbound_form():
    assert render_to_string("includes/error_summary.html", {"form": VisitForm()}).strip() == ""


def test_govuk_date_filter():
    template = Template("{% load govuk %}{{ day|govuk_date }}|{{ missing|govuk_date }}")
    rendered = template.render(Context({"day": datetime.date(2027, 3, 24), "missing": None}))
    assert rendered == "Wed 24 Mar 2027|"
