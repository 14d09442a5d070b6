"""Value typing throughput, and the regex path against the Lark grammar path.

    python bench/values.py [--n 300000] [--repeat 5] [--json out.json]

Builds `--n` real-looking values (deterministic): infobox fields of the shared wikitext corpus
(`../shared/corpus/wikitext`, when present) with their plain text made up front, the fields of the
flat fixtures, and generated formatted numbers, percentages, pp, changes, dates, colours, names and
count lists. Then `--repeat` rounds, each running every phase back to back; medians of wall and
CPU rates,
and ratios taken within a round:

- `cold`: `parse_value` over all values, its cache emptied first (the repeats a dump has help);
- `warm`: the same again without emptying the cache;
- `uncached`: the rule path alone (`value_hints.type_value`) over the distinct values, and over
  the distinct real fields alone (corpus and fixtures: names, links and empties dominate there);
- `regex` vs `grammar`: `value_rules.scalar` and `value_grammar.parse_scalar` on the values both
  read (the forms the grammar covers), with their agreement and the ratio.

The machine is shared and noisy: quote medians, and the CPU figures when the load is high.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import value_grammar, value_hints, value_rules, values  # noqa: E402
from extractor.keys import canonical_key  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "wikitext"
_FIELD = re.compile(r"^\s*\|\s*([^=|{}\[\]<>]{1,40}?)\s*=\s*(.*?)\s*$")
_FLAT_FIELD = re.compile(r"^- ([^:]{1,40}): (.*)$")

Item = tuple[str, str | None, str | None]  # raw, key, text


def corpus_fields() -> list[Item]:
    items: list[Item] = []
    for path in sorted(CORPUS.glob("*.wiki")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            match = _FIELD.match(line)
            if match:
                raw = match.group(2)
                text, _ = value_rules.strip_markup(raw, {})  # stands in for the wikitext parser
                items.append((raw, canonical_key(match.group(1))[0], text))
    return items


def flat_fields() -> list[Item]:
    items: list[Item] = []
    for path in sorted((ROOT / "fixtures").glob("*/*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            match = _FLAT_FIELD.match(line)
            if match:
                items.append((match.group(2), canonical_key(match.group(1))[0], None))
    return items


MONTHS = "January February March April May June July August September October November December"


def generated(rng: random.Random) -> Item:
    n = rng.randint(0, 10**7)
    form = rng.randrange(12)
    if form == 0:
        return f"{n:,}", "popular_vote", None
    if form == 1:
        return f"{n % 10000 / 100:.2f}%", "percentage", None
    if form == 2:
        return f"{rng.choice('+−')}{n % 200 / 10:.1f} pp", "swing", None
    if form == 3:
        return f"{rng.choice('+−')}{n % 60}", "seat_change", None
    if form == 4:
        month = rng.choice(MONTHS.split())
        return f"{n % 28 + 1} {month} {1900 + n % 130}", "election_date", None
    if form == 5:
        return f"{rng.choice(MONTHS.split())} {1900 + n % 130}", "last_election", None
    if form == 6:
        return f"{n % 16**6:06X}", "colour", None
    if form == 7:
        return f"Party of the People {n % 5000}", "party", None
    if form == 8:
        return f"{n % 300} of the {300 + n % 200} seats in the Assembly", "seats_for_election", None
    if form == 9:
        groups = ", ".join(f"Group {i} ({(n >> i) % 40})" for i in range(rng.randint(2, 8)))
        return groups, "political_groups", None
    if form == 10:
        return f"{n:,}".replace(",", "\u00a0") + ",5", "area", None
    return f"{rng.choice(['Nur Otan', 'Amanat', 'Aq Jol', 'Auyl'])} {n % 100}", "leader", None


def build(n: int) -> list[Item]:
    rng = random.Random(0)
    pools = [pool for pool in (corpus_fields(), flat_fields()) if pool]
    items: list[Item] = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.4 and pools:
            items.append(rng.choice(pools[0]))
        elif roll < 0.5 and len(pools) > 1:
            items.append(rng.choice(pools[1]))
        else:
            items.append(generated(rng))
    return items


def timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def calibration() -> float:
    """CPU seconds of an empty 10-million-step Python loop: a yardstick for comparing machines
    (about 0.15-0.2 s on a current desktop core)."""
    start = time.process_time()
    for _ in range(10_000_000):
        pass
    return time.process_time() - start


def run_all(items: list[Item]) -> None:
    parse = values.parse_value
    for raw, key, text in items:
        parse(raw, key, text=text)


def run_uncached(items: list[Item]) -> None:
    type_value = value_hints.type_value
    for raw, key, text in items:
        type_value(raw, key, text, {})


def comparable(items: list[Item]) -> list[tuple[str, str | None]]:
    """Distinct cleaned scalar texts that both paths read, with their keys."""
    seen: dict[tuple[str, str | None], None] = {}
    for raw, key, text in items:
        cleaned = value_rules.normalise(text if text is not None else raw)
        if cleaned and (cleaned, key) not in seen:
            seen[(cleaned, key)] = None
    both = []
    for cleaned, key in seen:
        regex = value_rules.scalar(cleaned, cleaned, key) if re.search(r"\d", cleaned) else None
        if regex is not None and regex.kind != "text" and value_grammar.parse_scalar(cleaned):
            both.append((cleaned, key))
    return both


def agreement(pairs: list[tuple[str, str | None]]) -> float:
    same = 0
    for cleaned, key in pairs:
        regex = value_rules.scalar(cleaned, cleaned, key)
        grammar = value_grammar.parse_scalar(cleaned)
        same += (regex.kind, regex.number, regex.date) == (grammar[0], grammar[1], grammar[3])
    return same / len(pairs) if pairs else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    items = build(args.n)
    distinct = list(dict.fromkeys(items))
    real = list(dict.fromkeys(corpus_fields() + flat_fields()))  # real fields only, each once
    pairs = comparable(items)
    value_grammar.parse_scalar("1")  # build the parser outside the timing

    def clear():
        values._parse_cached.cache_clear()

    phases = {
        "cold": (lambda: (clear(), run_all(items)), len(items)),
        "warm": (lambda: run_all(items), len(items)),
        "uncached_distinct": (lambda: run_uncached(distinct), len(distinct)),
        "uncached_corpus": (lambda: run_uncached(real), len(real)),
        "regex": (lambda: [value_rules.scalar(t, t, k) for t, k in pairs], len(pairs)),
        "grammar": (lambda: [value_grammar.parse_scalar(t) for t, _ in pairs], len(pairs)),
    }
    # Every round runs every phase, back to back, so a ratio is taken within one round: the
    # machine's speed drifts between rounds far more than within one.
    rounds = [{name: timed(fn) for name, (fn, _) in phases.items()} for _ in range(args.repeat)]

    def rate(name: str) -> dict[str, float]:
        count = phases[name][1]
        wall = statistics.median(r[name][0] for r in rounds)
        cpu = statistics.median(r[name][1] for r in rounds)
        return {"per_s_wall": round(count / wall), "per_s_cpu": round(count / cpu)}

    def ratio(slow: str, fast: str, which: int) -> float:
        return round(statistics.median(r[slow][which] / r[fast][which] for r in rounds), 1)

    result = {
        "machine_loop_1e7_cpu_s": round(calibration(), 3),
        "values": len(items),
        "distinct": len(distinct),
        "repeat": args.repeat,
        "cold": rate("cold"),
        "warm": rate("warm"),
        "uncached_distinct": rate("uncached_distinct"),
        "uncached_corpus_fields": rate("uncached_corpus"),
        "grammar_comparison": {
            "values": len(pairs),
            "agreement": round(agreement(pairs), 4),
            "regex": rate("regex"),
            "grammar": rate("grammar"),
            "regex_over_grammar_cpu": ratio("grammar", "regex", 1),
            "regex_over_grammar_wall": ratio("grammar", "regex", 0),
        },
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
