"""factcheck: a claim tracker with change history for edited news articles."""

__version__ = "0.1.0"
