"""extractor: wiki-style articles to clean, typed, reconciled tables."""

import os as _os

from extractor.native import install_finder as _install_compiled_finder

__version__ = "0.1.0"

# A compiled build of the hot modules, when it matches their sources, is found before them.
_install_compiled_finder()

# Arrow's buffers from the C library's allocator, unless the user chose a pool. Arrow's default
# (mimalloc) keeps what it frees for reuse: ~25 MB more per worker on a dump run, for no
# measurable speed here (the buffers are a few MB, made once per batch of pages). Only the
# environment variable reaches every allocation (the Parquet writer's too), and only when it
# is set before pyarrow loads; it is inherited by the workers.
_os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
