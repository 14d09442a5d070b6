"""The table reader's shortcuts give what the general render path gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.parse.wikitables import make_cell, split_attributes, split_outside
from extractor.templates import LONE_LINK, fast_render, lone_link_text

# The characters that decide whether a cell is one lone link, and those that break the pattern.
_LINKISH = st.text(alphabet="[]|':ab \t\n\x0c\xa0{}<&F", max_size=24)


@settings(max_examples=1500, deadline=None)
@given(_LINKISH)
def test_a_lone_link_reads_as_the_general_render_reads_it(text):
    lone = LONE_LINK.fullmatch(text)
    if lone is None or lone_link_text(lone) is None:
        return
    assert split_attributes(text) == ("", text)  # its pipe is the link's: no attributes
    rendered = fast_render(text, keep_unknown=True)
    assert (lone_link_text(lone), {}, []) == (rendered.text, rendered.hints, rendered.unknown)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(["", " ", "  ", "\t", "''", "'''", "'''''", "''''''", " ''"]),
       st.text(alphabet="ab :|\x0c\xa0'F", max_size=8),
       st.one_of(st.none(), st.text(alphabet="ab :|\x0c\xa0'", max_size=8)),
       st.sampled_from(["", " ", "  ", "\t", "''", "'''", " '' ", "x"]))
def test_links_shaped_like_cells_read_as_the_general_render_reads_them(lead, target, label,
                                                                       trail):
    text = f"{lead}[[{target}{'' if label is None else '|' + label}]]{trail}"
    lone = LONE_LINK.fullmatch(text)
    if lone is None or lone_link_text(lone) is None:
        return
    assert lone_link_text(lone) == fast_render(text, keep_unknown=True).text


def test_quotes_around_an_empty_link_take_the_general_path():
    # found by the property above: the quotes meet, and the general path reads one run of six
    for text in ("'''[[]]'''", "'''[[A|]]'''", "''[[a|]]'''", " '''[[A|]]''' "):
        lone = LONE_LINK.fullmatch(text)
        assert lone is not None and lone_link_text(lone) is None
        assert make_cell(text, False).text == fast_render(text, keep_unknown=True).text


def test_common_cells_take_the_lone_link_path():
    for text in ("[[Link|Label]]", " ''[[Film]]'' ", "'''[[A b]]'''", "[[A|]]"):
        assert LONE_LINK.fullmatch(text) is not None
    for text in ("[[File:x.png]]", "[[A]] and [[B]]", "[[A|''b'']]", "[[A]]<br>", "[[a&amp;b]]"):
        assert LONE_LINK.fullmatch(text) is None


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["[[", "]]", "{{", "}}", "|", "||", "!!", "!", "[", "]", "{", "}",
                                 "a", " ", "x=1 "]), max_size=14).map("".join))
def test_splits_of_flat_brackets_agree_with_the_bracket_scan(text):
    from extractor.parse.wikitables import split_attributes_scan, split_outside_scan

    for separators in (("||",), ("!!", "||")):
        assert split_outside(text, separators) == split_outside_scan(text, separators)
    assert split_attributes(text) == split_attributes_scan(text)
