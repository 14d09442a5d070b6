"""extractor: wiki-style articles to clean, typed, reconciled tables."""

from extractor.native import package_paths as _native_paths

__version__ = "0.1.0"

# A compiled build of the hot modules, when it matches their sources, is found before them.
__path__[:0] = _native_paths(__name__)
