"""The one exception root of the library. Malformed *input* never raises (it becomes a Problem
or a finding); these are for misuse of the tool itself: bad arguments, unreadable paths."""


class ExtractorError(Exception):
    """Root of every error this package raises on purpose."""


class UsageError(ExtractorError):
    """The command line or API was called with arguments that cannot work."""


class OutputError(ExtractorError):
    """The output folder cannot be written (read-only, full, gone)."""
