"""Running the tool for the benchmarks: the CLI under a memory monitor, and the library path.

Peak memory is that of all processes together: a thread samples the process tree (the CLI, its
workers, anything they start) and sums their RSS every 0.1 s; the peak of that sum is the figure
judged (an upper bound: pages shared between a parent and its forked workers count once per
process; only a child caught before its exec, on its parent's memory, is not counted again).
PSS (shared pages split between the sharers) is summed too, but only every 2 s: the kernel
takes ~30 ms per process to compute it, which would load the machine being measured.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


def pss_bytes(pid: int) -> int | None:
    """PSS of one process from /proc/PID/smaps_rollup (Linux); None where unavailable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def shares_parent_memory(proc: psutil.Process, size: int, seen: dict[int, int]) -> bool:
    """A child between its start and its exec: started by vfork (what `subprocess` uses), it
    runs on its parent's memory and shows the parent's RSS, to the byte, under the parent's
    program. A worker starting its `lbzip2` is caught so once in a while, and counting it would
    add a worker's whole memory (~130 MB) to the sum that one sample."""
    parent = proc.ppid()
    if seen.get(parent) != size:
        return False
    try:
        return proc.exe() == psutil.Process(parent).exe()
    except psutil.Error:
        return False


class TreeMonitor(threading.Thread):
    """Samples the memory of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.1, pss_interval: float = 2.0) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.pss_interval = pss_interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self._next_pss = 0.0
        self._start = time.monotonic()
        self.timeline: list[tuple[float, float]] = []  # (seconds, RSS sum MB), about 1 a second
        self._halt = threading.Event()

    def tree(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    def sample(self) -> None:
        procs = self.tree()
        rss = 0
        seen: dict[int, int] = {}  # pid -> RSS, of the processes summed so far
        for proc in procs:  # (parents before their children: `children` lists them so)
            try:
                size = proc.memory_info().rss
                if shares_parent_memory(proc, size, seen):
                    continue
            except psutil.Error:
                continue  # a worker that just ended
            seen[proc.pid] = size
            rss += size
        self.peak_rss = max(self.peak_rss, rss)
        elapsed = time.monotonic() - self._start
        if not self.timeline or elapsed - self.timeline[-1][0] >= 1.0:
            self.timeline.append((round(elapsed, 1), round(rss / 1e6, 1)))
        self.peak_processes = max(self.peak_processes, len(procs))
        now = time.monotonic()
        if now >= self._next_pss and procs:
            self._next_pss = now + self.pss_interval
            pss = sum(filter(None, (pss_bytes(p.pid) for p in procs)))
            self.peak_pss = max(self.peak_pss, pss)

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def thin(points: list, most: int) -> list:
    """At most `most` points, evenly picked, the last one kept."""
    if len(points) <= most:
        return points
    step = len(points) / most
    return [points[int(i * step)] for i in range(most - 1)] + [points[-1]]


def run_monitored(cmd: list[str], timeout: float | None = None) -> dict:
    """Run `cmd`, sampling its process tree; wall seconds, peak memory (MB), exit code."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        monitor = TreeMonitor(proc.pid)
        monitor.start()
        try:
            code = proc.wait(timeout=timeout)
        finally:
            monitor.stop()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    return {
        "wall_seconds": wall, "returncode": code,
        "peak_pss_MB": monitor.peak_pss / 1e6, "peak_rss_MB": monitor.peak_rss / 1e6,
        "peak_processes": monitor.peak_processes,
        "rss_timeline_MB": thin(monitor.timeline, 60),
        "stdout": stdout[-2000:], "stderr": stderr[-2000:],
    }


def extractor_cmd() -> list[str]:
    exe = VENV_BIN / "extractor"
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-m", "extractor"]


@functools.lru_cache(maxsize=1)
def cli_options() -> str:
    """The help text of `extractor extract` ("" when the CLI does not start)."""
    try:
        done = subprocess.run([*extractor_cmd(), "extract", "--help"],
                              capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout if done.returncode == 0 else ""


def cli_has(option: str) -> bool:
    """Whether `extractor extract --help` lists this option (as an option, not inside a word)."""
    return re.search(rf"(^|[\s,\[]){re.escape(option)}([\s=,\]]|$)", cli_options(),
                     re.MULTILINE) is not None


def run_cli(paths: list[Path], *, jobs: int, only: str | None = None, fmt: str = "parquet",
            timeout: float | None = None) -> dict:
    """One `extractor extract` run into a fresh temporary folder, under the memory monitor.
    `seconds` is the tool's own timing (`--summary-json`) when it has one, else wall time."""
    if not cli_options():
        raise RuntimeError("`extractor extract --help` fails: is the package installed "
                           "in .venv (pip install -e .)?")
    if only and not cli_has("--only"):
        raise NotImplementedError("the CLI has no --only option yet")
    with tempfile.TemporaryDirectory(prefix="bench-out-") as out:
        summary_path = Path(out) / "summary.json"
        cmd = [*extractor_cmd(), "extract", *map(str, paths), "-o", str(Path(out) / "o"),
               "--format", fmt, "--jobs", str(jobs), "--no-report", "--quiet", "--fail-on", "never"]
        if only:
            cmd += ["--only", only]
        has_summary = cli_has("--summary-json")
        if has_summary:
            cmd += ["--summary-json", str(summary_path)]
        result = run_monitored(cmd, timeout=timeout)
        summary = {}
        if has_summary and summary_path.exists():
            summary = json.loads(summary_path.read_text())
    if result["returncode"] != 0:
        raise RuntimeError(f"extractor exited with {result['returncode']}:\n{result['stderr']}")
    result["summary"] = summary
    result["seconds"] = summary.get("seconds") or result["wall_seconds"]
    result["timing"] = "summary" if summary.get("seconds") else "wall"
    return result


def library_pass(texts: list[str], only_infoboxes: bool = False) -> dict:
    """The per-article library path in this process: parse_wikitext, then typing, records and
    reconciliation (`process_article`); no writing. With `only_infoboxes` the parsed tables are
    dropped before typing (they are still parsed: the parser has no switch for it)."""
    try:
        from extractor.parse.wikitext import parse_wikitext
        from extractor.pipeline import process_article
    except ImportError as error:
        raise RuntimeError(f"the library path is not there yet: {error}") from error
    start = time.perf_counter()
    statuses: dict[str, int] = {}
    for n, text in enumerate(texts):
        article = parse_wikitext(text, title=f"Page {n}", doc_id=f"bench#{n}", source="bench")
        if only_infoboxes:
            article.tables = []
        rows = process_article(article)
        for row in rows.get("articles", []):
            statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    return {"seconds": time.perf_counter() - start, "status": statuses}
