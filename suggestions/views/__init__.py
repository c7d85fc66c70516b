"""Pages of suggestions, by who uses them: drafting (the deputy's own and the forms), detail (one suggestion and
the actions on it, registered in actions.py), office (staff review, statistics and the unit portal), supervision
(key items) and public (published suggestions, no login).

Each view parses input, calls one service or selector and renders; the rules are in services/ and rules.py, the
states in workflow.py."""
