"""The unvalidated constructions of the infobox records equal what pydantic would build."""

from __future__ import annotations

from extractor.parse.infobox_fast import new_field
from extractor.schemas.registry import _with_flags, _with_unknown_templates
from extractor.values import TypedValue, parse_value


def test_a_copy_with_flags_is_model_copys():
    for value in (parse_value("12 km", "area"), parse_value("{{x}} a", "k"),
                  TypedValue.model_construct(raw="a", text="a", kind="text", flags=["f"],
                                             parts=[])):
        before = value.model_dump()
        fast = _with_flags(value, [*value.flags, "unknown_template:x"])
        slow = value.model_copy(update={"flags": [*value.flags, "unknown_template:x"]})
        assert fast == slow
        assert fast.model_dump() == slow.model_dump()
        assert fast.model_fields_set == slow.model_fields_set
        assert value.model_dump() == before  # the cached original is untouched


def test_unknown_templates_are_flagged_on_a_copy():
    value = parse_value("x", "k")
    flagged = _with_unknown_templates(value, '["a", "b"]')
    assert flagged.flags == [*value.flags, "unknown_template:a", "unknown_template:b"]
    assert "unknown_template:a" not in value.flags
    assert _with_unknown_templates(flagged, '["a"]') is flagged
    assert _with_unknown_templates(value, "not json") is value


def test_an_unvalidated_field_is_a_validated_one():
    from extractor.model import InfoboxField

    fast = new_field("k", "v", 3, "t", {"a": "b"})
    slow = InfoboxField(key="k", value="v", line=3, text="t", hints={"a": "b"})
    assert fast == slow
    assert fast.model_dump() == slow.model_dump()
    assert fast.model_fields_set == slow.model_fields_set
    fast.text = "u"  # assignment works as on a validated model
    assert fast.text == "u" and slow.text == "t"
