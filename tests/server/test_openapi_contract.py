"""The OpenAPI document says what the server sends: one error body, every status declared.

Schemathesis (``test_schemathesis.py``) checks the answers against the document; these tests
check the document against the routes and the error answers against their one shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from podium.server.api.deps import current_user, workspace_member
from podium.server.api.errors import validation_message
from podium.server.api.routes import API_ROUTERS
from podium.server.app import API_PREFIX, create_app
from tests.conftest import make_settings
from tests.server.conftest import World

ERROR_REF = "#/components/schemas/ErrorResponse"


def _api_routes() -> Iterator[APIRoute]:
    for router in API_ROUTERS:
        yield from (r for r in router.routes if isinstance(r, APIRoute))


def _walk(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _walk(sub)


def _calls(route: APIRoute) -> set[Any]:
    return {dep.call for dep in _walk(route.dependant)}


def _has_parameters(route: APIRoute) -> bool:
    return any(d.path_params or d.query_params or d.body_params for d in _walk(route.dependant))


def _declared(route: APIRoute) -> set[int]:
    return {int(code) for code in route.responses}


class TestDeclarations:
    @pytest.mark.parametrize("route", list(_api_routes()), ids=lambda r: r.unique_id)
    def test_auth_and_parameters_declare_their_errors(self, route: APIRoute) -> None:
        needed: set[int] = set()
        if _calls(route) & {current_user, workspace_member}:
            needed.add(401)
        if workspace_member in _calls(route):
            needed.add(404)
        if _has_parameters(route):
            needed.add(422)
        assert needed <= _declared(route), f"{route.path} {route.methods}: declare {needed}"

    def test_every_error_answer_has_the_one_body(self, world: World) -> None:
        spec = world.client.get("/openapi.json").json()
        assert "HTTPValidationError" not in spec["components"]["schemas"]
        assert spec["components"]["schemas"]["ErrorResponse"]["required"] == ["detail"]
        for path, ops in spec["paths"].items():
            for method, op in ops.items():
                for code, response in op["responses"].items():
                    if int(code) < 400 or path == "/healthz":
                        continue
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": ERROR_REF}, f"{method} {path} {code}"


class TestValidationBody:
    def test_one_sentence_naming_each_field(self, world: World) -> None:
        r = world.client.post(
            f"{API_PREFIX}/workspaces/{world.ws}/projects",
            json={"name": "", "description": 5, "colour": "red"},
            headers=world.owner.headers,
        )
        assert r.status_code == 422
        assert r.json() == {
            "detail": "name: String should have at least 1 character; "
            "description: Input should be a valid string; "
            "colour: unknown field; remove it (see the API docs for the accepted fields)"
        }

    def test_path_query_and_model_errors(self, world: World) -> None:
        bad_id = world.client.get(f"{API_PREFIX}/runs/not-a-uuid", headers=world.owner.headers)
        assert bad_id.status_code == 422
        assert bad_id.json()["detail"].startswith("path parameter run_id: Input should be a valid")
        models = world.client.get(f"{API_PREFIX}/describe/models", headers=world.owner.headers)
        assert models.json() == {"detail": "query parameter task: required"}
        both = world.client.post(
            f"{API_PREFIX}/projects/{world.project()}/experiments",
            json={"name": "E", "task": "binary", "target": "y"},
            headers=world.owner.headers,
        )
        assert both.json() == {
            "detail": "request body: give exactly one of data_source_id or sklearn_dataset"
        }

    def test_unreadable_bodies(self, world: World) -> None:
        not_utf8 = world.client.post(
            f"{API_PREFIX}/workspaces",
            content=b'{"name": "\xff\xfe"}',
            headers={**world.owner.headers, "Content-Type": "application/json"},
        )
        assert not_utf8.status_code == 422  # FastAPI: 400 "There was an error parsing the body"
        assert not_utf8.json() == {
            "detail": "the request body is not valid JSON (not UTF-8 text); send a JSON object"
        }
        form = world.client.post(
            f"{API_PREFIX}/workspaces/{world.ws}/data-sources/upload",
            content=b"--b\r\n--b--\r\n",
            headers={**world.owner.headers, "Content-Type": "multipart/form-data; boundary=b"},
        )
        assert form.status_code == 422
        assert form.json()["detail"].startswith("the form data")

    def test_never_echoes_the_input_and_caps_the_list(self) -> None:
        errors = [
            {"loc": ("body", "rows", i, "age"), "msg": "bad", "type": "x", "input": "secret"}
            for i in range(12)
        ]
        message = validation_message(errors)
        assert "secret" not in message
        assert message.startswith("rows[0].age: bad; rows[1].age: bad")
        assert message.endswith("rows[9].age: bad; and 2 more")


@pytest.fixture(params=["api only", "with web app"])
def any_client(request: pytest.FixtureRequest, tmp_path: Path, sqlite_url: str) -> Iterator[Any]:
    dist = tmp_path / "dist"
    if request.param == "with web app":
        dist.mkdir()
        (dist / "index.html").write_text("<html>podium</html>")
    with TestClient(create_app(make_settings(tmp_path, sqlite_url, web_dist=dist))) as client:
        yield client


class TestUnmatchedApiPaths:
    def test_wrong_method_is_405_with_allow(self, any_client: TestClient) -> None:
        r = any_client.get(f"{API_PREFIX}/auth/login")
        assert r.status_code == 405
        assert r.headers["allow"] == "POST"
        assert r.json() == {"detail": "GET is not allowed on /api/v1/auth/login; use POST"}
        put = any_client.put(f"{API_PREFIX}/workspaces/{'0' * 32}")
        assert put.status_code == 405
        assert put.headers["allow"] == "GET, PATCH, DELETE"

    def test_unknown_path_is_404_json(self, any_client: TestClient) -> None:
        for method in ("GET", "POST", "DELETE"):
            r = any_client.request(method, f"{API_PREFIX}/nope")
            assert r.status_code == 404
            assert r.json()["detail"].startswith("no API route /api/v1/nope")
        assert any_client.get("/api").status_code == 404

    def test_http_on_the_websocket_path_is_426(self, any_client: TestClient) -> None:
        r = any_client.get(f"{API_PREFIX}/runs/{'0' * 32}/events/ws")
        assert r.status_code == 426
        assert "WebSocket" in r.json()["detail"]


class TestDocumentedRules:
    """Rules the document states as JSON Schema agree with what the server accepts."""

    @pytest.mark.parametrize(
        ("data", "accepted"),
        [
            ({"sklearn_dataset": "iris"}, True),
            ({"sklearn_dataset": "iris", "data_source_id": None}, True),
            ({"data_source_id": "source"}, True),
            ({"data_source_id": "source", "sklearn_dataset": None}, True),
            ({"data_source_id": "source", "sklearn_dataset": "iris"}, False),
            ({}, False),
            ({"data_source_id": None, "sklearn_dataset": None}, False),
        ],
    )
    def test_exactly_one_data_source(
        self, world: World, data: dict[str, Any], accepted: bool
    ) -> None:
        spec = world.client.get("/openapi.json").json()
        schema = {
            **spec["components"]["schemas"]["ExperimentCreate"],
            "components": spec["components"],
        }
        source = world.upload()
        body = {"name": "E", "task": "multiclass", "target": "species"}
        body |= {k: source if v == "source" else v for k, v in data.items()}
        if body.get("sklearn_dataset"):
            body["target"] = "target"
        assert jsonschema_rs.validator_for(schema).is_valid(body) is accepted
        r = world.client.post(
            f"{API_PREFIX}/projects/{world.project()}/experiments",
            json=body,
            headers=world.owner.headers,
        )
        assert r.status_code == (201 if accepted else 422), r.text

    def test_slug_and_pipeline_name_patterns_are_documented(self, world: World) -> None:
        schemas = world.client.get("/openapi.json").json()["components"]["schemas"]
        slug = schemas["DeploymentCreate"]["properties"]["slug"]
        name = schemas["PipelinePromote"]["properties"]["name"]
        assert re.fullmatch(slug["pattern"], "churn-v2")
        assert not re.search(slug["pattern"], "Churn_v2")
        assert (name["maxLength"], bool(re.search(name["pattern"], "../etc"))) == (100, False)
