"""Voting codes and receipts: random, typeable, and (for codes) kept only as a keyed hash.

A code is 16 characters of Crockford's base 32 (digits and capitals without I, L, O
and U, so nothing reads as something else), 80 random bits, shown in groups of four:
``7K3M-Q9XD-2HRT-WB4N``. What a person types is forgiven case, spaces, dashes and the
look-alikes O (zero) and I, L (one).

The database keeps ``HMAC-SHA256(key, code)``, the key derived from SECRET_KEY. Why
not Django's password hashers: they are slow on purpose (Argon2 here takes tens of
milliseconds), to protect passwords people choose, which are guessable. A code has 80
random bits: no one can try a meaningful share of them, fast hash or slow, so the
slowness buys nothing, and it would cost hours of CPU to issue a million codes and,
being salted, it would rule out finding the voter by the code through an index. A
keyed hash is deterministic (one indexed lookup) and a copy of the database without
the key does not even let anyone test a guess.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.conf import settings

CODE_LENGTH = 16
_RFC4648 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TO_CROCKFORD = str.maketrans(_RFC4648, _CROCKFORD)
_ALLOWED = frozenset(_CROCKFORD)
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_KEY_SALT = "tolpuddle.voting.code"
_SHA256_BLOCK = 64


def random_code() -> str:
    """16 characters, 80 random bits, unformatted (as stored and compared)."""
    return (
        base64.b32encode(secrets.token_bytes(10))
        .decode("ascii")
        .translate(_TO_CROCKFORD)
    )


# Each random byte picks one of the 32 characters by its low five bits (256 is a
# multiple of 32, so each is as likely): 16 bytes make a code of 80 random bits.
_BYTE_TO_CROCKFORD = bytes(_CROCKFORD.encode("ascii")[byte % 32] for byte in range(256))


def random_codes(count: int) -> list[str]:
    """``count`` codes like ``random_code``'s (16 characters of Crockford's base 32,
    80 random bits each) made at once: one read of random bytes and one
    ``bytes.translate``, about ten times faster than one at a time."""
    text = secrets.token_bytes(CODE_LENGTH * count).translate(_BYTE_TO_CROCKFORD)
    return [
        text[i : i + CODE_LENGTH].decode("ascii")
        for i in range(0, CODE_LENGTH * count, CODE_LENGTH)
    ]


def code_format(code: str) -> str:
    """``ABCDEFGHJKMNPQRS`` as ``ABCD-EFGH-JKMN-PQRS``."""
    if len(code) == CODE_LENGTH:  # a code or a receipt: the quick way
        return f"{code[:4]}-{code[4:8]}-{code[8:12]}-{code[12:]}"
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def code_normalise(typed: str) -> str | None:
    """The code a person typed, as generated; None if it cannot be one."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum()).translate(
        _LOOK_ALIKES
    )
    if len(cleaned) != CODE_LENGTH or not set(cleaned) <= _ALLOWED:
        return None
    return cleaned


def _key(secret: str) -> bytes:
    return hashlib.sha256((_KEY_SALT + secret).encode()).digest()


class CodeHasher:
    """Hashes codes with the current key; ``candidates`` also with the fallbacks, so
    that rotating SECRET_KEY (into SECRET_KEY_FALLBACKS) during a poll does not
    lock voters out."""

    def __init__(self) -> None:
        self._keys = [
            _key(secret)
            for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
        ]

    def hash(self, code: str) -> str:
        return hmac.digest(self._keys[0], code.encode(), "sha256").hex()

    def hash_many(self, codes: Iterable[str]) -> list[str]:
        """``hash`` of each code, twice as fast for many: HMAC (RFC 2104) worked by
        hand, the key's inner and outer pads hashed once and copied for each code,
        rather than set up again for every one."""
        block = self._keys[0].ljust(_SHA256_BLOCK, b"\0")  # 32 bytes: no hashing
        inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in block))
        outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in block))
        hashed = []
        for code in codes:
            mid = inner.copy()
            mid.update(code.encode())
            out = outer.copy()
            out.update(mid.digest())
            hashed.append(out.hexdigest())
        return hashed

    def candidates(self, code: str) -> list[str]:
        return [hmac.digest(key, code.encode(), "sha256").hex() for key in self._keys]


def codes_hash(codes: Iterable[str]) -> list[str]:
    return CodeHasher().hash_many(codes)
