"""Compiled builds of the modules that do the per-page work, used only when they match the sources.

The package is plain Python and runs as such everywhere. Where a C compiler is present,
`python -m extractor.native_build` compiles `HOT_MODULES` with mypyc (mypy's compiler, which
turns type-annotated modules into C extensions) into `extractor/_native/`. The compiled modules
are the same code, run 1.15-1.35x faster on pages the caches have not seen (less on a dump
whose pages repeat), and check every annotation at run time.

A build is used only while its stamp matches: a hash of the hot modules' sources, of the Python
that built it and of its extension suffix. An edited source, another Python or
`EXTRACTOR_PURE_PYTHON=1` runs the sources: a stale build can never run. The compiled modules
are found first by a finder that `extractor/__init__.py` puts first on `sys.meta_path`.

    python -m extractor.native_build                 # compile (about a minute)
    python -m extractor.native_build --if-possible   # the same; no C compiler is no error

`extractor extract` says which code ran (`code` in `--summary-json`, and the end summary).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
NATIVE_DIR = PACKAGE_DIR / "_native"
STAMP_NAME = "STAMP"
PURE_ENV = "EXTRACTOR_PURE_PYTHON"
# The compiled modules share one library, a module of the package (not a top-level name).
LIBRARY_MODULE = "extractor.native_lib"

# Modules whose classes are pydantic models cannot be compiled (mypyc builds no pydantic class);
# these hold the parsing, rendering and typing work and the per-article loop, most of a run.
HOT_MODULES = (
    "extractor.gcpause",
    "extractor.json_text",
    "extractor.keys",
    "extractor.unvalidated",
    "extractor.parse.infobox_fast",
    "extractor.parse.wikitables",
    "extractor.parse.wikitext",
    "extractor.tables",
    "extractor.templates",
    "extractor.value_atoms",
    "extractor.value_hints",
    "extractor.value_rules",
    "extractor.values",
    "extractor.pipeline",
    "extractor.reconcile.infobox_checks",
    "extractor.reconcile.table_checks",
    "extractor.schemas.generic",
    "extractor.schemas.registry",
)
# Modules written twice: a Python reference (what the sources run) and a C twin beside it
# (`<module>.c`), compiled in the same build. The tests hold each pair to the same results.
C_MODULES = ("extractor.model_slots", "extractor.parse.page_scan", "extractor.xml_scan")


def module_source(module: str, package_dir: Path = PACKAGE_DIR, suffix: str = ".py") -> Path:
    """The `.py` file of a module of the package (or its `.c` twin)."""
    parts = module.split(".")[1:]
    return package_dir.joinpath(*parts).with_suffix(suffix)


def source_stamp(package_dir: Path = PACKAGE_DIR) -> str:
    """What a build must have been made from: the hot sources, this Python, its ABI suffix."""
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    digest.update(importlib.machinery.EXTENSION_SUFFIXES[0].encode())
    for module in HOT_MODULES:
        digest.update(module.encode() + b"\0")
        digest.update(module_source(module, package_dir).read_bytes())
    for module in C_MODULES:
        digest.update(module.encode() + b"\0")
        digest.update(module_source(module, package_dir, ".c").read_bytes())
    return digest.hexdigest()


def compiled_locations(native_dir: Path = NATIVE_DIR) -> dict[str, Path]:
    """Where a build puts each compiled module: `_native/extractor/parse/wikitext<suffix>`."""
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    names = [*HOT_MODULES, *C_MODULES, LIBRARY_MODULE + "__mypyc"]
    return {name: native_dir.joinpath(*name.split(".")[:-1], name.split(".")[-1] + suffix)
            for name in names}


def build_state(package_dir: Path = PACKAGE_DIR) -> str:
    """`compiled`, or why the sources run: `off` (EXTRACTOR_PURE_PYTHON), `not built`, `stale`,
    `incomplete` (a compiled module of the build is missing)."""
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        return "off"
    stamp_file = package_dir / "_native" / STAMP_NAME
    try:
        built = stamp_file.read_text(encoding="ascii").strip()
    except OSError:
        return "not built"
    try:
        if built != source_stamp(package_dir):
            return "stale"
    except OSError:  # a hot source missing: this is no whole package
        return "stale"
    modules = compiled_locations(package_dir / "_native").values()
    return "compiled" if all(module.is_file() for module in modules) else "incomplete"


_STATE = build_state()


class CompiledFinder(importlib.abc.MetaPathFinder):
    """Finds the hot modules (and the library they share) in the build, ahead of the sources."""

    def __init__(self, locations: dict[str, Path]) -> None:
        self.locations = locations

    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> importlib.machinery.ModuleSpec | None:
        location = self.locations.get(fullname)
        if location is None:
            return None
        return importlib.util.spec_from_file_location(fullname, location)


def install_finder() -> None:
    """Put the build's finder first on `sys.meta_path` when the build is in use (once)."""
    if _STATE != "compiled" or any(isinstance(f, CompiledFinder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, CompiledFinder(compiled_locations()))


def running() -> str:
    """Which code this process runs, for summaries: `compiled` or `sources (<why>)`."""
    if _STATE == "compiled" and all(_loaded_compiled(m) for m in (*HOT_MODULES, *C_MODULES)
                                    if m in sys.modules):
        return "compiled"
    return "sources" if _STATE == "compiled" else f"sources ({_STATE})"


def _loaded_compiled(module: str) -> bool:
    origin = getattr(sys.modules[module], "__file__", "") or ""
    return not origin.endswith(".py")
