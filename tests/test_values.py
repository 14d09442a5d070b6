"""Typed values: every form the issue lists, the seed values, flags, hints, and properties."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.keys import canonical_key
from extractor.values import TypedValue, parse_value

KINDS = {
    "integer", "decimal", "percent", "pp", "change", "date", "colour", "file", "image_size",
    "seats_of", "compound", "count_list", "list", "count", "ordinal", "money", "new", "empty",
    "text",
}  # fmt: skip


# ---------------------------------------------------------------- the seed values


def test_seed_thousands_separator():
    value = parse_value("218,003", "popular_vote")
    assert (value.kind, value.number, value.flags) == ("integer", 218003, [])


def test_seed_percentage():
    value = parse_value("68.11%", "percentage")
    assert (value.kind, value.number, value.unit, value.decimals) == ("percent", 68.11, "%", 2)


def test_seed_icon_residue_glued_to_pp():
    value = parse_value("10px10.3 pp", "swing")
    assert (value.kind, value.number, value.unit) == ("pp", 10.3, "pp")
    assert "residue" in value.flags
    assert "unsigned" in value.flags  # the icon that was lost carried the sign
    assert value.raw == "10px10.3 pp" and value.text == "10.3 pp"


def test_seed_hex_colour():
    value = parse_value("0A5B2D", "colour")
    assert (value.kind, value.text, value.raw) == ("colour", "#0A5B2D", "0A5B2D")


def test_seed_bare_year_in_next_election():
    value = parse_value("2028", "next_election")
    assert (value.kind, value.date, value.date_precision) == ("date", "2028", "year")


def test_seed_image_size_in_non_image_field_is_lost_value():
    value = parse_value("250px", "meeting_place")
    assert (value.kind, value.number, value.unit) == ("image_size", 250, "px")
    assert value.flags == ["lost_value"]


def test_seed_all_seats():
    value = parse_value("All 39 seats in the Almaty City Mäslihat", "seats_for_election")
    assert (value.kind, value.number, value.total, value.unit) == ("seats_of", 39, 39, "seats")


def test_seed_day_date():
    value = parse_value("10 January 2021", "election_date")
    assert (value.kind, value.date, value.date_precision) == ("date", "2021-01-10", "day")


def test_seed_count_list():
    raw = (
        "Government (25), Amanat (25), Support (17), Respublica (5), People's Party (3), "
        "Baytaq (3), Aq Jol (2), Independents (4)"
    )
    value = parse_value(raw, "political_groups")
    assert value.kind == "count_list"
    assert [(p.kind, p.text, p.number) for p in value.parts] == [
        ("count", "Government", 25),
        ("count", "Amanat", 25),
        ("count", "Support", 17),
        ("count", "Respublica", 5),
        ("count", "People's Party", 3),
        ("count", "Baytaq", 3),
        ("count", "Aq Jol", 2),
        ("count", "Independents", 4),
    ]


# ---------------------------------------------------------------- one test per listed form


@pytest.mark.parametrize(
    ("raw", "number"),
    [("42", 42), ("218,003", 218003), ("1,234,567", 1234567), ("1.234.567", 1234567),
     ("1 234 567", 1234567), ("1\u00a0234", 1234), ("1\u202f234", 1234), ("12,34,567", 1234567),
     ("1'234'567", 1234567), ("0", 0)],
)  # fmt: skip
def test_integers(raw, number):
    value = parse_value(raw)
    assert (value.kind, value.number) == ("integer", number)


@pytest.mark.parametrize(
    ("raw", "number", "decimals"),
    [("25.8", 25.8, 1), ("0.40", 0.4, 2), ("0.049", 0.049, 3), ("14,6", 14.6, 1),
     ("1 234,5", 1234.5, 1), ("1.234,5", 1234.5, 1), ("1,234.5", 1234.5, 1),
     ("1\u00a0234,56", 1234.56, 2)],
)  # fmt: skip
def test_decimals(raw, number, decimals):
    value = parse_value(raw)
    assert (value.kind, value.number, value.decimals) == ("decimal", number, decimals)


@pytest.mark.parametrize("raw", ["1.234", "25.800", "999.999"])
def test_ambiguous_number_is_flagged_not_guessed(raw):
    value = parse_value(raw)
    assert (value.kind, value.number, value.flags) == ("text", None, ["ambiguous_number"])


def test_bare_number_in_a_percentage_key_stays_a_number():
    # The key says what the number measures; the kind says how it was written. (Tables rely on
    # this: a `%` column of `31.88` is a decimal column.)
    value = parse_value("45.3", "percentage")
    assert (value.kind, value.number, value.unit) == ("decimal", 45.3, None)


def test_dot_in_a_percentage_is_a_decimal_mark():
    assert parse_value("1.234%").number == 1.234


@pytest.mark.parametrize(
    ("raw", "number"),
    [("68.11%", 68.11), ("30.25 %", 30.25), ("1,7 %", 1.7), ("%68", 68), ("-2.5%", -2.5)],
)
def test_percentages(raw, number):
    value = parse_value(raw)
    assert (value.kind, value.number, value.unit) == ("percent", number, "%")


@pytest.mark.parametrize(
    ("raw", "number"),
    [("10.3 pp", 10.3), ("13.87pp", 13.87), ("+2.1 pp", 2.1), ("−4.5 pp", -4.5),
     ("–4.5 p.p.", -4.5), ("3 percentage points", 3)],
)  # fmt: skip
def test_percentage_points(raw, number):
    value = parse_value(raw, "swing")
    assert (value.kind, value.number, value.unit) == ("pp", number, "pp")


@pytest.mark.parametrize(
    ("raw", "key", "number"),
    [("+3", None, 3), ("−2", "seat_change", -2), ("-2", "seat_change", -2), ("▲3", None, 3),
     ("▼4", None, -4), ("±0", None, 0), ("+1,234", "change", 1234)],
)  # fmt: skip
def test_signed_changes(raw, key, number):
    value = parse_value(raw, key)
    assert (value.kind, value.number) == ("change", number)
    assert "unsigned" not in value.flags


def test_unsigned_number_in_change_key_is_flagged():
    value = parse_value("3", "seat_change")
    assert (value.kind, value.number, value.flags) == ("change", 3, ["unsigned"])
    assert parse_value("0", "seat_change").flags == []  # zero has no sign to lose


def test_minus_outside_change_key_is_a_negative_number():
    value = parse_value("−16", "dec_record_low_c")
    assert (value.kind, value.number) == ("integer", -16)


@pytest.mark.parametrize(
    ("raw", "date", "precision"),
    [("10 January 2021", "2021-01-10", "day"), ("January 10, 2021", "2021-01-10", "day"),
     ("Jan. 10, 2021", "2021-01-10", "day"), ("2021-01-10", "2021-01-10", "day"),
     ("March 2023", "2023-03", "month"), ("10. Januar 2021", "2021-01-10", "day"),
     ("1er janvier 2021", "2021-01-01", "day"), ("10 de enero de 2021", "2021-01-10", "day"),
     ("10 января 2021 г.", "2021-01-10", "day"), ("10.01.2021", "2021-01-10", "day"),
     ("25/11/2021", "2021-11-25", "day"), ("11/25/2021", "2021-11-25", "day")],
)  # fmt: skip
def test_dates(raw, date, precision):
    value = parse_value(raw)
    assert (value.kind, value.date, value.date_precision) == ("date", date, precision)


def test_bare_year_is_a_date_only_in_a_date_key():
    assert parse_value("2016", "previous_year").kind == "date"
    assert (parse_value("2016").kind, parse_value("2016").number) == ("integer", 2016)
    assert parse_value("2016", "seats").kind == "integer"
    assert parse_value("2015", "population_estimate_year").kind == "date"  # the last word decides
    assert parse_value("2009", "bevolking_as_of").kind == "date"


def test_circa_year():
    value = parse_value("c. 1990")
    assert (value.kind, value.date, value.date_precision, value.flags) == (
        "date", "1990", "year", ["circa"],
    )  # fmt: skip


def test_impossible_and_ambiguous_dates_are_not_guessed():
    assert parse_value("31 February 2021").flags == ["invalid_date"]
    value = parse_value("10/11/2021")
    assert (value.kind, value.date, value.flags) == ("text", None, ["ambiguous_date"])


@pytest.mark.parametrize(
    ("raw", "key", "text"),
    [("0A408A", "colour", "#0A408A"), ("dc214f", "color", "#DC214F"), ("#0a408a", None, "#0A408A"),
     ("#ddd", None, "#DDDDDD"), ("000000", "colour", "#000000")],
)  # fmt: skip
def test_hex_colours(raw, key, text):
    value = parse_value(raw, key)
    assert (value.kind, value.text) == ("colour", text)


def test_hex_without_hash_outside_colour_key_is_not_a_colour():
    assert parse_value("0A408A").kind == "text"
    assert parse_value("218003").kind == "integer"


def test_named_colour():
    value = parse_value("White", "color")
    assert (value.kind, value.text, value.flags) == ("colour", "white", ["named_colour"])


@pytest.mark.parametrize(
    ("raw", "name"),
    [("Almaty City Mäslihat 2023.svg", "Almaty City Mäslihat 2023.svg"),
     ("Bakytzhan Sagintayev (2018-11-01).jpg", "Bakytzhan Sagintayev (2018-11-01).jpg"),
     ("File:Flag of Alabama.svg", "Flag of Alabama.svg"), ("Datei:Berlin.JPG", "Berlin.JPG")],
)  # fmt: skip
def test_file_names(raw, name):
    value = parse_value(raw, "image")
    assert (value.kind, value.text) == ("file", name)


@pytest.mark.parametrize(("raw", "number"), [("250px", 250), ("250 px", 250), ("200x100px", 200),
                                             ("x250px", 250)])  # fmt: skip
def test_image_sizes_in_image_fields(raw, number):
    value = parse_value(raw, "structure_res")
    assert (value.kind, value.number, value.unit, value.flags) == ("image_size", number, "px", [])


def test_n_of_m_seats():
    value = parse_value("98 of the 107 seats in the Mäjilis", "seats_for_election")
    assert (value.kind, value.number, value.total, value.unit) == ("seats_of", 98, 107, "seats")
    value = parse_value("50 out of 100")
    assert (value.kind, value.number, value.total, value.unit) == ("seats_of", 50, 100, None)


def test_compound_value():
    value = parse_value("82.20%, 84 seats")
    assert value.kind == "compound"
    assert [(p.kind, p.number, p.unit) for p in value.parts] == [
        ("percent", 82.2, "%"),
        ("integer", 84, "seats"),
    ]


def test_compound_with_parenthesised_change_and_year():
    value = parse_value("29 (+5)")
    assert [(p.kind, p.number) for p in value.parts] == [("integer", 29), ("change", 5)]
    value = parse_value("82.20% (84 seats)")
    assert [(p.kind, p.number) for p in value.parts] == [("percent", 82.2), ("integer", 84)]


@pytest.mark.parametrize(
    ("text", "parts"),
    [("41.7% ▼3.2 pp", [("percent", 41.7), ("pp", -3.2)]),
     ("29 ▲5", [("integer", 29), ("change", 5)]),
     ("218,003 +2.1%", [("integer", 218003), ("percent", 2.1)]),
     ("41.7% −3.2 pp", [("percent", 41.7), ("pp", -3.2)])],
)  # fmt: skip
def test_value_followed_by_its_change(text, parts):
    value = parse_value(text, "turnout")
    assert value.kind == "compound"
    assert [(p.kind, p.number) for p in value.parts] == parts


def test_annotated_number():
    value = parse_value("4,164,252,000 (1st)", "population")
    assert (value.kind, value.number, value.flags) == ("integer", 4164252000, ["annotated"])
    assert [(p.kind, p.number) for p in value.parts] == [("ordinal", 1)]
    value = parse_value("345,900 (2020)", "num_employees")
    assert (value.kind, value.number, value.flags) == ("integer", 345900, ["annotated"])
    assert [(p.kind, p.date) for p in value.parts] == [("date", "2020")]
    value = parse_value("40.5% (2006 est.)", "poverty")
    assert (value.kind, value.number, value.flags, value.parts) == (
        "percent", 40.5, ["annotated"], [],
    )  # fmt: skip


def test_figure_on_the_first_line_with_a_note_below():
    value = parse_value("x", "seats", text="104\n{{PakSen|vacancy}}")
    assert (value.kind, value.number, value.flags) == ("integer", 104, ["annotated"])
    assert parse_value("Puerto Rico Trench\n8376 m").kind == "text"


def test_years_in_parentheses_are_not_counts():
    value = parse_value("Silver Medal (1977), Prize Ampère (1980)", "prizes")
    assert value.kind != "count_list"


@pytest.mark.parametrize(
    "text", ["Amanat: 25\nAq Jol: 2", "Amanat – 25, Aq Jol – 2", "Amanat (25 seats); Aq Jol (2)"]
)
def test_count_list_forms(text):
    value = parse_value(text, "political_groups")
    assert value.kind == "count_list"
    assert [(p.text, p.number) for p in value.parts] == [("Amanat", 25), ("Aq Jol", 2)]


def test_fractional_counts_are_not_counts():
    assert parse_value("Party (2.5), X (3)").kind == "text"


def test_single_count_needs_a_group_key():
    assert parse_value("Amanat (25)", "political_groups").kind == "count_list"
    assert parse_value("Berlin (25)", "caption").kind == "text"


def test_new():
    assert parse_value("New", "last_election").kind == "new"


@pytest.mark.parametrize("raw", ["", "   ", "\u00a0"])
def test_empty(raw):
    assert parse_value(raw).kind == "empty"


@pytest.mark.parametrize("raw", ["—", "–", "N/A", "-"])
def test_placeholders_are_empty(raw):
    value = parse_value(raw)
    assert (value.kind, value.flags) == ("empty", ["placeholder"])


def test_ordinal():
    value = parse_value("64th", "gdp_ppp_rank")
    assert (value.kind, value.number) == ("ordinal", 64)


@pytest.mark.parametrize(
    ("raw", "kind", "number", "unit"),
    [("$17,500", "money", 17500, "$"), ("US$2.991 billion", "money", 2_991_000_000, "US$"),
     ("€ 1,5 Mio", "money", 1_500_000, "€"), ("4.22 million", "integer", 4_220_000, None),
     ("$10M", "money", 10_000_000, "$"), ("US$ 5.5bn", "money", 5_500_000_000, "US$"),
     ("50 €", "money", 50, "€"), ("1.234,56 €", "money", 1234.56, "€"),
     ("12,000 GBP", "money", 12_000, "GBP"), ("4.2 billion USD", "money", 4_200_000_000, "USD"),
     ("1,5 Mio €", "money", 1_500_000, "€"), ("15 KZT", "money", 15, "KZT"),
     ("1 000 zł", "money", 1000, "zł")],
)  # fmt: skip
def test_money_and_scaled_numbers(raw, kind, number, unit):
    value = parse_value(raw, "gdp_nominal")
    assert (value.kind, value.number, value.unit) == (kind, number, unit)


def test_money_keeps_dot_ambiguity_without_a_scale():
    assert parse_value("$2.991").flags == ["ambiguous_number"]
    assert parse_value("2.991 EUR").flags == ["ambiguous_number"]


def test_a_currency_after_the_number_may_carry_a_note():
    value = parse_value("100 USD (2020 est.)", "gdp_nominal")
    assert (value.kind, value.number, value.unit) == ("money", 100, "USD")
    assert value.flags == ["annotated"]


@pytest.mark.parametrize("raw", ["100 USDollars", "200 EURO", "12 GBPs", "100 usd"])
def test_only_a_whole_currency_code_or_symbol_after_a_number_is_money(raw):
    assert parse_value(raw, "gdp_nominal").kind != "money"


def test_number_with_unit():
    value = parse_value("3.0m", "height")
    assert (value.kind, value.number, value.unit) == ("decimal", 3.0, "m")


# ---------------------------------------------------------------- bad input and residue


@pytest.mark.parametrize(
    "raw",
    ["Unicameral", "35-39", "35 - 39", "1861 – 1865", "1861–1865", "+49 30", "1,2,3,4", "12 5",
     "1.2.3", "2021 10"],
)  # fmt: skip
def test_unparsed_values_keep_their_text_and_are_flagged(raw):
    value = parse_value(raw)
    assert value.kind == "text" and value.number is None and value.raw == raw and value.flags


def test_footnote_marker_is_residue():
    value = parse_value("218,003[1]")
    assert (value.kind, value.number, value.flags) == ("integer", 218003, ["residue"])


@pytest.mark.parametrize(
    "piece", ["[", "[[", "<ref>", "<!--", "<a", "1 ", "1,", "a (1), ", "1 of ", "a: ", "c. ", "{{"]
)
def test_pathological_input_stays_fast(piece):
    import time

    text = piece * (3900 // len(piece))
    start = time.process_time()
    parse_value(text, "political_groups")
    parse_value("x", "swing", text=text + ")")
    assert time.process_time() - start < 1.0  # linear work; quadratic patterns took seconds


def test_overlong_value_is_kept_as_text():
    value = parse_value("1" * 5000)
    assert (value.kind, value.number, value.flags) == ("text", None, ["untyped", "too_long"])


def test_leading_zero_is_not_a_number():
    assert parse_value("030").flags == ["leading_zero"]


def test_identifier_keys_are_never_numbers():
    value = parse_value("+213", "calling_code")
    assert (value.kind, value.number, value.flags) == ("text", None, ["identifier"])


def test_raw_wikitext_without_text_is_stripped_lightly():
    value = parse_value("[[Pakistani Senate election, 2015|5 March 2015]]", "last_election")
    assert (value.kind, value.date, value.flags) == ("date", "2015-03-05", ["markup_stripped"])
    value = parse_value("{{decrease}} 2<ref>x</ref>", "seat_change")
    assert (value.kind, value.number) == ("change", -2)
    assert {"markup_stripped", "notes_removed", "sign_from_template"} <= set(value.flags)


def test_non_string_input_does_not_raise():
    value = parse_value(None)  # type: ignore[arg-type]
    assert value.kind == "text" and value.flags


# ---------------------------------------------------------------- text and hints


def test_text_is_parsed_and_raw_kept():
    value = parse_value("{{increase}} 10.3 pp", "swing", text="10.3 pp", hints={"sign": "+"})
    assert (value.raw, value.text, value.number) == ("{{increase}} 10.3 pp", "10.3 pp", 10.3)
    assert value.flags == ["sign_from_template"]


@pytest.mark.parametrize(("sign", "number"), [("+", 3), ("-", -3)])
def test_sign_hint_on_a_change(sign, number):
    value = parse_value("x", "seat_change", text="3", hints={"sign": sign})
    assert (value.kind, value.number, value.flags) == ("change", number, ["sign_from_template"])


def test_steady_hint_on_empty_text_is_zero_change():
    value = parse_value("{{steady}}", "seat_change", text="", hints={"sign": "0"})
    assert (value.kind, value.number) == ("change", 0)


def test_sign_hint_on_a_stock_value_is_a_trend_only():
    value = parse_value("x", "num_employees", text="165,000", hints={"sign": "-"})
    assert (value.kind, value.number, value.flags) == ("integer", 165000, ["trend_down"])


def test_conflicting_sign_keeps_the_written_one():
    value = parse_value("x", "swing", text="+2.0 pp", hints={"sign": "-"})
    assert (value.number, value.flags) == (2.0, ["sign_conflict"])


def test_date_hint():
    hints = {"date": "2021-01-10", "date_precision": "day"}
    value = parse_value("{{start date|2021|1|10}}", "election_date", text="January 10, 2021",
                        hints=hints)  # fmt: skip
    assert (value.kind, value.date, value.date_precision) == ("date", "2021-01-10", "day")
    assert value.flags == ["date_from_template"]


def test_bad_date_hint_is_ignored():
    value = parse_value("x", "date", text="March 2023", hints={"date": "2021-02-30"})
    assert (value.date, value.flags) == ("2023-03", ["bad_hint"])


def test_unit_hint():
    value = parse_value("{{convert|12|km2}}", "area", text="12", hints={"unit": "km2"})
    assert (value.number, value.unit, value.flags) == (12, "km2", ["unit_from_template"])


def test_unit_hint_is_stripped_from_the_text():
    value = parse_value("{{convert|12|sqmi}}", "area", text="12 sqmi", hints={"unit": "sqmi"})
    assert (value.kind, value.number, value.unit) == ("integer", 12, "sqmi")
    assert value.flags == ["unit_from_template"]


def test_colour_hint():
    value = parse_value("{{party color|X}}", "colour", text="", hints={"colour": "#0a408a"})
    assert (value.kind, value.text, value.flags) == ("colour", "#0A408A", ["colour_from_template"])
    value = parse_value("x", "seats", text="98/107", hints={"colour": "#0a408a"})
    assert value.kind == "seats_of"  # a legend colour does not replace the value


def test_composition_bar_fraction_in_a_seats_key():
    value = parse_value("{{composition bar|98|107}}", "seats", text="98/107")
    assert (value.kind, value.number, value.total, value.unit) == ("seats_of", 98, 107, "seats")
    assert parse_value("10/11").kind == "text"  # outside a seats key: a date? a score?
    assert parse_value("108/107", "seats").kind == "text"


def test_list_hint_of_counts():
    items = ["Government (25)", "Amanat (25)", "Support (17)"]
    value = parse_value("{{ubl|...}}", "political_groups", text=" ".join(items),
                        hints={"list": json.dumps(items)})  # fmt: skip
    assert value.kind == "count_list" and len(value.parts) == 3
    assert value.flags == ["list_from_template"]


def test_empty_list_hint_adds_nothing():
    value = parse_value("{{ubl}}", "influenced", text="", hints={"list": "[]"})
    assert (value.kind, value.flags) == ("empty", [])


def test_list_hint_of_other_items():
    value = parse_value("x", "founded", text="a", hints={"list": json.dumps(["Declared", "1991"])})
    assert value.kind == "list"
    assert [p.kind for p in value.parts] == ["text", "date"]


def test_notes_hint_and_bad_list_hint():
    value = parse_value("x", text="42", hints={"notes": '["a ref"]', "list": "not json"})
    assert (value.number, set(value.flags)) == (42, {"notes_removed", "bad_hint"})


@pytest.mark.parametrize(
    "raw", ["218,003", "82.20%, 84 seats", "Government (25), Amanat (25)", "Unicameral", ""]
)
def test_fast_built_models_equal_validated_ones(raw):
    value = parse_value(raw, "political_groups")
    again = TypedValue.model_validate(value.model_dump())
    assert value == again and value.model_dump() == again.model_dump()
    assert value.model_copy(update={"kind": "x"}).kind == "x"
    assert json.loads(value.model_dump_json())["raw"] == raw


def test_cache_is_not_poisoned_by_callers():
    first = parse_value("68.11%", "percentage")
    first.flags.append("mine")
    first.number = 0
    again = parse_value("68.11%", "percentage")
    assert (again.number, again.flags) == (68.11, [])


# ---------------------------------------------------------------- the seed infoboxes, whole


def _seed_fields(text: str):
    for line in text.splitlines():
        match = re.match(r"- ([^:]+): (.*)$", line)
        if match:
            yield match.group(1), match.group(2)
        elif line.startswith("The "):
            break


def test_seed_infoboxes_type_as_expected(seed_text):
    fields = list(_seed_fields(seed_text("003_722fa157b06a1392.txt")))
    fields += list(_seed_fields(seed_text("000_699f6157ae16f6ee.txt")))
    typed = {}
    for raw_key, raw in fields:
        key, index = canonical_key(raw_key)
        typed[(key, index)] = parse_value(raw, key)
    assert typed[("popular_vote", 2)].number == 32367
    assert typed[("colour", 5)].text == "#DC214F"
    assert typed[("last_election", 4)].kind == "new"
    assert typed[("seat_change", 4)].flags == ["unsigned"]
    assert typed[("next_year", None)].date == "2023"
    assert typed[("image", 1)].kind == "file"
    assert typed[("structure", 1)].kind == "file"
    assert typed[("coa_res", None)].flags == []
    assert typed[("meeting_place", None)].flags == ["lost_value"]
    assert typed[("turnout", None)].number == 30.25
    assert typed[("majority_seats", None)].number == 20
    assert typed[("foundation", None)].date == "1993-12-10"
    assert all(value.kind in KINDS for value in typed.values())


# ---------------------------------------------------------------- properties


@given(st.integers(min_value=0, max_value=10**15))
def test_formatted_integers_parse_back(n):
    value = parse_value(f"{n:,}")
    assert (value.kind, value.number) == ("integer", n)


@given(st.integers(min_value=1000, max_value=10**12), st.sampled_from(["\u00a0", "\u202f", " "]))
def test_space_grouped_integers_parse_back(n, space):
    assert parse_value(f"{n:,}".replace(",", space)).number == n


@given(st.integers(min_value=1000, max_value=10**12))
def test_dot_grouped_integers_parse_back_or_are_ambiguous(n):
    value = parse_value(f"{n:,}".replace(",", "."))
    if n < 1_000_000:
        assert value.flags == ["ambiguous_number"] and value.number is None
    else:
        assert value.number == n


_cents = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@given(_cents)
def test_formatted_decimals_parse_back(x):
    text = f"{x:,.2f}"
    value = parse_value(text)
    assert value.number == float(Decimal(text.replace(",", "")))
    assert value.decimals == 2


@given(_cents)
def test_continental_decimals_parse_back(x):
    text = f"{x:,.2f}".replace(",", " ").replace(".", ",")
    assert parse_value(text).number == float(x)


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_formatted_percentages_parse_back(x):
    value = parse_value(f"{x:.2f}%")
    assert (value.kind, value.number, value.unit) == ("percent", float(x), "%")


@given(st.decimals(min_value=-50, max_value=50, places=1, allow_nan=False),
       st.sampled_from(["pp", " pp", " p.p."]))  # fmt: skip
def test_formatted_pp_parse_back(x, suffix):
    text = f"{x:+.1f}{suffix}".replace("-", "\u2212")
    value = parse_value(text, "swing")
    assert (value.kind, value.number) == ("pp", float(x))


@given(st.integers(min_value=-10**6, max_value=10**6).filter(bool))
def test_formatted_changes_parse_back(n):
    value = parse_value(f"{n:+,}".replace("-", "\u2212"), "seat_change")
    assert (value.kind, value.number, value.flags) == ("change", n, [])


_dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31))


@given(_dates, st.sampled_from(["dmy", "mdy", "iso", "dmy_abbr"]))
def test_formatted_dates_parse_back(day, form):
    text = {
        "dmy": f"{day.day} {day:%B} {day.year}",
        "mdy": f"{day:%B} {day.day}, {day.year}",
        "iso": f"{day.year:04d}-{day.month:02d}-{day.day:02d}",
        "dmy_abbr": f"{day.day} {day:%b} {day.year}",
    }[form]
    value = parse_value(text)
    assert (value.kind, value.date, value.date_precision) == ("date", day.isoformat(), "day")


@given(_dates)
def test_formatted_months_and_years_parse_back(day):
    value = parse_value(f"{day:%B} {day.year}")
    assert (value.date, value.date_precision) == (f"{day.year:04d}-{day.month:02d}", "month")
    value = parse_value(str(day.year), "next_election")
    assert (value.date, value.date_precision) == (f"{day.year:04d}", "year")


_KEYS = st.one_of(
    st.none(),
    st.sampled_from(["swing", "colour", "image", "next_election", "calling_code", "seats", "pct",
                     "founded", "year", "change", "isbn", "percentage", "party_colour"]),
)


@given(
    st.one_of(
        st.from_regex(r"[A-Za-zÄäŞşДд'’ -]{1,20}", fullmatch=True),
        st.from_regex(r"[A-Za-zÄä]{1,8}(?:[ '’-][A-Za-zÄä]{1,8}){1,3}", fullmatch=True),
        st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}"),
        st.integers(min_value=0, max_value=9999).map(str),
        st.integers(min_value=0, max_value=10**16).map(str),
        st.sampled_from(["New", "NA", "n/a", "White", "Nur Otan ", "People's Party", "''x''",
                         "new york", "Na Na", "White-Blue", "O’Neil", "px", "Rock 'n' Roll", "",
                         " ", "05.3", "0.5", "0,123", "1.234", "1,234.5", "2021", "0999", "1e5",
                         "12 %", "12%%", "1.234%", "48–5", "1990-1995", "-5", "5-", "1–2–3"]),
        st.from_regex(r"[0-9]{1,4}[.,][0-9]{1,4}( ?%)?", fullmatch=True),
        st.from_regex(r"[0-9]{1,7}[–-][0-9]{1,7}", fullmatch=True),
        st.from_regex(r"[0-9٣]{1,3}[.,' ]?[0-9]{0,3} ?[%–-]?", fullmatch=True),
    ),
    _KEYS,
    st.booleans(),
)
@settings(max_examples=500)
def test_fast_path_agrees_with_the_general_path(raw, key, rendered):
    text, raw = (raw, "[[raw]]") if rendered else (None, raw)  # given a rendering, or not
    fast = parse_value(raw, key, text=text)
    general = parse_value(raw, key, text=text, hints={"notes": "[]"})  # a hint: no fast path
    assert repr(fast) == repr(general)  # repr: `-0.0` and `0.0`, `1` and `1.0` differ


_WORDY = st.one_of(
    st.text(alphabet="Ab c,.:;'’()[]#-–—/?…\n\t\u00a0\u200bÄ&<>{}|=*", max_size=30),
    st.sampled_from(["New", "n/a", "—", "White", "#fff", "0A408A", "x.svg", "A [a]", "[[A]]",
                     "A [citation needed]", "  ", "\u00a0", "Chicago, Illinois", "a\nb"]),
)


@given(_WORDY, _KEYS, st.booleans())
@settings(max_examples=400)
def test_fast_path_agrees_with_the_general_path_on_text_without_digits(raw, key, rendered):
    text, raw = (raw, "[[raw]]") if rendered else (None, raw)
    fast = parse_value(raw, key, text=text)
    general = parse_value(raw, key, text=text, hints={"notes": "[]"})  # a hint: no fast path
    assert repr(fast) == repr(general)


@given(st.text(alphabet="ab1 ,;()[]\n•·", max_size=40))
def test_split_items_agrees_with_a_scan_of_every_character(text):
    from extractor.value_rules import split_items

    items, depth, start = [], 0, 0  # the plain reading: one character at a time
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch in ";\n•·" or (ch == "," and not text[i + 1 : i + 2].isdigit())):
            items.append(text[start:i].strip())
            start = i + 1
    items.append(text[start:].strip())
    assert split_items(text) == [item for item in items if item]


_DATE_WORDS = st.sampled_from(["March", "mai", "Январь", "c.", "ca", "Circa", "İ", "Σ", "Kx",
                                "Jan.", "de", "1990", "10", ".,", " ", "x", "ﬀ"])


@given(st.one_of(
    st.lists(_DATE_WORDS, min_size=1, max_size=4).map(" ".join).filter(str.strip),
    st.sampled_from(["c. 1990", "c 1990", "ca. 1990", "circa 1990", "March 2023", "Mai 2020",
                     "января 2021", "Sept. 10, 2021", " March 2023", "x 2020"]),
))
def test_date_first_letter_guard_agrees_with_the_first_word_test(text):
    from extractor import value_atoms
    from extractor.value_rules import _CIRCA_WORDS, _date

    found = _date(text, text)
    if not text[0].isdigit():  # the plain test: the first word itself
        words = text.split(None, 1)
        word = words[0].rstrip(".,").lower() if words else ""
        if word not in value_atoms.MONTHS and word[:5] not in _CIRCA_WORDS and word[:2] != "c.":
            assert found is None
            return
    iso, _, flags = value_atoms.read_date(text)
    assert (found is None) == (iso is None and not flags)


@pytest.mark.parametrize("raw, text", [("{{increase}} 5", None), ("x", "5 (+2)"), ("x", "Nur Otan"),
                                       ("x", ""), ("x", "1.234")])  # fmt: skip
def test_hints_typing_does_not_read_change_nothing(raw, text):
    ignored = {"unknown_templates": '["x"]', "coord": "1,2", "nested_table": "1"}
    plain = parse_value(raw, "swing", text=text)
    assert repr(parse_value(raw, "swing", text=text, hints=ignored)) == repr(plain)
    read = {**ignored, "notes": "[]"}  # read, and changes nothing: the general path
    assert repr(parse_value(raw, "swing", text=text, hints=read)) == repr(plain)


@given(st.text(max_size=60), st.one_of(st.none(), st.sampled_from(["swing", "colour", "image"])))
def test_never_raises_and_text_never_has_a_number(raw, key):
    value = parse_value(raw, key)
    assert isinstance(value, TypedValue)
    assert value.raw == raw
    assert value.kind in KINDS
    assert "internal_error" not in value.flags
    if value.kind == "text":
        assert value.number is None and value.flags


# ---------------------------------------------------------------- the grammar path (bench only)


@pytest.mark.parametrize(
    "text",
    ["218,003", "68.11%", "10.3 pp", "+3", "▼2", "250px", "10 January 2021", "January 10, 2021",
     "March 2023", "2021-01-10", "98 of the 107 seats in the Mäjilis", "1\u00a0234,5", "25.8",
     "All 39 seats in the Almaty City Mäslihat"],
)  # fmt: skip
def test_grammar_path_agrees_with_regex_path(text):
    from extractor.value_grammar import parse_scalar

    regex = parse_value(text)
    kind, number, total, date, precision = parse_scalar(text)
    assert (kind, number, total, date, precision) == (
        regex.kind, regex.number, regex.total, regex.date, regex.date_precision,
    )  # fmt: skip


@pytest.mark.parametrize("text", ["Nur Otan", "1.234", "31 February 2021", "", "12 5"])
def test_grammar_path_declines_what_it_does_not_read(text):
    from extractor.value_grammar import parse_scalar

    assert parse_scalar(text) is None


# ---------------------------------------------------------------- the whole corpus (opt-in)


@pytest.mark.slow
def test_every_corpus_field_types_without_raising():
    from tests.conftest import SHARED

    field = re.compile(r"^\s*\|\s*([^=|{}\[\]<>]{1,40}?)\s*=\s*(.*?)\s*$")
    paths = sorted((SHARED / "corpus" / "wikitext").glob("*.wiki"))
    if not paths:
        pytest.skip("the shared corpus is not here")
    seen = 0
    for path in paths:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            match = field.match(line)
            if not match:
                continue
            key = canonical_key(match.group(1))[0]
            value = parse_value(match.group(2), key)
            seen += 1
            assert value.kind in KINDS
            if value.kind == "text":
                assert value.number is None and value.flags
            if value.kind == "date":
                assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value.date)
    assert seen > 5000


@given(
    st.text(max_size=30),
    st.dictionaries(
        st.sampled_from(["sign", "date", "date_precision", "unit", "list", "notes", "colour", "x"]),
        st.one_of(
            st.text(max_size=20), st.sampled_from(["+", "-", "0", "2021-01-10", '["a (3)"]'])
        ),
        max_size=4,
    ),
    _KEYS,
)
def test_any_hints_never_raise(text, hints, key):
    value = parse_value("raw", key, text=text, hints=hints)
    assert value.kind in KINDS and value.raw == "raw"
    assert "internal_error" not in value.flags


def test_long_values_are_typed_alike_but_not_kept_in_the_cache():
    from extractor import values

    long_text = "1,234 " + "word " * 400
    values._parse_cached.cache_clear()
    typed = parse_value(long_text, "notes")
    assert values._parse_cached.cache_info().currsize == 0
    assert typed == values._model(values._parse_cached.__wrapped__(
        long_text, "notes", None, (), False), long_text)
    parse_value("1,234 (est.)", "population")
    assert values._parse_cached.cache_info().currsize == 1
