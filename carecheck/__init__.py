"""carecheck: audit your own customer care."""

__version__ = "0.1.0"
