"""Claim extraction and tracking across versions; pure functions."""
