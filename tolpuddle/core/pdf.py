"""PDFs from HTML, through WeasyPrint.

WeasyPrint looks up and loads the fonts a document uses each time unless it is given
a ``FontConfiguration`` to keep them in; kept, a one-page notice renders in about
half the time (0.12 s rather than 0.22 s here), which counts when a ballot's notices
go to 200 employers. One is kept per thread: WeasyPrint does not say that one may be
shared between threads rendering at once.
"""

from __future__ import annotations

import threading
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
