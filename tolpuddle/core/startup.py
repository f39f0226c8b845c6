"""What a web process does once, after Django is set up and before it serves.

Python's collector of reference cycles, when it makes a full pass, walks every object
the process holds. A Django and Wagtail process holds about 200,000 objects from its
imports alone, none of them garbage, and at a million members that pass took 175 to
265 ms of a back-office request every fifty or so (measured: docs/benchmarks.md, "Back
office: the members list"). ``process_ready`` imports every view now rather than on the
first request, then moves what is held into the collector's permanent generation
(``gc.freeze``), so later passes walk only what requests have made since.
"""

from __future__ import annotations

import gc

from django.urls import get_resolver


def process_ready() -> None:
    """Import every URL's view, then freeze what the process holds out of the collector."""
    get_resolver().url_patterns  # noqa: B018 - evaluating it imports the views
    gc.collect()
    gc.freeze()
