"""Short public codes (a station's page, an opinion's tracking code, a sitting's check-in code) that people read
out or type: random, with no look-alike characters (0/O, 1/I/L), so a citizen can read one out on the phone."""

import secrets

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_token(length: int = 10) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
