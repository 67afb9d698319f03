"""History and access-log ids are 64-bit (decision 0053): a national audit trail outgrows 2^31 rows."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models
from simple_history.models import HistoricalChanges

from safecare.core.models import AccessLog


def _history_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges) or model.__name__.startswith("Historical")
    ]


def test_there_are_history_tables_to_check() -> None:
    names = {model.__name__ for model in _history_models()}
    assert {"HistoricalHousehold", "HistoricalChild", "HistoricalFosteringService"} <= names
    assert len(names) > 40


def test_every_history_model_numbers_its_rows_with_a_64_bit_id() -> None:
    small = [
        f"{model.__name__}.{model._meta.pk.name}"
        for model in _history_models()
        if not isinstance(model._meta.pk, models.BigAutoField)
    ]
    assert small == []


def test_every_safecare_model_with_a_numbered_id_is_64_bit() -> None:
    small = [
        f"{model._meta.label}.{model._meta.pk.name}"
        for model in apps.get_models()
        if model._meta.app_label
        in {"core", "households", "agreements", "notices", "supervision", "devices", "standards"}
        | {"monitoring", "files", "compliance"}
        and isinstance(model._meta.pk, models.AutoField)
        and not isinstance(model._meta.pk, models.BigAutoField)
    ]
    assert small == []
    assert isinstance(AccessLog._meta.pk, models.BigAutoField)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the column types are PostgreSQL's")
def test_the_id_columns_are_bigint_in_postgresql() -> None:
    history_models = _history_models()
    columns = {(model._meta.db_table, model._meta.pk.column) for model in history_models}
    # A many-to-many history row points at its parent history row: that column too.
    columns |= {
        (model._meta.db_table, field.column)
        for model in history_models
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in history_models
    }
    columns.add((AccessLog._meta.db_table, "id"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ANY(%s)",
            [sorted({table for table, _column in columns})],
        )
        found = {
            (table, column): data_type
            for table, column, data_type in cursor.fetchall()
            if (table, column) in columns
        }
    assert set(found) == columns
    assert {key: kind for key, kind in found.items() if kind != "bigint"} == {}
    assert found[("core_accesslog", "id")] == "bigint"
    assert found[("households_historicalhousehold", "history_id")] == "bigint"
    assert found[("supervision_historicalsupervision_attendees", "history_id")] == "bigint"
