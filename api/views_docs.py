"""The API documentation as a page people can read, built from the same OpenAPI schema that
``/api/v1/schema/`` serves, so the two never disagree."""

from functools import lru_cache

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=1)
def _operations() -> tuple[dict, list[dict]]:
    """The schema's info and one plain row per operation (path, method, summary, description,
    parameters, request fields, responses). Built once per process: the schema only changes
    with the code."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    operations = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            body_schema = next(iter(body.values()), {}).get("schema", {}) if body else {}
            reference = body_schema.get("$ref", "")
            fields = components.get(reference.rsplit("/", 1)[-1], {}) if reference else body_schema
            required = set(fields.get("required", []))
            operations.append(
                {
                    "id": f"{method}-{path.strip('/').replace('/', '-')}",
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter.get("in", ""),
                            "required": parameter.get("required", False),
                            "type": parameter.get("schema", {}).get("type", ""),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "fields": [
                        {
                            "name": name,
                            "required": name in required,
                            "type": spec.get("type", "object"),
                            "description": spec.get("description", ""),
                        }
                        for name, spec in fields.get("properties", {}).items()
                    ],
                    "responses": [
                        (code, response.get("description", "")) for code, response in operation["responses"].items()
                    ],
                }
            )
    return schema.get("info", {}), operations


def docs(request):
    info, operations = _operations()
    return render(request, "api/docs.html", {"info": info, "operations": operations})
