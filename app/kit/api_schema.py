"""The OpenAPI document says everything the server enforces (docs/decisions/0016-the-document-is-the-contract.md).

`ModelSchemaPlugin` adds what Litestar's pydantic schema plugin leaves out of our models, so a client that trusts
the document never sends a body the server refuses: `additionalProperties: false` (`extra="forbid"`), a tagged
union's tag as required with its `discriminator` (the tag must be sent even where the member has a default),
patterns (pydantic's and `StatedPattern`s), a bound of 0, and a list's item counts; in a merge patch, `anyOf`
where members overlap. Request bodies are also validated strictly (`validate_strict` in app/main.py).

For the routes: `allow_every_method` (OPTIONS' `Allow`), `document_shared_answers` (415 and 404 where every
operation of a kind can answer them) and `WithoutOk` (an operation whose handler builds its own answers).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from litestar.openapi.spec import Discriminator, OpenAPIType, Operation, Reference, Schema
from litestar.plugins.pydantic import PydanticSchemaPlugin
from litestar.routes import HTTPRoute
from litestar.typing import FieldDefinition
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from app.errors import problem_responses

if typing.TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator


@dataclass(frozen=True)
class StatedPattern:
    """`Annotated[str, StatedPattern(...)]`: a pattern the document states for a field whose rule the service checks
    with a problem of its own (a webhook URL's `422 invalid-webhook-url`). Pydantic does not enforce it. Not
    `json_schema_extra`: Litestar writes a field's examples into that dict each time it builds a document, so they
    pile up from one app to the next in a process."""

    pattern: str


class ModelSchemaPlugin(PydanticSchemaPlugin):
    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        model = field_definition.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            if model.model_config.get("extra") == "forbid":
                schema.additional_properties = False
            for name, field in model.model_fields.items():
                if schema.properties and isinstance(prop := schema.properties.get(name), Schema):
                    _keep_field_rules(prop, field)
                tag = field.discriminator if isinstance(field.discriminator, str) else _nested_tag(field.annotation)
                if tag and schema.properties and name in schema.properties:
                    _declare_tagged_union(schema.properties[name], field.annotation, tag, schema_creator)
            if getattr(model, "merge_patch", False):
                _overlapping_members(schema)
        return schema


_BOUNDS = (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusive_minimum"), ("lt", "exclusive_maximum"))


def _keep_field_rules(prop: Schema, field: FieldInfo) -> None:
    """What Litestar drops from a field: its `pattern`, a bound of 0, and the item counts of a list (which it writes
    as string lengths, which apply to no array)."""
    for rule in field.metadata:
        if isinstance(pattern := getattr(rule, "pattern", None), str):
            prop.pattern = pattern
        for bound, keyword in _BOUNDS:  # a bound of 0 is dropped from an optional number's schema
            if isinstance(value := getattr(rule, bound, None), int | float) and getattr(prop, keyword) is None:
                setattr(prop, keyword, value)

    arrays = [m for m in [prop, *(prop.one_of or [])] if isinstance(m, Schema) and m.type == OpenAPIType.ARRAY]
    if arrays and (prop.min_length is not None or prop.max_length is not None):
        arrays[0].min_items, arrays[0].max_items = prop.min_length, prop.max_length
        prop.min_length = prop.max_length = None
    if arrays and isinstance(arrays[0].items, Schema) and (pattern := _item_pattern(field.annotation)):
        arrays[0].items.pattern = pattern


def _item_pattern(annotation: Any) -> str | None:
    """The pattern of `list[Annotated[str, StatedPattern(...)]]`'s items."""
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is typing.Annotated:
            for info in typing.get_args(arg)[1:]:
                if isinstance(info, StatedPattern):
                    return info.pattern
    return None


def _overlapping_members(schema: Schema) -> None:
    """In a merge patch the tag may be left out (`{"engine": {}}` fits either engine): `anyOf`, not `oneOf`."""
    for prop in (schema.properties or {}).values():
        if isinstance(prop, Schema) and prop.one_of:
            prop.any_of, prop.one_of = prop.one_of, None


def _declare_tagged_union(prop: Schema | Reference, annotation: Any, tag: str, schema_creator: SchemaCreator) -> None:
    mapping: dict[str, str] = {}
    for member in _union_members(annotation, tag):
        ref = schema_creator.for_field_definition(FieldDefinition.from_annotation(member))
        if not isinstance(ref, Reference):
            continue
        registered = schema_creator.schema_registry.from_reference(ref).schema
        registered.required = sorted({*(registered.required or []), tag})
        (value,) = typing.get_args(member.model_fields[tag].annotation)
        mapping[value] = f"#/components/schemas/{member.__name__}"
    # `engine: EngineSettings | None` is a oneOf of the members and null: the discriminator sits on that oneOf
    if isinstance(prop, Schema):
        prop.discriminator = Discriminator(property_name=tag, mapping=mapping)


def _nested_tag(annotation: Any) -> str | None:
    """The discriminator of `Annotated[A | B, Field(discriminator=...)] | None`, which pydantic keeps inside."""
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in typing.get_args(annotation)[1:]:
            if isinstance(getattr(meta, "discriminator", None), str):
                return str(meta.discriminator)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return next((t for arg in typing.get_args(annotation) if (t := _nested_tag(arg))), None)
    return None


def _union_members(annotation: Any, tag: str) -> list[type[BaseModel]]:
    """The tagged models of `A | B`, `Annotated[A | B, ...]` or `(A | B) | None`."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _union_members(typing.get_args(annotation)[0], tag)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _union_members(arg, tag)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(tag)
        if field is not None and typing.get_origin(field.annotation) is Literal:
            return [annotation]
    return []


def allow_every_method(routes: list[Any]) -> None:
    """`OPTIONS` answers `Allow` with every method of its path, not just the first handler's.

    Litestar registers a controller's handlers one at a time; the automatic OPTIONS handler of a path is made with
    the route of the first one and keeps reading that route's methods after the others join it (`Allow: OPTIONS,
    POST` on `/v1/agents`, which has GET too). Point each at the route that now serves the path.
    """
    for route in routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            fn = handler.fn
            closure = getattr(fn, "__closure__", None)
            if getattr(fn, "__name__", "") == "options_handler" and closure and fn.__code__.co_freevars == ("self",):
                closure[0].cell_contents = route


def document_shared_answers(routes: list[Any]) -> None:
    """What any operation of a kind can answer, documented on each: 415 for a body that is not JSON (every operation
    that takes one, `GuardedRequest`), 404 for a path whose id is not a UUID (no route matches it)."""
    for route in routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            shared = {}
            if "data" in handler.parsed_fn_signature.parameters:
                shared.update(problem_responses("unsupported-media-type"))
            if ":uuid}" in route.path:
                shared.update(problem_responses("not-found"))
            if shared:
                handler.responses = {**shared, **(handler.responses or {})}


@dataclass
class WithoutOk(Operation):
    """For a handler that builds its own answers (a 204, a redirect) and lists them in `responses`: Litestar would
    document the decorator's 200 as well, which it never sends."""

    def __post_init__(self) -> None:
        if self.responses:
            self.responses.pop("200", None)
