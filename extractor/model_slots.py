"""A pydantic model made from its field values without validation: what `model_construct` does
with every field given, without its per-call inspection of defaults (`extractor.unvalidated`
builds the per-page models with it).

This module is the reference and what runs from the sources; `model_slots.c` is its compiled
twin, built with the hot modules by `python -m extractor.native_build` and loaded in its place
while the build matches the sources. The twin calls the four slots' C setters directly, where
this code (compiled or not) calls each through a Python method wrapper, which builds an
argument tuple every time: 3-5% of the time of a run that reads tables. The tests hold the two
to the same results.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)

# The slots' own setters, called directly: `object.__setattr__` would look each one up by name
# on every call.
_SLOTS = BaseModel.__dict__
_set_dict = _SLOTS["__dict__"].__set__
_set_fields_set = _SLOTS["__pydantic_fields_set__"].__set__
_set_extra = _SLOTS["__pydantic_extra__"].__set__
_set_private = _SLOTS["__pydantic_private__"].__set__


def construct(cls: type[Model], values: dict[str, Any], fields: set[str]) -> Model:
    """An instance of `cls` (a pydantic model) holding `values` (a dict of every field) as its
    `__dict__`, `fields` as its fields-set, and neither extra nor private values."""
    model = object.__new__(cls)
    _set_dict(model, values)
    _set_fields_set(model, fields)
    _set_extra(model, None)
    _set_private(model, None)
    return model
