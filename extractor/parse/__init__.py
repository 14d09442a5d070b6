"""Readers of the two input formats into the shared article model."""
