"""Readers of the two input formats into the shared article model."""

from extractor.native import package_paths as _native_paths

# A compiled build of the hot modules, when it matches their sources, is found before them.
__path__[:0] = _native_paths(__name__)
