"""Compile the hot modules with mypyc into `extractor/_native/` (see `extractor.native`).

    python -m extractor.native_build [--if-possible]

The package's sources are copied to a temporary folder and compiled there, so the build's
stamp is that of exactly the sources it compiled; the finished build replaces the old one by a
rename. Needs mypy (`pip install 'extractor[fast]'`), a C compiler and Python's headers.
Without one of them, `--if-possible` says so and exits 0: the sources run, slower.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from extractor.errors import ExtractorError
from extractor.native import (
    C_MODULES,
    HOT_MODULES,
    LIBRARY_MODULE,
    NATIVE_DIR,
    PACKAGE_DIR,
    STAMP_NAME,
    build_state,
    module_source,
    source_stamp,
)

# Run in a child process: setuptools ends a failed build with SystemExit, and mypyc's type
# check keeps state in the process.
_SETUP = """
import os, sys
from mypyc.build import mypycify
from setuptools import Extension, setup
out, temp, group, *paths = sys.argv[1:]
twins = [Extension(p.split("=")[0], [p.split("=")[1]], extra_compile_args=["-O3"])
         for p in paths if "=" in p]
setup(
    name="extractor-native", packages=[],
    script_args=["build_ext", "--build-lib", out, "--build-temp", temp,
                 "--parallel", str(os.cpu_count() or 1)],
    ext_modules=mypycify(["--ignore-missing-imports", *[p for p in paths if "=" not in p]],
                         opt_level="3", group_name=group) + twins,
)
"""


def missing_requirement() -> str | None:
    """Why no build can be made here, or None."""
    if importlib.util.find_spec("mypyc") is None:
        return "mypy is not installed (pip install 'extractor[fast]')"
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler}) on PATH"
    include = sysconfig.get_paths().get("include", "")
    if not (Path(include) / "Python.h").is_file():
        return f"Python's headers are not installed (no Python.h in {include})"
    return None


def copy_sources(destination: Path) -> Path:
    """The package's `.py` and `.c` files under `destination/extractor`, the compiled build
    left out."""
    package = destination / "extractor"
    for source in [*PACKAGE_DIR.rglob("*.py"), *PACKAGE_DIR.rglob("*.c")]:
        relative = source.relative_to(PACKAGE_DIR)
        if relative.parts[0] == NATIVE_DIR.name:
            continue
        target = package / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return package


def compile_modules(package: Path, workdir: Path) -> Path:
    """Compile the hot modules of the copied `package`; returns the folder of built modules."""
    out, temp = workdir / "out", workdir / "temp"
    paths = [str(module_source(m, package).relative_to(package.parent)) for m in HOT_MODULES]
    paths += [f"{m}={module_source(m, package, '.c').relative_to(package.parent)}"
              for m in C_MODULES]
    result = subprocess.run(
        [sys.executable, "-c", _SETUP, str(out), str(temp), LIBRARY_MODULE, *paths],
        cwd=package.parent, capture_output=True, text=True,
    )
    if result.returncode != 0:
        log = (result.stdout + result.stderr).strip().splitlines()
        raise ExtractorError("the hot modules did not compile:\n  "
                             + "\n  ".join(line for line in log[-15:]))
    return out


def install(built: Path, stamp: str) -> int:
    """Put the built modules in place of the old build, stamp last; returns how many."""
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    staged = NATIVE_DIR.with_name(NATIVE_DIR.name + ".new")
    shutil.rmtree(staged, ignore_errors=True)
    count = 0
    for module in built.rglob(f"*{suffix}"):
        target = staged / module.relative_to(built)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(module, target)
        count += 1
    expected = len(HOT_MODULES) + len(C_MODULES) + 1  # one a module, and the mypyc library
    if count != expected:
        shutil.rmtree(staged, ignore_errors=True)
        raise ExtractorError(f"the build made {count} modules, not {expected}")
    (staged / STAMP_NAME).write_text(stamp + "\n", encoding="ascii")
    old = NATIVE_DIR.with_name(NATIVE_DIR.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if NATIVE_DIR.exists():
        NATIVE_DIR.rename(old)
    staged.rename(NATIVE_DIR)
    shutil.rmtree(old, ignore_errors=True)
    return count


def build(if_possible: bool = False) -> int:
    """Build, and say what happened; the exit status of `python -m extractor.native_build`."""
    if build_state() == "compiled":
        print(f"extractor: the compiled build in {NATIVE_DIR} matches the sources; nothing to do.")
        return 0
    reason = missing_requirement()
    if reason is not None:
        print(f"extractor: no compiled build: {reason}; the sources run (slower).",
              file=sys.stderr)
        return 0 if if_possible else 1
    started = time.perf_counter()
    print(f"extractor: compiling {len(HOT_MODULES)} hot modules with mypyc and {len(C_MODULES)} "
          "C twins (about a minute) ...", flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="extractor-native-") as workdir:
            package = copy_sources(Path(workdir) / "src")
            stamp = source_stamp(package)
            install(compile_modules(package, Path(workdir)), stamp)
    except (ExtractorError, OSError) as exc:
        print(f"extractor: no compiled build: {exc}", file=sys.stderr)
        return 0 if if_possible else 1
    if source_stamp() != stamp:
        print("extractor: the sources changed during the build; it will not be used until "
              "built again.", file=sys.stderr)
    print(f"extractor: compiled {len(HOT_MODULES)} hot modules and {len(C_MODULES)} C twins in "
          f"{time.perf_counter() - started:.0f} s "
          f"into {NATIVE_DIR}; they run while their sources are unchanged "
          f"(EXTRACTOR_PURE_PYTHON=1 runs the sources).")
    return 0


if __name__ == "__main__":
    sys.exit(build(if_possible="--if-possible" in sys.argv[1:]))
