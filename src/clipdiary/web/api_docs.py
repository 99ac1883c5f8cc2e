"""``/api/docs``: the JSON API's reference, made from its OpenAPI schema on this server.

FastAPI's own docs page loads Swagger UI from a CDN and stays blank on a laptop without a
network; this page is plain HTML in the site's own style, with every operation's
parameters, body and answers and every schema's fields, and a link to ``/openapi.json``
for tools that want the schema itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from clipdiary.web.auth import pages_of, viewer_of

router = APIRouter(include_in_schema=False)

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[tuple[str, Field]]  # (where: path, query, header; the field)
    body: str | None
    answers: list[tuple[str, str, str]]  # (status, description, type)

    @property
    def anchor(self) -> str:
        return f"{self.method}-{self.path}".replace("/", "-").replace("{", "").replace("}", "")


@dataclass(frozen=True)
class Schema:
    name: str
    description: str
    fields: list[Field]


def type_of(schema: dict[str, Any]) -> str:
    """A schema as a short type: ``EntryOut``, ``array of string``, ``string | null``."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_of(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        return f"array of {type_of(schema.get('items', {}))}"
    if kind:
        shape = schema.get("format")
        return f"{kind} ({shape})" if shape else str(kind)
    return "any"


def reference(spec: dict[str, Any]) -> tuple[list[Operation], list[Schema]]:
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method in METHODS:
            op = methods.get(method)
            if op is None:
                continue
            parameters = [
                (
                    p.get("in", ""),
                    Field(
                        p["name"],
                        type_of(p.get("schema", {})),
                        bool(p.get("required")),
                        p.get("description") or p.get("schema", {}).get("description", ""),
                    ),
                )
                for p in op.get("parameters", [])
            ]
            content = op.get("requestBody", {}).get("content", {})
            body = next((type_of(c.get("schema", {})) for c in content.values()), None)
            answers = []
            for status, answer in op.get("responses", {}).items():
                shown = next(
                    (type_of(c.get("schema", {})) for c in answer.get("content", {}).values()),
                    "",
                )
                answers.append((status, answer.get("description", ""), shown))
            operations.append(
                Operation(
                    method.upper(),
                    path,
                    op.get("summary", ""),
                    op.get("description", ""),
                    parameters,
                    body,
                    answers,
                )
            )
    schemas = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [
            Field(field, type_of(value), field in required, value.get("description", ""))
            for field, value in schema.get("properties", {}).items()
        ]
        schemas.append(Schema(name, schema.get("description", ""), fields))
    return operations, schemas


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    operations, schemas = reference(spec)
    html = pages_of(request).api_reference(
        viewer_of(request),
        title=str(spec.get("info", {}).get("title", "API")),
        description=str(spec.get("info", {}).get("description", "")),
        operations=operations,
        schemas=schemas,
    )
    return HTMLResponse(html)
