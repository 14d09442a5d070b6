"""The template registry: each registered template's text and hints, on both render paths."""

import json

import pytest

from extractor.templates import REGISTRY, fast_render, normalise_name, render

# (wikitext, expected text, expected hints subset)
CASES = [
    ("{{increase}} 5", "5", {"sign": "+"}),
    ("{{decrease}}2", "2", {"sign": "-"}),
    ("{{steady}}", "", {"sign": "0"}),
    ("{{start date|2023|3|19|df=y}}", "19 March 2023",
     {"date": "2023-03-19", "date_precision": "day"}),
    ("{{start date|1993|12}}", "December 1993", {"date": "1993-12", "date_precision": "month"}),
    ("{{birth date and age|1954|7|17}}", "July 17, 1954",
     {"date": "1954-07-17", "date_precision": "day"}),
    ("{{death date and age|1998|5|14|1915|12|12|df=yes}}", "14 May 1998", {"date": "1998-05-14"}),
    ("{{birth year and age|1950}}", "1950", {"date": "1950", "date_precision": "year"}),
    ("{{dts|19 March 2023}}", "19 March 2023", {"date": "2023-03-19"}),
    ("{{formatnum:1234567.5}}", "1,234,567.5", {}),
    ("{{formatnum:1,234|R}}", "1234", {}),
    ("{{nts|12345}}", "12,345", {}),
    ("{{nowrap|a b}}", "a b", {}),
    ("{{small|(note)}}", "(note)", {}),
    ("{{lang|fr|texte}}", "texte", {}),
    ("{{lang-ur|متن}}", "متن", {}),
    ("{{ubl|a|b|[[c|C]]}}", "a\nb\nC", {"list": '["a", "b", "C"]'}),
    ("{{unbulleted list|x|y}}", "x\ny", {"list": '["x", "y"]'}),
    ("{{plainlist|\n* a\n* [[b]]\n}}", "a\nb", {"list": '["a", "b"]'}),
    ("{{flatlist|\n* one\n* two\n}}", "one\ntwo", {"list": '["one", "two"]'}),
    ("{{hlist|p|q}}", "p\nq", {"list": '["p", "q"]'}),
    ("x{{efn|note one}}", "x", {"notes": '["note one"]'}),
    ("y{{refn|group=n|note two}}", "y", {"notes": '["note two"]'}),
    ("z<ref name=a>Source [http://x.org X]</ref>", "z", {"notes": '["Source X"]'}),
    ("{{Party name with color|Amanat (party)}}", "Amanat", {"party": "Amanat (party)"}),
    ("{{party color|Amanat (party)}}", "", {"colour_party": "Amanat (party)"}),
    ("{{convert|12|km|mi}}", "12 km", {"unit": "km"}),
    ("{{convert|1|to|3|km}}", "1 to 3 km", {"unit": "km"}),
    ("{{percentage|1|3|1}}", "33.3%", {"unit": "%"}),
    ("{{coord|52|31|N|13|24|E}}", "52.5167, 13.4", {"coord": "52.5167,13.4"}),
    ("{{coord|-33.86|151.21|type:city}}", "-33.86, 151.21", {"coord": "-33.86,151.21"}),
    ("[[link|label]] and '''bold'''", "label and bold", {}),
    ("[[File:x.png|thumb|cap]]text", "text", {}),
    ("{{colorbox|#008000}} Green", "Green", {"colour": "#008000"}),
    ("a<br/>b", "a\nb", {}),
    ("{{date de naissance|17|juillet|1954}}", "17 juillet 1954", {"date": "1954-07-17"}),
    ("{{augmentation}} 3", "3", {"sign": "+"}),
    ("{{unité|1234|km}}", "1234 km", {"unit": "km"}),
    ("{{vunblist|a|b}}", "a\nb", {"list": '["a", "b"]'}),
    ("{{val|1234.5|u=m}}", "1,234.5 m", {"unit": "m"}),
    ("{{sfrac|3|1|2}}", "3 1/2", {}),
    ("{{NYSE|IBM}}", "NYSE: IBM", {}),
    ("{{n/a}}", "N/A", {}),
    ("{{formatdate|2020-01-05}}", "5 January 2020", {"date": "2020-01-05"}),
]


@pytest.mark.parametrize("renderer", [render, fast_render], ids=["tree", "fast"])
@pytest.mark.parametrize(("source", "text", "hints"), CASES, ids=[c[0][:30] for c in CASES])
def test_registered_template(renderer, source, text, hints):
    result = renderer(source, keep_unknown=True)
    assert result.text == text
    for key, value in hints.items():
        assert result.hints.get(key) == value, key


@pytest.mark.parametrize("renderer", [render, fast_render], ids=["tree", "fast"])
def test_unknown_template_keeps_text_and_is_counted(renderer):
    result = renderer("{{Foo bar|x}} 12", keep_unknown=True)
    assert result.text == "{{Foo bar|x}} 12"
    assert json.loads(result.hints["unknown_templates"]) == ["foo bar"]
    assert renderer("{{Foo bar|x}} 12", keep_unknown=False).text == "12"


def test_silent_templates_are_not_unknown():
    result = render("x{{cite web|title=T|url=http://u}}{{citation needed}}", keep_unknown=True)
    assert result.text == "x"
    assert "unknown_templates" not in result.hints


def test_names_normalise_like_mediawiki():
    assert normalise_name("Template:Start_date <!-- c -->") == "start date"
    assert "start date" in REGISTRY and "ubl" in REGISTRY


def test_bad_arguments_do_not_raise():
    assert render("{{percentage|a|0}}").text == "{{percentage|a|0}}"
    assert render("{{start date|abc}}").text == "abc"
    assert render("{{coord|x|y}}").text == ""
    deep = "{{nowrap|" * 200 + "x" + "}}" * 200
    assert fast_render(deep).text is not None
    assert render(deep).text is not None
