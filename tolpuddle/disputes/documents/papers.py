"""The postal voting papers (s.229, s.230): one for each elector, numbered, with the
elector's name and home address; and the mail merge file for the independent
scrutineer, who prints and posts them where the union does not.

Large electorates are made in batches: ``selectors.voting_paper_batches`` splits the
numbered papers employer by employer into runs of at most 500 papers (by number),
and ``voting_papers_pdf`` renders one run as one PDF. WeasyPrint holds a whole
document in memory while it lays it out (about 0.5 MB and 50 ms a page on this
machine), so a batch is bounded in both: 500 papers take about 25 seconds and
250 MB. Batches are independent, so several workers can make them at once
(``tolpuddle voting_papers --batch N``). The CSV streams row by row from the
database and suits any size.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.template.loader import render_to_string

from tolpuddle.disputes import selectors
from tolpuddle.disputes.documents.common import file_slug, pdf_from_html
from tolpuddle.disputes.documents.preparation import voting_paper
from tolpuddle.disputes.models import Ballot

CSV_COLUMNS = (
    "paper_number",
    "name",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "employer",
    "workplace",
)
_ROW_FIELDS = (
    "paper_number",
    "membership__person__title",
    "membership__person__first_name",
    "membership__person__last_name",
    "membership__person__address_line_1",
    "membership__person__address_line_2",
    "membership__person__town",
    "membership__person__postcode",
    "employer__name",
    "workplace__name",
)


@dataclass(frozen=True)
class Elector:
    """What one voting paper prints of its elector."""

    number: str
    name: str
    address: list[str]  # the name, then the lines of the home address


def number_width(*, ballot: Ballot) -> int:
    """Paper numbers are printed with at least six digits, all the same width."""
    _count, _first, last = selectors.voting_paper_numbers(ballot=ballot)
    return max(6, len(str(last)))


def _name(title: str, first: str, last: str) -> str:
    return " ".join(part for part in (title, first, last) if part)


def _rows(
    ballot: Ballot, batch: selectors.PaperBatch | None
) -> Iterator[tuple[str, ...]]:
    width = number_width(ballot=ballot)
    rows = (
        selectors.voting_paper_electors(ballot=ballot, batch=batch)
        .values_list(*_ROW_FIELDS)
        .iterator(chunk_size=2000)
    )
    for (
        number,
        title,
        first,
        last,
        line_1,
        line_2,
        town,
        postcode,
        employer,
        place,
    ) in rows:
        yield (
            f"{number:0{width}d}",
            _name(title, first, last),
            line_1,
            line_2,
            town,
            postcode,
            employer,
            place or "",
        )


def voting_papers_pdf(*, ballot: Ballot, batch: selectors.PaperBatch) -> bytes:
    """The voting papers of one batch, one A4 page each, as one PDF."""
    electors = [
        Elector(
            number=number,
            name=name,
            address=[part for part in (name, line_1, line_2, town, postcode) if part],
        )
        for number, name, line_1, line_2, town, postcode, _employer, _place in _rows(
            ballot, batch
        )
    ]
    html = render_to_string(
        "disputes/voting_papers_pdf.html",
        {
            "paper": voting_paper(ballot=ballot),
            "electors": electors,
            "first": electors[0].number if electors else "",
            "last": electors[-1].number if electors else "",
        },
    )
    return pdf_from_html(html)


def voting_papers_csv(*, ballot: Ballot, out: IO[str]) -> int:
    """Write the scrutineer's mail merge to ``out`` (opened with ``newline=""``):
    a header, then one row for each numbered paper, in number order. Returns the
    number of papers."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    written = 0
    for row in _rows(ballot, None):
        writer.writerow(row)
        written += 1
    return written


def batch_file_name(*, ballot: Ballot, batch: selectors.PaperBatch) -> str:
    """papers-<ballot>-<employer>-<first>-<last>.pdf"""
    width = number_width(ballot=ballot)
    return (
        f"papers-{ballot.pk}-{file_slug(batch.employer_name)}-"
        f"{batch.first:0{width}d}-{batch.last:0{width}d}.pdf"
    )


def voting_papers_write(
    *,
    ballot: Ballot,
    directory: Path,
    size: int = 500,
    only: int | None = None,
    on_batch: Callable[[int, int, Path], None] | None = None,
) -> list[Path]:
    """Write every batch's PDF (or only batch number ``only``, counting from 1) and
    the mail merge CSV into ``directory``; the files written. ``on_batch(n, of,
    path)`` is called after each PDF."""
    directory.mkdir(parents=True, exist_ok=True)
    batches = selectors.voting_paper_batches(ballot=ballot, size=size)
    written = []
    for number, batch in enumerate(batches, start=1):
        if only is not None and number != only:
            continue
        path = directory / batch_file_name(ballot=ballot, batch=batch)
        path.write_bytes(voting_papers_pdf(ballot=ballot, batch=batch))
        written.append(path)
        if on_batch is not None:
            on_batch(number, len(batches), path)
    if only is None:
        path = directory / f"papers-{ballot.pk}-mail-merge.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            voting_papers_csv(ballot=ballot, out=out)
        written.append(path)
    return written
