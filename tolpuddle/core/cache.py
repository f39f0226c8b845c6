"""Cache generations: a number that moves on to make every key built from it stale."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction


def generation_current(key: str) -> int:
    """The generation kept under ``key`` (0 until it first moves on)."""
    return int(cache.get_or_set(key, 0, None) or 0)


def generation_forget(key: str) -> None:
    """Move the generation under ``key`` on, once the current transaction commits."""
    transaction.on_commit(lambda: _next(key))


def _next(key: str) -> None:
    cache.add(key, 0, None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between the two calls
        cache.set(key, 1, None)
