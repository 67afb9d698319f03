"""Every form page, sent empty and sent with far too much typed (decision 0027).

The routes are those of the URL table (django.urls.get_resolver), with the kwargs and
the users the access table gives them (tests/security/table_*.py). Each page a user
may open is fetched; each <form method="post"> on it with something a person fills in
is sent back twice, with the page's hidden fields (CSRF, one-time token, version) as
they were drawn:

- empty: nothing typed, nothing chosen;
- overlong: every text box and text area holding 21,000 characters.

Whatever comes back must be the page again (with its errors) or a redirect, never a
server error; no message on it may be one of Django's own English messages (the
GOV.UK ones name the field and say what to do); and every link of the error summary
must go to a form control on the page, so that following it puts the cursor there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.core import validators
from django.db import transaction
from django.forms import fields as form_fields
from django.forms import models as model_form_fields
from django.test import Client

from tests.conftest import SharedWorld, World, sign_in
from tests.security.test_access_table import ROWS, USERNAMES, _url, walk_world

LONG = "x" * 21_000

# Who opens a page the access table lets several people open: a worker before a manager,
# so a page shows the forms of someone doing the work. Carers' pages differ, so a carer
# opens each page a carer may as well.
PREFERENCE = ["sam", "chris", "asha", "fiona", "tom", "helen", "frank", "sue", "harry", "ada", "bella"]
PREFERENCE += [name for name in USERNAMES if name not in PREFERENCE]


def _django_messages() -> list[re.Pattern[str]]:
    """Django's own English messages, from every form field class and the length and value validators."""
    texts: set[str] = set()
    for module in (form_fields, model_form_fields):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.Field):
                for klass in value.__mro__:
                    texts.update(str(m) for m in getattr(klass, "default_error_messages", {}).values())
    for validator in (
        validators.MaxLengthValidator,
        validators.MinLengthValidator,
        validators.MaxValueValidator,
        validators.MinValueValidator,
        validators.EmailValidator,
        validators.ProhibitNullCharactersValidator,
    ):
        texts.add(str(validator.message))
    patterns = []
    for text in texts:
        # "%(value)s" and the like stand for anything; what is around them must be there.
        parts = re.split(r"%\(\w+\)[sdr]|%[sd]|\{\w*\}", text)
        if len("".join(parts).strip()) < 10:
            continue  # nothing of Django's own words to find
        patterns.append(re.compile(r".{0,200}?".join(re.escape(part) for part in parts)))
    return patterns


DJANGO_MESSAGES = _django_messages()
# Shorter, and as Django words them whatever the limit: the validators' messages.
DJANGO_PHRASES = ("Ensure this value", "This field is required", "Enter a valid", "Select a valid choice")


@dataclass
class Form:
    action: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # text boxes and text areas
    controls: int = 0  # anything a person fills in or chooses


class Page(HTMLParser):
    """The post forms of a page, the ids of its form controls, all ids, the summary's links."""

    CONTROLS = ("input", "select", "textarea")

    def __init__(self, body: str) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.ids: set[str] = set()
        self.control_ids: set[str] = set()
        self.summary_links: list[tuple[str, str]] = []
        self._form: Form | None = None
        self._summary_depth = 0
        self._link: str | None = None
        self._link_text: list[str] = []
        self.feed(body)

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attr_list}
        if "id" in attrs:
            self.ids.add(attrs["id"])
            if tag in self.CONTROLS and attrs.get("type") != "hidden":
                self.control_ids.add(attrs["id"])
        if tag == "div" and "govuk-error-summary" in attrs.get("class", "").split():
            self._summary_depth = 1
        elif tag == "div" and self._summary_depth:
            self._summary_depth += 1
        if tag == "a" and self._summary_depth:
            self._link, self._link_text = attrs.get("href", ""), []
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._form = Form(action=attrs.get("action", ""))
            self.forms.append(self._form)
        if self._form is None or tag not in self.CONTROLS:
            return
        kind = attrs.get("type", "text").lower()
        name = attrs.get("name", "")
        if tag == "input" and kind == "hidden":
            self._form.hidden.append((name, attrs.get("value", "")))
        elif tag == "input" and kind in ("submit", "button", "image", "reset"):
            return
        else:
            self._form.controls += 1
            if tag == "textarea" or (tag == "input" and kind in ("text", "email", "search", "tel", "url")):
                self._form.text.append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "div" and self._summary_depth:
            self._summary_depth -= 1
        elif tag == "a" and self._link is not None:
            self.summary_links.append((self._link, " ".join("".join(self._link_text).split())))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link_text.append(data)


def visible_text(body: str) -> str:
    without_scripts = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", without_scripts)).split())


