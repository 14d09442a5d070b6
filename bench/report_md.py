"""The project's performance targets judged on a `bench/run.py` result, and the markdown table.

A target whose measurements are missing is reported `n/a`, never `pass`.
"""

from __future__ import annotations

GB = 1e9

LABELS = {
    "wtf_infobox": "wtf_wikipedia, infoboxes (1 thread)",
    "wtf_both": "wtf_wikipedia, infoboxes + tables (1 thread)",
    "ours_cli_infoboxes_j1": "extractor --only infoboxes --jobs 1",
    "ours_cli_all_j1": "extractor, everything, --jobs 1",
    "ours_lib_infoboxes": "library path in-process, infoboxes (tables dropped after parse)",
    "ours_lib_all": "library path in-process, everything but writing",
    "mwparserfromhell_full": "mwparserfromhell, full parse of every page",
    "mwparserfromhell_infobox_spans": "mwparserfromhell on `{{Infobox` spans only",
    "mwparserfromhell_table_spans": "mwparserfromhell on table spans only",
    "floor_lbzip2_n2_lxml": "floor: lbzip2 -dc -n2 \\| lxml iterparse",
    "floor_python_bz2_lxml": "floor: Python bz2 + lxml iterparse, one process",
    "ours_cli_all_j2": "extractor, everything, --jobs 2",
    "ours_cli_infoboxes_j2": "extractor --only infoboxes --jobs 2",
}


def rate(entry: dict | None) -> float | None:
    if not entry or "error" in entry or "skipped" in entry:
        return None
    return entry.get("MB_per_s")


def first_rate(section: dict, *names: str) -> tuple[float | None, str | None]:
    """The first of `names` measured in `section`: (MB/s, name)."""
    for name in names:
        value = rate(section.get(name))
        if value:
            return value, name
    return None, None


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("pass" if ok else "FAIL")


def ratio_target(name: str, ours: tuple, ref: tuple, need: float, unit: str,
                 section: dict | None = None) -> dict:
    """Ours over the reference: the median of per-round ratios where the run has them, else the
    ratio of the median rates."""
    (mine, mine_from), (theirs, theirs_from) = ours, ref
    value = mine / theirs if mine and theirs else None
    paired = ((section or {}).get(mine_from) or {}).get("vs", {}).get(theirs_from)
    if value is not None and paired:
        value = paired["median"]
    shown = None if value is None else (f"{value:.2f}x" if unit == "x" else f"{value:.0%}")
    required = f">= {need:g}x" if unit == "x" else f">= {need:.0%}"
    return {"target": name, "observed": shown, "required": required, "ratio": value,
            "ours": mine_from, "reference": theirs_from,
            "result": verdict(None if value is None else value >= need)}


def targets(results: dict) -> list[dict]:
    one = results.get("one_process", {})
    out = [
        ratio_target("infoboxes only, one process, vs wtf_wikipedia infoboxes",
                     first_rate(one, "ours_cli_infoboxes_j1", "ours_lib_infoboxes"),
                     first_rate(one, "wtf_infobox"), 5, "x", one),
        ratio_target("everything, one process, vs wtf_wikipedia infoboxes+tables",
                     first_rate(one, "ours_cli_all_j1", "ours_lib_all"),
                     first_rate(one, "wtf_both"), 2, "x", one),
    ]
    dumps = results.get("dumps", {})
    for size, runs in dumps.items():
        floor = first_rate(runs, "floor_lbzip2_n2_lxml")
        out.append(ratio_target(f"{size} MB .bz2 dump, everything, vs 2-core floor",
                                first_rate(runs, "ours_cli_all_j2"), floor, 0.40, "%", runs))
        out.append(ratio_target(f"{size} MB .bz2 dump, infoboxes only, vs 2-core floor",
                                first_rate(runs, "ours_cli_infoboxes_j2"), floor, 0.60, "%",
                                runs))
    out.extend(memory_targets(dumps))
    return out


