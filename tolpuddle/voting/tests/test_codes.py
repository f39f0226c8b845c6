from __future__ import annotations

import datetime
import zoneinfo
from collections import Counter

import pytest

from tolpuddle.voting.codes import (
    CodeHasher,
    code_format,
    code_normalise,
    codes_hash,
    random_code,
    random_codes,
)
from tolpuddle.voting.formats import uk_datetime

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_codes_are_16_unambiguous_characters_and_differ() -> None:
    codes = {random_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(c) == 16 and not set(c) & set("ILOU") for c in codes)


def test_codes_made_in_a_batch_are_like_codes_made_one_at_a_time() -> None:
    codes = random_codes(5000)
    assert len(set(codes)) == 5000
    assert all(code_normalise(c) == c for c in codes)
    assert random_codes(0) == []
    # Every character turns up about as often (80 random bits: 5 a character).
    counts = Counter("".join(codes))
    assert set(counts) == set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    each = 5000 * 16 / 32  # 2,500, give or take 50
    assert 0.9 * each < min(counts.values()) <= max(counts.values()) < 1.1 * each


def test_hashing_many_codes_gives_each_code_its_own_hash() -> None:
    codes = [random_code() for _ in range(50)]
    hasher = CodeHasher()
    assert codes_hash(codes) == hasher.hash_many(codes)
    assert hasher.hash_many(codes) == [hasher.hash(c) for c in codes]
    assert [hasher.candidates(c)[0] for c in codes] == hasher.hash_many(codes)


def test_what_people_type_is_forgiven_case_spaces_dashes_and_look_alikes() -> None:
    code = "0123456789ABCDEF"
    assert code_format(code) == "0123-4567-89AB-CDEF"
    for typed in (
        "0123-4567-89ab-cdef",
        " o123 4567 89AB CDEF ",
        "OI23-4567-89AB-CDEF",
    ):
        assert code_normalise(typed) == code
    assert code_normalise("0123-4567-89AB-CDE") is None  # too short
    assert code_normalise("0123-4567-89AB-CDEU") is None  # U is not used


def test_a_rotated_secret_key_still_recognises_codes(settings) -> None:
    code = random_code()
    old = CodeHasher().hash(code)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key"
    hasher = CodeHasher()
    assert hasher.hash(code) != old
    assert old in hasher.candidates(code)


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (
            datetime.datetime(2026, 3, 12, 17, 0, tzinfo=LONDON),
            "5pm on Thursday 12 March 2026",
        ),
        (
            datetime.datetime(2026, 3, 12, 9, 30, tzinfo=LONDON),
            "9:30am on Thursday 12 March 2026",
        ),
        (
            datetime.datetime(2026, 3, 12, 12, 0, tzinfo=LONDON),
            "midday on Thursday 12 March 2026",
        ),
        (
            datetime.datetime(2026, 3, 13, 0, 0, tzinfo=LONDON),
            "midnight at the end of Thursday 12 March 2026",
        ),
        # British Summer Time: 16:00 UTC is 5pm in London.
        (
            datetime.datetime(2026, 7, 1, 16, 0, tzinfo=datetime.UTC),
            "5pm on Wednesday 1 July 2026",
        ),
    ],
)
def test_times_are_written_as_people_in_the_uk_read_them(moment, written) -> None:
    assert uk_datetime(moment) == written
