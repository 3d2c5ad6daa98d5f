"""Renderers for diffs: terminal text, JSON, unified and HTML."""
