"""`fast_infobox`/`fast_infoboxes` give up (None) or read exactly what the mwparserfromhell path
reads."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.parse import wikitext as W
from extractor.parse.infobox_fast import fast_infobox, fast_infoboxes

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CORPUS = Path("/work/shared/corpus")


def described(infobox):
    fields = [(f.key, f.value, f.text, f.line, f.hints) for f in infobox.fields]
    return infobox.template, infobox.line, infobox.parent, fields


def check_page(text: str) -> tuple[int, int, int]:
    """Compare the fast and slow paths on every closed outermost infobox of a page:
    (infoboxes, taken by `fast_infobox`, taken by `fast_infoboxes`)."""
    masked = W.mask_opaque(text)
    spans = W.template_spans(masked, [])
    lines = W.LineIndex(text)
    total = taken = taken_family = 0
    for span in W.infobox_spans(spans):
        if span.recovered:
            continue
        total += 1
        slow_problems: list = []
        slow = W.parse_infoboxes(text, [span], lines, slow_problems, masked, spans, fast=False)
        context = text[span.start:span.start + 200]
        fast_problems: list = []
        fast = fast_infobox(text, masked, span, spans, lines, fast_problems)
        if fast is None:
            assert not fast_problems
        else:
            taken += 1
            assert len(slow) == 1, context
            assert fast_problems == slow_problems, context
            assert described(fast) == described(slow[0]), context
        family_problems: list = []
        family = fast_infoboxes(text, span, lines, family_problems, 0)
        if family is None:
            assert not family_problems
        else:
            taken_family += 1
            assert family_problems == slow_problems, context
            assert [described(i) for i in family] == [described(i) for i in slow], context
    return total, taken, taken_family


SNIPPETS = {
    "plain": "{{Infobox country\n| name = Testland\n| capital = Capital City\n"
             "| population = 1234\n}}",
    "refs": "{{Infobox settlement\n| name = A<ref>Note ''one''.</ref>\n| area = 12 km<ref name=x/>"
            "\n| b = c<ref name=\"y\">{{cite web|url=http://x.org|title=T}}</ref>\n}}",
    "br_list": "{{Infobox person\n| spouse = Alice (m. 1990)<br />Bea<br>Cleo<br/>\n"
               "| other = [[A|a]]<br/>[[B]]\n}}",
    "ubl": "{{Infobox party\n| ideology = {{ubl|Liberalism|[[Green politics|Greens]]}}\n"
           "| colours = {{plainlist|\n* Red\n* Blue\n}}\n| x = {{hlist|a|b}}\n}}",
    "comments": "{{Infobox film <!-- see the guide -->\n| name = Film<!-- a | b -->\n"
                "| year = <!-- 1999 -->2000\n}}",
    "links": "{{Infobox river\n| mouth = [[Atlantic Ocean|the Atlantic]], [[Ocean]]\n"
             "| image = [[File:X.jpg|thumb|A [[caption]]]]\n| web = [http://example.org Site]\n}}",
    "nested": "{{Infobox officeholder\n| office = {{nowrap|Member {{lang|fr|x=y|le bureau}}}}\n"
              "| term = {{convert|12|km|mi|abbr=on}} and {{unknown|a=b|c|d=[[e|f]]}}\n}}",
    "bang": "{{Infobox legislature\n| seats = 10 {{!}} 20\n| note = a{{=}}b\n}}",
    "empty": "{{Infobox election\n| a =\n| b = \n|c=\n| d = x\n|\n}}",
    "positional": "{{Infobox test|first|second\n| named = x\n|third}}",
    "entities": "{{Infobox thing\n| range = 1990&ndash;2000&nbsp;AD &amp; &foo; &#8211;"
                " &#x2013;\n}}",
    "bullets": "{{Infobox legislature\n| political_groups =\n'''Government'''\n* [[A Party]] (10)\n"
               "** [[B]]: 3\n'''Opposition'''\n* [[C]] (5)\n"
               "| members = \n# one\n# two\n: three\n}}",
    "quotes": "{{Infobox book\n| title = ''The Book''\n| alt = '''Bold''' and '''''both'''''\n"
              "| odd = it's '''x''s'''\n}}",
    "tags": "{{Infobox org\n| a = <small>(est.)</small> <span style=\"color:red\">red</span>\n"
            "| b = <nowiki>|raw|</nowiki> <p>para</p>\n}}",
    "hints": "{{Infobox election\n| turnout = 65% {{increase}} {{efn|Note}}\n"
             "| date = {{start date|2020|3|19}}\n| n = {{formatnum:1234567}}\n}}",
    "no_params": "{{Infobox empty}}",
    "tag_case": "{{Infobox a\n| x = <REF>n</ref> <Small>x</SMALL> <ref name = x >y</ref >\n}}",
    "name_case": "{{Infobox a\n| x = {{Convert|1|KM|abbr=on}} {{LANG|fr|text=z}}"
                 " {{Template:nowrap|q}} {{ubl| a | b }}\n}}",
    "url": "{{Infobox a\n| website = {{URL|https://x.org}} {{URL|x.org|X}} [http://y.org Y]"
           " http://z.org/a?b=c\n}}",
    "nowiki": "{{Infobox a\n| x = <nowiki>''a''</nowiki> <nowiki /> <NOWIKI>b</nowiki>\n}}",
    "notes_in_notes": "{{Infobox a\n| y = 1<ref>{{efn|n}}</ref>{{efn|m<ref>q</ref>}}\n}}",
    "duplicate": "{{Infobox x\n| a = 1\n| b = 2\n| a = 3\n}}",
    "unsafe": "{{Infobox x\n| a = <small>open\n| b = ''unpaired\n| c = {{{arg}}}\n}}",
}


# Edge cases met while building the fast path (each once read differently by the two paths,
# or close to such a case).
EDGES = [
    "[[a|b] | c = d]]", "[[a|b]c]]", "[[a|b]] ]] [[c]]]", "[http://x.org t\n| y = 2",
    "[[a|b\n| y = 2]]", "http://x.org''a'' http://x.org'b", "[[a|b [[c|d]] e]]",
    "[[a#b|c]] [[#s]] [[:fr:x]] [[a_b]] [[a&amp;b]] [[ a ]]", "{{a\n|b\n|c=d\n}}",
    "[[Image:x.png|20px]] [[Category:Foo]] [[category:bar|x]] [[:Category:Foo]]",
    "{{ nowrap | a = b }}{{efn-ua|name=x|note}}{{refn|group=n|q}}", "a\r\nb\n| y = c\r",
    "<div style=\"a\">\n* a\n* b\n</div>", "<p>a</p><p>b</p>", "{{ubl|a<br>b|c}}",
    "<span title=\"a>b\">x</span>", "<span title='a>b'>x</span>", "<small>a</ small>b</small>",
    "<span\nstyle=\"x\">a</span>", "<ref name=\"d'e\">{{cite web|url=u}}</ref>",
    "[[http://x.org]] and [[http://x.org|y]]", "see [http://x.org  title]",
    "{{ubl|a [http://x.org  t]|b [http://x.org\tt2]}}", "https://x.org/p?q=1&r=2\u200a&#8211;",
    "x\n*;y", "[http://x.org [http://x.org t]]", "<br/ >a<BR/  >", "a\n----\nb\n------c",
    "<center><small>x</small>", "<p style=\"m:0;\"><span>a</span>", "<span>{{x|''y''}}",
    "<ref name=\"a\">{{cite web |url=u}} |title=t |</ref>", "<small>a</b>c</small>",
    "<small>''a</b>c''</small>", "<span>a\n| w = 2</span>", "<small>x",
    # closing tags as mwparserfromhell compares them (right-stripped, lower-cased)
    "<nowiki>b</nowiki\n>c</nowiki>", "<nowiki>b</nowiki\u00a0>c", "<nowiki>b</nowi\u212ai>c",
    "<nowiki>b</now\u0131ki>c</nowiki>", "<nowiki>b</NOWIKI\t>c", "<small>b</small\n>c",
    "<small>b</small\u00a0>c", "<mark>b</mar\u212a>c", "<small>b</\u017fmall>c</small>",
    "<ins>b</\u0131ns>c</ins>", "<ref>b</ref\u00a0>c", "<ref>b</ref\x85>c", "<i>b</\u0130>c</i>",
]


@pytest.mark.parametrize("edge", EDGES)
def test_edge_cases_match_the_slow_path(edge):
    check_page("{{Infobox edge\n| v = " + edge + "\n| w = 1\n}}")


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippets_match_the_slow_path(name):
    check_page("Lead.\n" + SNIPPETS[name] + "\nBody text.\n")


def test_most_snippets_are_taken():
    taken = sum(check_page(text)[1] for text in SNIPPETS.values())
    assert taken >= len(SNIPPETS) - 2


def test_repeated_key_without_problems_is_left_to_the_slow_path():
    text = SNIPPETS["duplicate"]
    masked = W.mask_opaque(text)
    spans = W.template_spans(masked, [])
    span = W.infobox_spans(spans)[0]
    lines = W.LineIndex(text)
    assert fast_infobox(text, masked, span, spans, lines) is None
    problems: list = []
    assert fast_infobox(text, masked, span, spans, lines, problems) is not None
    assert [p.code for p in problems] == ["INFOBOX_DUPLICATE_KEY"]


def test_nested_infobox_is_left_to_the_slow_path():
    text = "{{Infobox a\n| x = {{Infobox b\n| y = 1\n}}\n}}"
    masked = W.mask_opaque(text)
    spans = W.template_spans(masked, [])
    span = W.infobox_spans(spans)[0]
    assert fast_infobox(text, masked, span, spans, W.LineIndex(text)) is None


NESTED = [
    "{{Infobox a\n| x = {{Infobox b\n| y = 1\n}}\n| z = 2\n}}",
    "{{Infobox a\n| x =   <ref>{{Infobox b|y=1}}</ref> {{nowrap|{{Infobox c\n|q=[[r]]}}}}\n"
    "| w = {{Taxobox\n| k = {{Infobox d|e=f}}\n}}\n| v = [[l|{{Infobox e|f=g}}]]\n}}",
    "{{Infobox a\n|  x = {{Infobox b|y=1}} and {{Infobox b|y=1}}\n| x = 3\n}}",
]


@pytest.mark.parametrize("text", NESTED)
def test_embedded_infoboxes_match_the_slow_path(text):
    assert check_page("Lead.\n" + text + "\n")[2] == 1


# Fragments for random infoboxes: well-formed constructs and the broken ones the fast path
# must refuse (or read exactly as mwparserfromhell does).
FRAGMENTS = [
    "word", " ", "  ", "\u200a", "\u00a0", "''i''", "'''b'''", "'''''bi'''''", "'", "''", "'''",
    "[[A]]", "[[A|b]]", "[[A|b|c]]", "[[:Category:X]]", "[[File:x.jpg|thumb|cap [[y]]]]",
    "[http://x.org t]", "[http://x.org]", "http://x.org/a&amp;b", "https://x.org/p?q=1&r=2",
    "{{ubl|a|b}}", "{{plainlist|\n* a\n* b}}", "{{nowrap|x}}", "{{unknown|a=b|c}}", "{{!}}",
    "{{lang|fr|''x''}}", "<ref>a</ref>", "<ref name=x/>",
    "<ref name=\"a\">{{cite web|url=u}}</ref>",
    "<br>", "<br />", "<br/ >", "<br/  >", "</br>", "<hr/>", "<wbr>", "<wbr />",
    "<small>x</small>", "<small>x", "</small>",
    "<span style=\"color:red\">r</span>", "<!-- c -->", "<!-- c | d -->", "&ndash;", "&amp;",
    "&foo;", "&#8211;", "&#x2013;", "&#0;", "\n", "\n* ", "\n# ", "\n: ", "\n; ", "\n*", "=",
    "{{efn|n}}", "{{increase}}", "{{convert|1|km}}", "<nowiki>|x</nowiki>", "<nowiki/>",
    "{{formatnum:1234}}", "<p>x</p>", "<div>y</div>", "{{{arg}}}", "{", "}", "]", "[", "[[",
    "]]", "{{", "}}", "<", ">", "*", "#", ":", ";", "\n==h==\n", "{{color|red|t}}",
    "{{party name with color|X Party}}", "{{small|{{nowrap|a}}}}", "<sup>1</sup>", "-", "(10)",
    "[[http://x.org]]", "[http://x.org  t]", "[http://x.org\tt]", "mailto:a@b.org", "news:x",
    "[mailto:a@b.org m]", "[//x.org t]", "http://x.org/''a''", "{{nowrap|1=a=b}}", "&#65;",
    "<span style=''x''>a</span>", "&AMP;", "\t", "\n\n", "\n----\n", "{{#tag:ref|n}}", "\n------",
    "\n---", "\n----*",
    "<span title=\"a>b\">x</span>", "<small>a</ small>b</small>", "<span\nstyle=\"x\">a</span>",
    "<small >a</small >", "< small>", "a < b > c", "<span title='a>b'>x</span>",
    # tags that never close, close another tag first, or hold pipes (their body is a context)
    "<center>", "<p style=\"a:b;\">", "</span>", "</p>", "</center>", "<span>a|b</span>",
    "<small>a</span>b</small>", "<small>''a</span>b''</small>", "<ref name=x>a", "</ref>",
    "<small><small>a</small>", "<small>a|b", "'' </b>", "<span>a}}", "</ſmall>", "</SMALL >",
    "<div>a\n|b=c</div>", "<ref>a|b</ref>", "<ref>{{x}} |y</ref>", "</small\n>", "</s>",
]
# Wrappers put random content inside a construct.
WRAPPERS = ["{{nowrap|%s}}", "<small>%s</small>", "[[a|%s]]", "<ref>%s</ref>", "''%s''",
            "[http://x.org %s]", "{{ubl|%s|b}}", "{{efn|%s}}", "{{unknown|k=%s}}", "'''%s'''",
            "{{lang|fr|%s}}", "<span>%s</span>", "[[File:x.jpg|%s]]", "{{color|red|%s}}",
            "{{Infobox n|%s}}", "{{Infobox m\n| k = %s\n| k2 = x\n}}"]


def random_value(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(0, 5)):
        if depth < 2 and rng.random() < 0.3:
            parts.append(rng.choice(WRAPPERS) % random_value(rng, depth + 1))
        else:
            parts.append(rng.choice(FRAGMENTS))
    return "".join(parts)


def random_infobox(rng: random.Random) -> str:
    parts = ["{{Infobox test" + rng.choice(["", " ", "\n", " <!-- c -->"])]
    for index in range(rng.randint(1, 6)):
        value = random_value(rng)
        key = rng.choice([f"key{index}", "political_groups", "members", f" k {index} ", "", "k'x",
                          "<!-- c -->k", "[[a]]", "{{!}}k", "k\nk", "k&amp;", "\n* k"])
        parts.append(f"\n| {key} = {value}" if key else f"|{value}")
    return "".join(parts) + "\n}}"


def test_random_infoboxes_match_or_are_refused():
    rng = random.Random(20261122)
    taken = 0
    for _ in range(1500):
        counts = check_page("Lead.\n" + random_infobox(rng) + "\nBody.\n")
        taken += counts[1]
        assert counts[2] >= counts[1]
    assert taken > 60


# --- whole corpus (opt-in) -------------------------------------------------------------------

def test_fixture_pages():
    for path in sorted(FIXTURES.rglob("*.wiki")):
        check_page(path.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.slow
def test_corpus_pages():
    paths = sorted((CORPUS / "wikitext").glob("*.wiki"))
    if not paths:
        pytest.skip("corpus not available")
    total = taken = 0
    for path in paths:
        counts = check_page(path.read_text(encoding="utf-8"))
        total, taken = total + counts[0], taken + counts[1]
    assert taken >= 0.8 * total


@pytest.mark.slow
@pytest.mark.parametrize("wrapper", ["%s", "{{nowrap|%s}}", "<ref>%s</ref>", "''%s''"])
def test_corpus_paragraphs_as_values(wrapper):
    """Every paragraph of the corpus, as an infobox value: real markup in bulk."""
    for path in sorted((CORPUS / "wikitext").glob("*.wiki")):
        for chunk in path.read_text(encoding="utf-8").split("\n\n"):
            if len(chunk) < 3000 and "nfobox" not in chunk:
                check_page("{{Infobox stress\n| v = " + wrapper % chunk + "\n}}")


@pytest.mark.slow
def test_corpus_dump_pages():
    from extractor.sources import iter_units

    if not (CORPUS / "dumps").exists():
        pytest.skip("corpus not available")
    for unit in iter_units([str(CORPUS / "dumps"), str(FIXTURES / "dumps")]):
        if unit.format == "wikitext" and unit.text:
            check_page(unit.text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab \n\t\r\u00a0\u2009\x0b\x1c\u2028", max_size=16))
def test_plain_values_clean_as_clean_text_cleans_them(text):
    from extractor.parse.infobox_fast import clean_plain
    from extractor.templates import clean_text

    assert clean_plain(text) == clean_text(text)
