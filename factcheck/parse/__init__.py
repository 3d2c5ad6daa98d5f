"""Plain-text and HTML parsers and tolerant timestamps; pure functions."""
