"""Key rotation: re-encrypt every ID number and phone (and the stored API answers that may show them) under the
first of FIELD_ENCRYPTION_KEYS and rebuild their keyed hashes under FIELD_HASH_KEY. Batched and safe to run again
after an interruption."""

from django.core.management.base import BaseCommand
from django.db import connection

from congress import crypto

TABLES = [
    ("deputies_person", "id_number", {"id_number": crypto.reencrypt, "id_number_hash": crypto.id_number_index}),
    ("deputies_person", "phone", {"phone": crypto.reencrypt}),
    (
        "liaison_stations_citizenopinion",
        "phone",
        {"phone": crypto.reencrypt, "phone_hash": crypto.phone_index, "phone_tail": crypto.last_four},
    ),
    ("congress_user", "phone", {"phone": crypto.reencrypt}),
    ("activities_expert", "phone", {"phone": crypto.reencrypt, "phone_hash": crypto.phone_index}),
    ("activities_expert", "email", {"email": crypto.reencrypt}),
    # Answers kept for Idempotency-Key replays may hold any of the above unmasked.
    ("congress_idempotencyrecord", "response_body", {"response_body": crypto.reencrypt}),
]


class Command(BaseCommand):
    help = "Re-encrypt personal data under the first FIELD_ENCRYPTION_KEYS key and rebuild its hashes."

    def handle(self, *args, **options):
        for table, source, targets in TABLES:
            crypto.rewrite_columns(connection, table, source, targets)
            self.stdout.write(f"{table}.{source}: done")
