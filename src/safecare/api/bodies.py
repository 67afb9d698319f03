"""A request body is read as the schema describes it: JSON types, not guesses.

DRF's fields are lenient: a CharField turns the number 0 into the text "0", an
IntegerField reads the text "5" as 5, a BooleanField reads "yes" and 1 as true.
The schema says a postcode is a string and a household an integer, so an
integration that sends anything else has a bug, and the safest answer is to
refuse it, naming the field, rather than to save what the caller may not have
meant (docs/security.md, "The API schema tells the truth").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, PrimaryKeyRelatedField

# (field class, the JSON types it takes, how the message names them). The first match
# wins, so a subclass comes before its parent (MultipleChoiceField is a ChoiceField).
_EXPECTED: list[tuple[type[Any], tuple[type[Any], ...], str]] = [
    (serializers.BooleanField, (bool,), "true or false"),
    (serializers.MultipleChoiceField, (list,), "a list"),
    (serializers.ListField, (list,), "a list"),
    (ManyRelatedField, (list,), "a list of ids"),
    (serializers.ListSerializer, (list,), "a list"),
    (serializers.IntegerField, (int,), "a whole number"),
    (PrimaryKeyRelatedField, (int,), "an id (a whole number)"),
    (serializers.FloatField, (int, float), "a number"),
    (serializers.DecimalField, (int, float), "a number"),
    (serializers.ChoiceField, (str,), "text, one of the values listed"),
    (serializers.CharField, (str,), "text"),
    (serializers.DateTimeField, (str,), "a date and time as text (ISO 8601)"),
    (serializers.DateField, (str,), "a date as text (YYYY-MM-DD)"),
    (serializers.TimeField, (str,), "a time as text"),
    (serializers.DictField, (dict,), "an object"),
    (serializers.Serializer, (dict,), "an object"),
]


def _expected(field: serializers.Field[Any, Any, Any, Any]) -> tuple[tuple[type[Any], ...], str] | None:
    for field_class, types, words in _EXPECTED:
        if isinstance(field, field_class):
            if field_class is serializers.ChoiceField and not all(isinstance(k, str) for k in field.choices):
                return None  # a choice of numbers: DRF's own check is exact enough
            return types, words
    return None


def _item_ok(field: Any, item: Any) -> bool:
    child = getattr(field, "child_relation", None) or getattr(field, "child", None)
    expected = _expected(child) if isinstance(child, serializers.Field) else None
    if expected is None or item is None:
        return True
    return _is(item, expected[0])


def _is(value: Any, types: tuple[type[Any], ...]) -> bool:
    # JSON true is not the number 1, though Python's bool is an int.
    return isinstance(value, types) and not (isinstance(value, bool) and bool not in types)


def wrong_types(serializer: serializers.Serializer[Any], data: Any) -> dict[str, list[str]]:
    """{field: [message]} for each value in `data` whose JSON type the field does not take.

    Nested objects are checked field by field, their keys joined with a dot. A field
    that may be null takes null. Fields not in the serializer are not this check's
    business (CaseViewSet.parse refuses them).
    """
    errors: dict[str, list[str]] = {}
    if not isinstance(data, Mapping):
        return errors
    for name, value in data.items():
        field = serializer.fields.get(name)
        if field is None or field.read_only:
            continue
        if value is None:
            continue  # allow_null is DRF's own check, with its own message
        expected = _expected(field)
        if expected is None:
            continue
        types, words = expected
        ok = _is(value, types)
        if ok and isinstance(value, list):
            ok = all(_item_ok(field, item) for item in value)
        if not ok:
            label = field.label or name
            errors[name] = [f"{label}: must be {words}"]
        elif isinstance(field, serializers.Serializer) and not isinstance(field, serializers.ListSerializer):
            for inner, messages in wrong_types(field, value).items():
                errors[f"{name}.{inner}"] = messages
    return errors
