"""PDFs from HTML, through WeasyPrint.

WeasyPrint looks up and loads the fonts a document uses each time unless it is given
a ``FontConfiguration`` to keep them in; kept, a one-page notice renders in about
half the time (0.12 s rather than 0.22 s here), which counts when a ballot's notices
go to 200 employers. One is kept per thread: WeasyPrint does not say that one may be
shared between threads rendering at once.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

_local = threading.local()


def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def pdf_from_html(html: str, *, base_url: str | None = None) -> bytes:
    """A PDF of ``html``."""
    from weasyprint import HTML

    config = _font_config()
    document = HTML(string=html, base_url=base_url)
    return bytes(document.write_pdf(font_config=config))


def pdfs_from_html(htmls: Sequence[str], *, jobs: int | None = None) -> Iterator[bytes]:
    """PDFs of ``htmls``, in order, laid out by ``jobs`` processes at once (default:
    one for each CPU). WeasyPrint's layout is pure Python and holds the interpreter,
    so threads would not help; separate processes do, in proportion to the cores.
    The processes are started afresh (not forked), need nothing of Django and end
    when the last PDF is made."""
    jobs = min(jobs or os.cpu_count() or 1, len(htmls))
    if jobs <= 1:
        yield from (pdf_from_html(html) for html in htmls)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(pdf_from_html, htmls, chunksize=4)
