"""Training benchmark cases."""

CASES = []
