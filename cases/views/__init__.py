"""Pages of the case selection, one module per kind of user: staff run campaigns and rounds and review cases
(staff), units write and submit cases (submissions, with the case page everyone who may see a case shares),
voters vote and judges score (voting), citizens vote on a mobile page (public). Each view parses input, calls
one service or selector, and renders; urls.py names the module of each."""
