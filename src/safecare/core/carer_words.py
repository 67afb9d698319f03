"""Carers read plain English: rule ids reach them only as a small "policy reference" link.

Rule ids (SC-4, DV-3) are how staff, auditors and the code name a duty; a foster carer
needs to know what to do, not which paragraph says so. Safecare's messages are written
once, for everyone, with the rule id where staff want it ("DV-1: say what kind of device
it is", "Cameras and microphones covered (DV-10)"). For a carer, every page goes through
`for_carers` on its way out (CarerWordsMiddleware), so no page can forget:

- "DV-1: say what kind of device it is" becomes "Say what kind of device it is", and
  "Checked (DV-10)", "Patel household · SC-1, SC-4" lose the ids in place;
- the ids taken out follow the text they were in, as small links to the rules page
  ("policy reference DV-1"), so a carer can still quote one to their social worker;
- where a link cannot go (inside a link or a button, the page title, a drop-down) or
  would only be noise (a heading, the key of a summary list or a table's heading) the id
  is only taken out;
- what people typed is never touched: text areas, scripts and attribute values are
  left as they are.

Only the words between tags change; the markup is passed through untouched.
"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.html import escape

_ID = r"(?:HH|SC|DV|CX|PH|SOC|IM)-[1-9]\d?(?![\d-])"
_GROUP = rf"{_ID}(?:(?:,\s*|\s+and\s+|\s+or\s+|\s*/\s*){_ID})*"
RULE_ID = re.compile(rf"\b{_ID}")

# Ids standing in their own place in a sentence, taken out with their punctuation.
_PREFIX = re.compile(rf"(?:\brules?:?\s+)?(?P<ids>{_GROUP}):\s+(?P<first>\w)?")
_BRACKETED = re.compile(rf"\s*\((?:rules?:?\s*)?(?P<ids>{_GROUP})\)")
_DOTTED = re.compile(rf"\s*·\s*(?P<ids>{_GROUP})(?=\s*(?:[·\u2013|]|$))|(?P<ids2>{_GROUP})\s*·\s*")
_ALONE = re.compile(rf"(?P<ids>{_GROUP})")

_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<\s*(/)?\s*([a-zA-Z0-9]+)")
# Text inside these is not read as the page's words (or is what someone typed).
_SKIP = {"script", "style", "textarea"}
# Text inside these can hold no link: ids are only taken out.
# Headings and the keys of a summary list or table name a thing; a link there is noise.
_NO_LINK = {
    "a", "button", "title", "option", "label", "legend", "summary",
    "h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "caption",
}  # fmt: skip
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _ids(text: str) -> list[str]:
    return RULE_ID.findall(text)


def _take_out(text: str) -> tuple[str, list[str]]:
    """The text without its rule ids, and the ids, in order, once each."""
    found: list[str] = []

    def prefix(match: re.Match[str]) -> str:
        found.extend(_ids(match.group("ids")))
        first = match.group("first") or ""
        before = text[: match.start()].rstrip()
        return first.upper() if not before or before.endswith(".") else first

    def group(match: re.Match[str]) -> str:
        found.extend(_ids(match.group("ids") or match.group("ids2") or ""))
        return ""

    def alone(match: re.Match[str]) -> str:
        found.extend(_ids(match.group("ids")))
        return ""

    text = _PREFIX.sub(prefix, text)
    text = _BRACKETED.sub(group, text)
    text = _DOTTED.sub(group, text)
    text = _ALONE.sub(alone, text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\s+([,.;:])", r"\1", text) if found else text
    unique = list(dict.fromkeys(found))
    return text, unique


def policy_links(ids: list[str], rules_url: str | None = None) -> str:
    rules = rules_url if rules_url is not None else reverse("rules")
    links = ", ".join(
        f'<a class="govuk-link app-policy-ref" href="{rules}#{escape(rule_id)}">policy reference {escape(rule_id)}</a>'
        for rule_id in ids
    )
    return f" <small>({links})</small>"


def _words(text: str, *, link: bool, rules_url: str) -> str:
    if not RULE_ID.search(text):
        return text
    plain, ids = _take_out(text)
    if not link or not ids:
        return plain
    stripped = plain.rstrip()
    return stripped + policy_links(ids, rules_url) + plain[len(stripped) :]


def for_carers(html: str) -> str:
    """The page as a carer reads it (see the module's text)."""
    if not RULE_ID.search(html):
        return html
    rules_url = reverse("rules")
    out: list[str] = []
    stack: list[str] = []
    skipping = no_link = 0  # how many open elements of each kind enclose the text
    for part in _TAG.split(html):
        if not part:
            continue
        if part[0] == "<":
            out.append(part)
            match = _TAG_NAME.match(part)
            if match is None:
                continue
            closing, name = match.group(1), match.group(2).lower()
            if closing:
                if name in stack:
                    while stack:
                        top = stack.pop()
                        skipping -= top in _SKIP
                        no_link -= top in _NO_LINK
                        if top == name:
                            break
            elif name not in _VOID and not part.endswith("/>"):
                stack.append(name)
                skipping += name in _SKIP
                no_link += name in _NO_LINK
            continue
        if skipping or not RULE_ID.search(part):
            out.append(part)
        else:
            out.append(_words(part, link=not no_link, rules_url=rules_url))
    return "".join(out)
