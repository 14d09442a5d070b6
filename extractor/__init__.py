"""extractor: wiki-style articles to clean, typed, reconciled tables."""

__version__ = "0.1.0"
