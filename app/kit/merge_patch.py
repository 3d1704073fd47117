"""Every PATCH of the API is a JSON merge patch (RFC 7396; docs/decisions/0016-the-document-is-the-contract.md).

- A member you leave out keeps its value.
- An object merges member by member, at any depth (`{"engine": {"voice": "cedar"}}` changes the voice and
  nothing else), except that an object of another `type` replaces the old one whole (an OpenAI engine becomes
  a Cartesia one).
- A list, a string, a number replaces the old value whole.
- `null` is a value, not a removal: it sets a field that may be null (`"turn_detection": null` turns turn
  detection off, `"max_concurrent_sessions": null` removes the limit) and is refused where the field may not be
  null. RFC 7396 would remove the member, which a resource whose every field always has a value cannot do.

`partial(Model)` is a model's patch form: every field optional, nested models partial too, null only where the
model takes it. `merge` applies a patch; the caller validates the result against the full model.
"""

from __future__ import annotations

import copy
import types
import typing
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model

from app.errors import Problem


class MergePatch(BaseModel):
    """A PATCH body: only the fields sent change (`model_dump(exclude_unset=True)` is what was sent)."""

    model_config = ConfigDict(extra="forbid")
    merge_patch: ClassVar[bool] = True


def partial(
    model: type[BaseModel], name: str = "", omit: frozenset[str] = frozenset(), doc: str = ""
) -> type[MergePatch]:
    """`model`'s patch form, named `name` (default `<Model>Patch`), without the fields in `omit`."""
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        if field_name in omit:
            continue
        field = copy.copy(info)
        field.default, field.default_factory = None, None
        field.discriminator = None  # a patch may leave the tag out: the object keeps its type
        fields[field_name] = (_partial_type(field.annotation), field)
    made: type[MergePatch] = create_model(name or f"{model.__name__}Patch", __base__=MergePatch, **fields)
    made.__doc__ = doc or f"Changes to {model.__name__}: only the fields sent change, objects merge."
    return made


def _partial_type(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return partial(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _partial_type(typing.get_args(annotation)[0])  # drops a discriminator with the Annotated
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_partial_type(arg) for arg in typing.get_args(annotation))]  # noqa: UP007
    return annotation


def merge(current: Any, patch: Any) -> Any:
    if not (isinstance(current, dict) and isinstance(patch, dict)):
        return patch
    if "type" in patch and patch["type"] != current.get("type"):
        return patch
    return {**current, **{key: merge(current.get(key), value) for key, value in patch.items()}}


def merged(adapter: TypeAdapter[Any], current: Any, patch: Any, name: str) -> Any:
    """`patch` merged into `current`, validated as a whole; a problem naming the field if the result is invalid
    (an engine switched to Cartesia without its `agent_id`)."""
    value = merge(current, patch)
    try:
        return adapter.validate_python(value, strict=True)
    except ValidationError as exc:
        tag = value.get("type") if isinstance(value, dict) else None  # a tagged union puts the tag in the path
        errors = [
            {"message": e["msg"], "key": ".".join(str(p) for p in (name, *e["loc"]) if p != tag)} for e in exc.errors()
        ]
        raise Problem(
            "invalid-request", f"`{name}` would not be valid after this change: {errors[0]['message']}.", errors=errors
        ) from None
