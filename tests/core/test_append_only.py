"""rules: Everywhere: nobody can change or delete history; the database refuses (decision 0021).

Every change-history table and every table marked append-only (the access log, household
status changes, signatures, signed agreement versions and CCTV reports) refuses UPDATE and
DELETE in the database itself, on SQLite and on PostgreSQL (DATABASE_URL). The tables are
found from the models, so a history table added later is tested (and protected) too.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import uuid
from typing import Any

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from simple_history.models import HistoricalChanges

from safecare.core.append_only import (
    append_only_models,
    append_only_tables,
    check_triggers,
    install,
    missing_triggers,
    trigger_names,
)

pytestmark = pytest.mark.django_db

# The tables the review named, which must be append-only whatever else is.
NAMED = {
    "core_accesslog",
    "core_signature",
    "households_householdstatuschange",
    "agreements_agreementversion",  # signed agreement content
    "devices_cctvreport",  # signed CCTV report content
}

_numbers = itertools.count(900_001)

# Columns a check constraint ties to another: the value that keeps the row valid.
ROW_VALUES: dict[str, dict[str, Any]] = {
    # IM-8: an internet monitoring agreement ends after it starts (the filler's date is 1 January 2026).
    "monitoring.agreement": {"ends_on": dt.date(2026, 2, 1)},
}


def _value(field: models.Field[Any, Any]) -> Any:
    """A value the column accepts; foreign keys point at a real row where the database checks."""
    if isinstance(field, models.ForeignKey):
        if not field.db_constraint:
            return next(_numbers)
        if field.null:
            return None
        related = field.related_model
        assert isinstance(related, type)
        found = related._base_manager.order_by("pk").first()
        return found.pk if found is not None else _row(related).pk
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.choices:
        return field.choices[0][0]
    kind = field.get_internal_type()
    if kind in ("CharField", "TextField", "SlugField", "EmailField", "URLField"):
        return f"x{next(_numbers)}"[: getattr(field, "max_length", None) or 50]
    if "SmallInteger" in kind or kind == "SmallAutoField":
        return next(_numbers) % 32000 + 1  # a smallint column on PostgreSQL
    if "Integer" in kind or kind in ("BigAutoField", "AutoField"):
        return next(_numbers)
    if kind == "BooleanField":
        return False
    if kind == "DateTimeField":
        return timezone.now()
    if kind == "DateField":
        return dt.date(2026, 1, 1)
    if kind == "JSONField":
        return {}
    if kind == "UUIDField":
        return uuid.uuid4()
    if kind == "DecimalField":
        return decimal.Decimal(0)
    if kind == "DurationField":
        return dt.timedelta(0)
    if kind == "GenericIPAddressField":
        return "127.0.0.1"
    if kind == "BinaryField":
        return b""
    raise AssertionError(f"no test value for {field} ({kind})")


def _row(model: type[models.Model]) -> models.Model:
    """One row of `model`, inserted as it is (no save() of the model's own)."""
    values = {
        field.attname: _value(field)
        for field in model._meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField))
    }
    values.update(ROW_VALUES.get(model._meta.label_lower, {}))
    instance = model(**values)
    model._base_manager.bulk_create([instance])
    if instance.pk is None:
        instance = model._base_manager.order_by("-pk").first()
    return instance


def _refused(sql: str, params: list[Any]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return "append-only" in str(error)
    return False


def test_every_history_table_and_every_marked_table_is_append_only() -> None:
    history = [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]
    tables = set(append_only_tables())
    assert len(history) >= 30  # 32 when this was written
    assert {m._meta.db_table for m in history} <= tables
    assert tables >= NAMED
    # Every history model is one (named Historical*), whatever app it is in.
    assert all(m.__name__.startswith("Historical") for m in history)
    assert {m._meta.db_table for m in apps.get_models() if m.__name__.startswith("Historical")} <= tables


def test_the_database_refuses_update_and_delete_on_every_append_only_table(world: Any) -> None:
    quote = connection.ops.quote_name
    accepted = []
    for model in append_only_models():
        table, pk = model._meta.db_table, model._meta.pk
        assert pk is not None
        row = _row(model)
        where = f"WHERE {quote(pk.column)} = %s"
        column = quote(pk.column)
        if not _refused(f"UPDATE {quote(table)} SET {column} = {column} {where}", [row.pk]):  # noqa: S608
            accepted.append(f"UPDATE {table}")
        if not _refused(f"DELETE FROM {quote(table)} {where}", [row.pk]):  # noqa: S608
            accepted.append(f"DELETE {table}")
        assert model._base_manager.filter(pk=row.pk).exists(), table
    assert accepted == []


def test_a_queryset_update_or_delete_is_refused_too(world: Any) -> None:
    """Not only raw SQL: the ORM's bulk paths, which skip a model's own save() and delete()."""
    from safecare.agreements.models import AgreementVersion
    from safecare.core.models import Signature

    version = world.agreement_version_own
    with pytest.raises(DatabaseError), transaction.atomic():
        AgreementVersion.objects.filter(pk=version.pk).update(content={"sections": {}})
    with pytest.raises(DatabaseError), transaction.atomic():
        Signature.objects.filter(document_id=version.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AgreementVersion.history.filter(id=version.pk).update(number=99)
    assert AgreementVersion.objects.get(pk=version.pk).content["sections"]["privacy"] == "Agreed: privacy"


def _drop(table: str) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in trigger_names(table, connection.vendor):
            on = f" ON {quote(table)}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER {quote(name)}{on}")


def test_the_system_check_names_a_table_without_its_trigger_and_migrate_puts_it_back() -> None:
    assert check_triggers(databases=["default"]) == []
    _drop("agreements_historicalagreement")
    errors = check_triggers(databases=["default"])
    assert [e.id for e in errors] == ["core.E020"]
    assert "agreements_historicalagreement" in errors[0].msg
    # What post_migrate runs: idempotent, and it restores what was missing.
    install(connection, append_only_tables())
    install(connection, append_only_tables())
    assert missing_triggers(connection, append_only_tables()) == []
    assert check_triggers(databases=["default"]) == []


@pytest.mark.django_db(transaction=True)
def test_the_test_runners_flush_still_empties_them_and_leaves_the_triggers(world: Any) -> None:
    """SQLite's flush is DELETE: tests/append_only_flush.py lifts the triggers around it only."""
    from django.core.management import call_command

    from safecare.core.models import AccessLog

    AccessLog.objects.create(
        service=world.service, user=world.sam, subject_type="household", subject_id=1, path="/x"
    )
    call_command("flush", verbosity=0, interactive=False)
    assert not AccessLog.objects.exists()
    assert missing_triggers(connection, append_only_tables()) == []
    row = _row(AccessLog)
    assert _refused("DELETE FROM core_accesslog WHERE id = %s", [row.pk])
