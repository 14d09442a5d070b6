"""Does a change keep the output? Runs the CLI with a reference tree of the code and with this
one on the same inputs, and compares every output table row for row (rows sorted).

    .venv/bin/python bench/same_output.py [--ref REV] [--only-infoboxes] [PATH ...]

The reference is `git archive REV` (default: the merge base with `main`) unpacked in a temporary
folder and put first on PYTHONPATH, run with this virtualenv's interpreter; both sides write
Parquet into temporary folders. Default inputs: the corpus wikitext, the real dumps, the flat
seeds and the repository's fixtures (flat, wikitext, dumps). Exit status 1 when a table differs;
the report shows, per table, the rows only on one side (up to `--show` of each).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEFAULT_INPUTS = [
    SHARED / "corpus" / "wikitext", SHARED / "corpus" / "dumps", SHARED / "seeds",
    ROOT / "fixtures" / "flat", ROOT / "fixtures" / "wikitext", ROOT / "fixtures" / "dumps",
]


def unpack(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True,
                             capture_output=True).stdout
    def no_links(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
        return None if member.issym() or member.islnk() else tarfile.data_filter(member, path)

    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter=no_links)
    return into


def extract(code_root: Path | None, inputs: list[Path], out: Path, only: bool) -> None:
    env = dict(os.environ)
    if code_root is not None:
        env["PYTHONPATH"] = str(code_root)
    cmd = [sys.executable, "-c", "import sys; from extractor.cli import main; sys.exit(main())",
           "extract", *map(str, inputs), "-o", str(out), "--format", "parquet", "--jobs", "1",
           "--no-report", "--quiet", "--fail-on", "never"]
    if only:
        cmd += ["--only", "infoboxes"]
    done = subprocess.run(cmd, env=env, cwd=code_root or ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 3):
        sys.exit(f"extraction failed ({code_root or 'this tree'}):\n{done.stderr[-3000:]}")


def table_rows(folder: Path) -> list[tuple]:
    """Every row of one Parquet table folder, as sorted tuples of (column, value) pairs."""
    rows: list[tuple] = []
    for part in sorted(folder.glob("*.parquet")):
        for row in pq.read_table(part).to_pylist():
            rows.append(tuple(sorted((k, repr(v)) for k, v in row.items())))
    rows.sort()
    return rows


def compare(ref: Path, ours: Path, show: int) -> int:
    tables = sorted({p.name for p in ref.iterdir() if p.is_dir()}
                    | {p.name for p in ours.iterdir() if p.is_dir()})
    differing = 0
    for name in tables:
        a, b = table_rows(ref / name), table_rows(ours / name)
        if a == b:
            print(f"  {name:22} {len(a):8} rows  same")
            continue
        differing += 1
        only_a = sorted(set(a) - set(b))
        only_b = sorted(set(b) - set(a))
        print(f"  {name:22} {len(a):8} -> {len(b)} rows  DIFFER: {len(only_a)} only in ref, "
              f"{len(only_b)} only in ours")
        for label, rows in (("ref ", only_a), ("ours", only_b)):
            for row in rows[:show]:
                print(f"    {label}: {dict(row)}")
    return differing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--ref", default=None, help="git revision (default: merge base with main)")
    parser.add_argument("--only-infoboxes", action="store_true")
    parser.add_argument("--show", type=int, default=5)
    args = parser.parse_args(argv)
    rev = args.ref or subprocess.run(["git", "-C", str(ROOT), "merge-base", "HEAD", "main"],
                                     check=True, capture_output=True, text=True).stdout.strip()
    inputs = args.paths or [p for p in DEFAULT_INPUTS if p.exists()]
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        work = Path(tmp)
        ref_code = unpack(rev, work / "ref-code")
        extract(ref_code, inputs, work / "ref", args.only_infoboxes)
        extract(None, inputs, work / "ours", args.only_infoboxes)
        print(f"reference {rev[:10]} vs this tree, {len(inputs)} inputs"
              f"{', --only infoboxes' if args.only_infoboxes else ''}:")
        differing = compare(work / "ref", work / "ours", args.show)
    print("same output" if not differing else f"{differing} table(s) differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
