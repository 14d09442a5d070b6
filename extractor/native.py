"""Compiled builds of the modules that do the per-page work, used only when they match the sources.

The package is plain Python and runs as such everywhere. Where a C compiler is present,
`python -m extractor.native build` compiles `HOT_MODULES` with mypyc (mypy's compiler, which
turns type-annotated modules into C extensions) into `extractor/_native/`. The compiled modules
are the same code, run 1.2-1.6x faster, and check every annotation at run time.

A build is used only while its stamp matches: a hash of the hot modules' sources, of the Python
that built it and of its extension suffix. An edited source, another Python or
`EXTRACTOR_PURE_PYTHON=1` runs the sources: a stale build can never run. The compiled modules
are found first because each package that holds one puts its `_native` folder ahead of its own
on `__path__` (see `package_paths`).

    python -m extractor.native_build                 # compile (about a minute)
    python -m extractor.native_build --if-possible   # the same; no C compiler is no error

`extractor extract` says which code ran (`code` in `--summary-json`, and the end summary).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
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
# these hold the parsing, rendering and typing work, which is most of a run's time.
HOT_MODULES = (
    "extractor.keys",
    "extractor.parse.infobox_fast",
    "extractor.parse.wikitables",
    "extractor.parse.wikitext",
    "extractor.tables",
    "extractor.templates",
    "extractor.value_atoms",
    "extractor.value_hints",
    "extractor.value_rules",
)


def module_source(module: str, package_dir: Path = PACKAGE_DIR) -> Path:
    """The `.py` file of a module of the package."""
    parts = module.split(".")[1:]
    return package_dir.joinpath(*parts).with_suffix(".py")


def source_stamp(package_dir: Path = PACKAGE_DIR) -> str:
    """What a build must have been made from: the hot sources, this Python, its ABI suffix."""
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    digest.update(importlib.machinery.EXTENSION_SUFFIXES[0].encode())
    for module in HOT_MODULES:
        digest.update(module.encode() + b"\0")
        digest.update(module_source(module, package_dir).read_bytes())
    return digest.hexdigest()


def build_state(package_dir: Path = PACKAGE_DIR) -> str:
    """`compiled`, or why the sources run: `off` (EXTRACTOR_PURE_PYTHON), `not built`, `stale`."""
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        return "off"
    stamp_file = package_dir / "_native" / STAMP_NAME
    try:
        built = stamp_file.read_text(encoding="ascii").strip()
    except OSError:
        return "not built"
    try:
        return "compiled" if built == source_stamp(package_dir) else "stale"
    except OSError:  # a hot source missing: this is no whole package
        return "stale"


_STATE = build_state()


def package_paths(package: str) -> list[str]:
    """The folders to put ahead of `package`'s own on its `__path__`: its compiled modules,
    when the build is in use."""
    if _STATE != "compiled":
        return []
    folder = NATIVE_DIR.joinpath(*package.split("."))
    return [str(folder)] if folder.is_dir() else []


def running() -> str:
    """Which code this process runs, for summaries: `compiled` or `sources (<why>)`."""
    if _STATE == "compiled" and all(_loaded_compiled(m) for m in HOT_MODULES if m in sys.modules):
        return "compiled"
    return "sources" if _STATE == "compiled" else f"sources ({_STATE})"


def _loaded_compiled(module: str) -> bool:
    origin = getattr(sys.modules[module], "__file__", "") or ""
    return not origin.endswith(".py")