def problems_with(body: str, where: str) -> list[str]:
    problems = []
    text = visible_text(body)
    for phrase in DJANGO_PHRASES:
        if phrase in text:
            problems.append(f"{where}: Django's message {phrase!r}")
    for pattern in DJANGO_MESSAGES:
        if (found := pattern.search(text)) is not None:
            problems.append(f"{where}: Django's message {found.group(0)!r}")
    page = Page(body)
    for href, label in page.summary_links:
        target = href.removeprefix("#")
        if not href.startswith("#") or target not in page.ids:
            problems.append(f"{where}: the summary's {label!r} links to {href!r}, not on the page")
        elif target not in page.control_ids:
            problems.append(f"{where}: the summary's {label!r} links to {href!r}, not a form control")
    return problems


@pytest.fixture(scope="module")
def walk(_shared_world: SharedWorld, django_db_blocker: Any) -> Iterator[tuple[World, dict[str, Client]]]:
    """The shared world and a signed-in client per user, in a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = walk_world(_shared_world)
            clients = {name: sign_in(Client(), world.users[name]) for name in USERNAMES}
            clients[""] = Client()
            yield world, clients
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _in_rollback(send: Any) -> Any:
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response


def _openers(row: dict[str, Any]) -> list[str]:
    if row.get("public"):
        return [""]
    allowed = set(row.get("allowed", set()))
    staff = [name for name in PREFERENCE if name in allowed and name not in ("carol", "oscar")][:1]
    carer = ["carol"] if "carol" in allowed else []
    return staff + carer


def _form_pages() -> list[dict[str, Any]]:
    return [row for row in ROWS if row["method"] == "GET" and not row.get("api")]


@pytest.mark.django_db
def test_every_form_answers_an_empty_or_overlong_send_with_govuk_messages_linked_to_their_fields(
    walk: tuple[World, dict[str, Client]],
) -> None:
    world, clients = walk
    problems: list[str] = []
    sent: set[tuple[str, str, tuple[str, ...]]] = set()
    for row in _form_pages():
        url = _url(row, world)
        assert url is not None
        for username in _openers(row):
            client = clients[username]
            page = _in_rollback(lambda client=client, url=url: client.get(url))
            if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
                continue
            for form in Page(page.content.decode()).forms:
                if not form.controls:
                    continue  # a button: nothing to type
                action = form.action or url
                key = (username, action, tuple(form.text))
                if key in sent:
                    continue
                sent.add(key)
                for how, typed in (("empty", {}), ("overlong", dict.fromkeys(form.text, LONG))):
                    data: dict[str, Any] = {}
                    for name, value in form.hidden:
                        data.setdefault(name, value)
                    data.update(typed)
                    where = f"{how} POST {action} (form of {url}, as {username or 'anyone'})"
                    answer = _in_rollback(
                        lambda client=client, action=action, data=data: client.post(action, data)
                    )
                    if answer.status_code in (301, 302, 303):
                        continue
                    if answer.status_code not in (200, 400):
                        problems.append(f"{where}: answered {answer.status_code}")
                        continue
                    problems += problems_with(answer.content.decode(), where)
    assert len(sent) >= 40, f"only {len(sent)} forms found: the walk has lost its way"
    assert not problems, "\n".join(problems)


def test_the_walk_knows_django_s_own_messages() -> None:
    # Held to Django's actual wording, so the walk cannot pass by matching nothing.
    assert problems_with("<p>This field is required.</p>", "page")
    assert problems_with("<p>Ensure this value has at most 100 characters (it has 21000).</p>", "page")
    assert problems_with("<p>Select a valid choice. 7 is not one of the available choices.</p>", "page")
    assert problems_with("<p>Enter a whole number.</p>", "page")
    assert not problems_with(
        "<p>Enter date of birth</p><p>First name must be 80 characters or fewer</p>", "page"
    )


def test_the_walk_checks_where_the_summary_links_go() -> None:
    summary = '<div class="govuk-error-summary"><ul><li><a href="#{}">Enter date of birth</a></li></ul></div>'
    page = '<fieldset><legend>Date of birth</legend><input id="id_dob_day"></fieldset><h2 id="heading">x</h2>'
    assert not problems_with(summary.format("id_dob_day") + page, "page")
    assert problems_with(summary.format("id_dob") + page, "page")  # no such element
    assert problems_with(summary.format("heading") + page, "page")  # not a form control


def test_a_field_a_service_requires_is_never_labelled_optional() -> None:
    from django import forms as django_forms

    from safecare.core.forms import GovukForm, needed

    class Example(GovukForm):
        asked = needed(django_forms.CharField(label="What happened", required=False))
        extra = django_forms.CharField(label="Anything else", required=False)

    html = str(Example())
    assert "What happened (optional)" not in html and "What happened" in html
    assert "Anything else (optional)" in html
