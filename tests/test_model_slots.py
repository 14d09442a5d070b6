"""`model_slots.construct` and its C twin: the models validation makes, the same refusals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor import model_slots
from extractor.model import Cell, InfoboxField, Section, TypedValue

from .conftest import load_reference

reference = load_reference("extractor.model_slots")
BUILDS = [reference.construct, model_slots.construct]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=20), raw=st.none() | st.text(max_size=20),
       hints=st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
       header=st.booleans(), rowspan=st.integers(0, 9), colspan=st.integers(1, 9))
def test_a_built_cell_is_the_validated_cell(text, raw, hints, header, rowspan, colspan):
    values = {"text": text, "raw": raw, "hints": hints, "header": header, "rowspan": rowspan,
              "colspan": colspan}
    validated = Cell(**values)
    fields = set(Cell.model_fields)
    for build in BUILDS:
        cell = build(Cell, dict(values), fields)
        assert type(cell) is Cell
        assert cell == validated and cell.model_dump() == validated.model_dump()
        assert cell.__pydantic_fields_set__ is fields
        assert cell.__pydantic_extra__ is None and cell.__pydantic_private__ is None
        cell.text = "edited"  # assignment works as on any model
        assert cell.text == "edited" and validated.text == text


def test_other_models_keep_the_values_dict_given():
    values = {"title": "History", "level": 2, "line": 14}
    for build in BUILDS:
        section = build(Section, values, set(values))
        assert section == Section(**values) and section.__dict__ is values
        field = build(InfoboxField, {"key": "k", "value": "v", "line": 3, "text": "v",
                                     "hints": {}}, set(InfoboxField.model_fields))
        assert field == InfoboxField(key="k", value="v", line=3, text="v")
        value = build(TypedValue, TypedValue(raw="1", text="1").__dict__.copy(),
                      set(TypedValue.model_fields))
        assert value == TypedValue(raw="1", text="1")


class Plain:
    pass


@pytest.mark.parametrize("build", BUILDS)
def test_what_is_not_a_model_is_refused(build):
    with pytest.raises(TypeError):
        build(5, {}, set())
    with pytest.raises(TypeError):
        build(Plain, {}, set())  # no pydantic slots
    with pytest.raises(TypeError):
        build(Cell, [], set())  # a __dict__ is a dict
    for builtin in (str, tuple, int, dict):  # not made by object.__new__
        with pytest.raises(TypeError):
            build(builtin, {}, set())
