"""extractor: wiki-style articles to clean, typed, reconciled tables."""

from extractor.native import install_finder as _install_compiled_finder

__version__ = "0.1.0"

# A compiled build of the hot modules, when it matches their sources, is found before them.
_install_compiled_finder()
