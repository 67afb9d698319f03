"""The API's schema tells the truth about what the API answers (security finding 11).

An integration is written from the schema, and a fuzzer checks the API against it
(tests/fuzz/run, in CI). These tests hold the particular answers the schema once got
wrong: values that may be blank or null, the errors every operation can give, request
bodies that refuse fields they do not know, and values of the wrong JSON type.
"""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.api.helpers import send, url

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def _property(schema: dict[str, Any], component: str, name: str) -> dict[str, Any]:
    return schema["components"]["schemas"][component]["properties"][name]  # type: ignore[no-any-return]


def _allows_blank(schema: dict[str, Any], prop: dict[str, Any]) -> bool:
    refs = [option.get("$ref", "") for option in prop.get("oneOf", [])]
    return "#/components/schemas/BlankEnum" in refs


def test_a_placement_not_yet_ended_has_a_blank_end_reason_and_the_schema_says_so(schema) -> None:
    assert _allows_blank(schema, _property(schema, "Placement", "end_reason"))


def test_a_recording_with_no_category_is_allowed_for_by_the_schema(schema) -> None:
    assert _allows_blank(schema, _property(schema, "Recording", "category"))


@pytest.mark.parametrize("name", ["completed_by", "acknowledged_by"])
def test_who_completed_or_acknowledged_a_supervision_is_null_until_they_do(schema, name: str) -> None:
    assert _property(schema, "Supervision", name).get("nullable") is True


def test_a_required_value_is_not_made_nullable(schema) -> None:
    # The rule reads the model: a supervision always has its writer.
    assert "nullable" not in _property(schema, "Supervision", "written_by")


def test_every_operation_documents_401_403_and_429_and_each_list_400_and_404(schema) -> None:
    for path, item in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"401", "403", "429"} <= codes, (method, path)
            if method == "get" and "{" not in path:
                assert {"400", "404"} <= codes, (method, path)
            if "requestBody" in operation:
                assert "400" in codes, (method, path)


def test_an_update_that_needs_if_match_documents_412_and_428(schema) -> None:
    operation = schema["paths"]["/api/v1/supervisions/{id}/"]["patch"]
    assert {"412", "428"} <= set(operation["responses"])


def test_every_request_body_is_closed_to_fields_it_does_not_name(schema) -> None:
    components = schema["components"]["schemas"]
    bodies = 0
    for item in schema["paths"].values():
        for operation in item.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                name = media["schema"]["$ref"].rsplit("/", 1)[1]
                assert components[name]["additionalProperties"] is False, name
                bodies += 1
    assert bodies > 20


def test_the_api_takes_json_only(schema) -> None:
    for item in schema["paths"].values():
        for operation in item.values():
            if "requestBody" in operation:
                assert set(operation["requestBody"]["content"]) == {"application/json"}


def test_a_path_no_route_matches_answers_json_404(world, client_for) -> None:
    response = client_for(world.frank).get("/api/v1/agreements//")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_page_people_ask_for_that_does_not_exist_is_still_an_html_page(world, client_for) -> None:
    response = client_for(world.frank).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("page", ["", "true", "0", "-1", "1.5", "x"])
def test_a_page_that_is_not_a_whole_number_from_1_is_refused_naming_it(world, client_for, page: str) -> None:
    response = client_for(world.frank).get(url("household-list"), {"page": page})
    assert response.status_code == 400
    assert response.json() == {"page": ["page: must be a whole number from 1"]}


def test_a_page_past_the_end_of_the_list_is_not_found(world, client_for) -> None:
    response = client_for(world.frank).get(url("household-list"), {"page": "40"})
    assert response.status_code == 404


def _new_household(**changes: Any) -> dict[str, Any]:
    body = {"name": "Okafor household", "max_children": 2, "age_min": 0, "age_max": 17, "postcode": "CT1 1AA"}
    return {**body, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"postcode": 0}, "postcode", "Postcode: must be text"),
        ({"name": ["Okafor"]}, "name", "Name: must be text"),
        ({"max_children": "2"}, "max_children", "Max children: must be a whole number"),
        ({"max_children": True}, "max_children", "Max children: must be a whole number"),
        ({"age_max": 17.0}, "age_max", "Age max: must be a whole number"),
    ],
)
def test_a_value_of_the_wrong_json_type_is_refused_not_converted(
    world, client_for, changes: dict[str, Any], field: str, message: str
) -> None:
    response = send(client_for(world.frank), "POST", url("household-list"), _new_household(**changes))
    assert response.status_code == 400, response.content
    assert response.json() == {field: [message]}


def test_the_same_household_with_the_right_types_is_created(world, client_for) -> None:
    response = send(client_for(world.frank), "POST", url("household-list"), _new_household())
    assert response.status_code == 201, response.content
    assert response.json()["postcode"] == "CT1 1AA"
