"""drf-spectacular: how the token authentication appears in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Personal access token from the profile page: `Authorization: Bearer dlv_…`",
        }


ERROR_RESPONSES = {
    "400": "Validation errors: field name → messages, in the language of the pages.",
    "401": "No credentials, or a token that is unknown, revoked or expired.",
    "403": "The user may not do this.",
    "404": "Not found, or not visible to the user (another project's data is never confirmed to exist).",
    "429": "Too many requests for this token; retry later.",
}
DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def add_error_responses(result, generator, request, public):
    """Every operation may answer with these errors (DRF raises them before the view runs: filters,
    pagination, authentication, throttling), so the schema says so once, here."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorDetail"] = DETAIL
    schemas["ValidationErrors"] = VALIDATION
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                schema = {"$ref": "#/components/schemas/ErrorDetail"}
                if code == "400":
                    # Field errors, or one detail when the body itself cannot be read.
                    schema = {"anyOf": [{"$ref": "#/components/schemas/ValidationErrors"}, schema]}
                responses[code] = {"description": description, "content": {"application/json": {"schema": schema}}}
    return result
