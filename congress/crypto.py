"""Personal data encrypted at rest: ID numbers and phones are stored as Fernet tokens (AES-128-CBC with an
HMAC-SHA256, from the maintained `cryptography` package), so a database dump, a replica or a backup holds no
readable number. Ciphertext cannot be searched, so where the code looks rows up by such a value a keyed hash
(a "blind index", HMAC-SHA256 under a separate key) is kept beside it and maintained on every write.

Keys come from settings: FIELD_ENCRYPTION_KEYS is a list of Fernet keys, the first encrypts and all decrypt
(rotate by putting a new key first, running `manage.py reencrypt_personal_data`, then dropping the old one);
FIELD_HASH_KEY keys the blind index (changing it needs the hashes rebuilt by the same command).

Writers that bypass Model.save (congress.bulk.copy_insert, raw SQL) must call `encrypt` and the derive
functions here: copy_insert does so for every encrypted and derived field of the model it writes."""

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

# Fernet tokens are url-safe base64 of a version byte 0x80 and a timestamp: they all start so.
TOKEN_PREFIX = "gAAAAA"


@functools.cache
def _fernet() -> MultiFernet:
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold at least one Fernet key.")
    return MultiFernet([Fernet(key) for key in keys])


def _hash_key() -> bytes:
    key = settings.FIELD_HASH_KEY
    if not key:
        raise ImproperlyConfigured("FIELD_HASH_KEY must be set.")
    return key.encode()


def reset_keys() -> None:
    """Forget cached keys (tests that change the settings, key rotation)."""
    _fernet.cache_clear()


def encrypt(value: str | None) -> str | None:
    """The token for a value; empty and missing values stay as they are (nothing to hide, and blank checks
    keep working)."""
    if not value:
        return value
    return _fernet().encrypt(value.encode()).decode()


def decrypt(value: str | None) -> str | None:
    if not value:
        return value
    if not value.startswith(TOKEN_PREFIX):
        # A row written before encryption, not yet migrated: readable as it is.
        return value
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("An encrypted field cannot be decrypted with FIELD_ENCRYPTION_KEYS.") from exc


def reencrypt(value: str | None) -> str | None:
    """The value encrypted under the first key (rotation), whatever key or plain text it was under."""
    return encrypt(decrypt(value))


def blind_index(purpose: str, value: str | None) -> str:
    """A deterministic keyed hash of the value, for equality lookups and unique constraints."""
    if not value:
        return ""
    return hmac.new(_hash_key(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def id_number_index(value: str | None) -> str:
    return blind_index("id_number", (value or "").strip().upper())


def phone_index(value: str | None) -> str:
    return blind_index("phone", (value or "").strip())


def last_four(value: str | None) -> str:
    """The phone's last four digits, kept in clear for the citizen's tracking page."""
    return (value or "").strip()[-4:]


class EncryptedCharField(models.TextField):
    """A text value stored encrypted. max_length validates the plain value (forms, model validation); the
    column is text, as a token is longer than its value. Equality lookups on it find nothing: look up the
    blind index instead."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def to_python(self, value):
        value = super().to_python(value)
        return decrypt(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or (isinstance(value, str) and value.startswith(TOKEN_PREFIX)):
            return value
        return encrypt(str(value))

    def formfield(self, **kwargs):
        # A one-line input, as the CharField it replaced (TextField's would be a textarea).
        return models.Field.formfield(self, **{"max_length": self.max_length, **kwargs})


class DerivedCharField(models.CharField):
    """A column computed from another field of the row on every save (blind index, phone tail)."""

    def __init__(self, *args, source: str, derive, **kwargs):
        self.source = source
        self.derive = derive
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["derive"] = self.derive
        kwargs.pop("editable", None)
        kwargs.pop("blank", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = self.derive(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def prepare_rows(model, fields: list[str], rows):
    """Rows for a writer that bypasses Model.save (COPY): encrypted fields encrypted, derived fields that
    are not given computed from their source. Returns (fields, rows)."""
    concrete = {f.attname: f for f in model._meta.concrete_fields} | {f.name: f for f in model._meta.concrete_fields}
    encrypted = [i for i, name in enumerate(fields) if isinstance(concrete.get(name), EncryptedCharField)]
    position = {name: i for i, name in enumerate(fields)}
    derived = [
        (f, position[f.source])
        for f in model._meta.concrete_fields
        if isinstance(f, DerivedCharField) and f.attname not in position and f.source in position
    ]
    if not encrypted and not derived:
        return fields, rows

    def convert(row):
        row = list(row)
        extra = [f.derive(row[i]) for f, i in derived]
        for i in encrypted:
            row[i] = encrypt(row[i])
        return tuple(row) + tuple(extra)

    return fields + [f.attname for f, _ in derived], (convert(row) for row in rows)


def audit_mask(value: str) -> str:
    """The change log keeps no readable ID number or phone: only the last four characters, as the masked pages."""
    value = str(value)
    return "*" * max(len(value) - 4, 0) + value[-4:]


def rewrite_columns(connection, table: str, source: str, targets: dict, *, batch: int = 2000) -> None:
    """Data migrations and key rotation: for each row, read the source column (plain or any key's token) and
    write each target column as its function of the plain value, in batches by id so a large table is never
    held in memory or locked in one statement."""
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(column)} = %s" for column in targets)
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT id, {quote(source)} FROM {quote(table)} WHERE id > %s ORDER BY id LIMIT %s", [last, batch]
            )
            rows = cursor.fetchall()
            if not rows:
                return
            params = []
            for pk, value in rows:
                plain = decrypt(value)
                params.append([function(plain) for function in targets.values()] + [pk])
            cursor.executemany(f"UPDATE {quote(table)} SET {sets} WHERE id = %s", params)
            last = rows[-1][0]
