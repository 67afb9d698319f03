"""What a browser would send from a page's form: every input as the page has it filled in.

Used to walk a form the way a person does, page after page, so what travels in hidden
inputs is tested as it is drawn, not as a test supposes it.
"""

from __future__ import annotations

from html.parser import HTMLParser

from django.utils.datastructures import MultiValueDict


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.forms: list[MultiValueDict[str, str]] = []
        self.data: MultiValueDict[str, str] = MultiValueDict()
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form" and found.get("method", "").lower() == "post":
            self.in_form = True
            self.data = MultiValueDict()
            self.forms.append(self.data)
        if not self.in_form:
            return
        name = found.get("name", "")
        if tag == "input" and name:
            kind = found.get("type", "text").lower()
            if kind in ("submit", "button"):
                return
            if kind in ("radio", "checkbox") and "checked" not in found:
                return
            self.data.appendlist(name, found.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in found:
            self.data.appendlist(self._select, found.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            self.data.appendlist(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.in_form = False


def filled_in(html: str, **answers: object) -> dict[str, list[str]]:
    """The page's main POST form as it would be sent, with `answers` typed over what is there.

    The main form is the one with the most fields (not the header's "Sign out"). A list
    answers a multiple choice; every other answer replaces the field's value.
    """
    reader = _FormReader()
    reader.feed(html)
    main = max(reader.forms, key=len)
    data = {name: main.getlist(name) for name in main}
    for name, value in answers.items():
        data[name] = [str(item) for item in value] if isinstance(value, list) else [str(value)]
    return data
