"""Excellent-case selection benchmark cases."""

CASES = []