def peak(entry: dict | None) -> float | None:
    if not entry or "error" in entry or "skipped" in entry:
        return None
    return entry.get("peak_rss_MB")


def memory_targets(dumps: dict) -> list[dict]:
    peaks = {size: peak(runs.get("ours_cli_all_j2")) for size, runs in dumps.items()}
    peaks.update({f"{s} infoboxes": peak(r.get("ours_cli_infoboxes_j2")) for s, r in dumps.items()})
    measured = [p for p in peaks.values() if p]
    worst = max(measured) if measured else None
    out = [{"target": "peak memory, all processes together (RSS sum), every dump run",
            "observed": None if worst is None else f"{worst:.0f} MB", "required": "< 1000 MB",
            "value_MB": worst, "result": verdict(None if worst is None else worst * 1e6 < GB)}]
    sizes = sorted(dumps, key=float)
    small, large = (peaks.get(sizes[0]), peaks.get(sizes[-1])) if len(sizes) > 1 else (None, None)
    growth = (large - small) / small if small and large else None
    out.append({"target": f"peak memory, {sizes[-1] if sizes else '?'} MB dump vs "
                          f"{sizes[0] if sizes else '?'} MB dump",
                "observed": None if growth is None else f"{growth:+.1%}",
                "required": "within 10%", "growth": growth,
                "result": verdict(None if growth is None else abs(growth) <= 0.10)})
    return out


def _row(label: str, input_name: str, entry: dict) -> str:
    if "error" in entry:
        return f"| {label} | {input_name} | error | | | {entry['error'].splitlines()[0][:80]} |"
    if "skipped" in entry:
        return f"| {label} | {input_name} | skipped | | | {entry['skipped'][:80]} |"
    seconds = entry.get("seconds_median")
    runs = entry.get("repeat") or len(entry.get("seconds", [])) or ""
    memory = entry.get("peak_rss_MB")
    mem = f"{memory:.0f}" if memory else ""
    mbps = entry.get("MB_per_s")
    return (f"| {label} | {input_name} | {mbps:.2f} | {seconds:.2f} | {runs} | {mem} |"
            if mbps and seconds else f"| {label} | {input_name} | ? | | | |")


def markdown(results: dict) -> str:
    meta = results.get("meta", {})
    lines = [
        f"Run {meta.get('time_utc')} at {meta.get('commit')}, {meta.get('cpus')} cores, load "
        f"{', '.join(f'{x:.1f}' for x in meta.get('loadavg_start', []))} at start, "
        f"{meta.get('code') or 'unknown'} code; "
        f"MB/s = MB of wikitext per second (median of runs); peak MB = RSS summed over all "
        f"processes of the run.",
        "",
        "| measurement | input | MB/s | median s | runs | peak MB |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    one = results.get("one_process", {})
    corpus = one.get("_input", {})
    corpus_name = f"corpus, {corpus.get('articles')} pages, {corpus.get('bytes', 0) / 1e6:.1f} MB"
    for name, entry in one.items():
        if not name.startswith("_"):
            lines.append(_row(LABELS.get(name, name), corpus_name, entry))
    for size, runs in results.get("dumps", {}).items():
        info = runs.get("_input", {})
        dump_name = f"{size} MB XML dump ({info.get('bz2_MB', 0):.0f} MB bz2)"
        for name, entry in runs.items():
            if not name.startswith("_"):
                lines.append(_row(LABELS.get(name, name), dump_name, entry))
    lines += ["", "| target | observed | required | result |", "| --- | ---: | ---: | --- |"]
    for t in results.get("targets", []):
        note = f" ({t['ours']})" if (t.get("ours") or "").startswith("ours_lib") else ""
        lines.append(f"| {t['target']}{note} | {t['observed'] or 'n/a'} | {t['required']} | "
                     f"{t['result']} |")
    return "\n".join(lines) + "\n"
