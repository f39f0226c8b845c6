"""Back office: the dashboard on the admin home page.

Members in good standing by branch, region and employer, and joiners and leavers by
month for the last 24 months (a bar chart drawn on the server, with the figures in a
table). HQ sees the whole union; a branch officer or rep sees their own branches.
The figures come from the selectors' aggregate queries and are cached per scope for
``CACHE_SECONDS``, so a page load does not count a million members each time.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import dateformat, timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from tolpuddle.members import selectors
from tolpuddle.members.selectors import CountRow, RegisterScope

CACHE_SECONDS = 5 * 60
MONTHS = 24
TOP_EMPLOYERS = 20

# The chart's geometry, in SVG user units (it scales to the panel's width).
CHART_WIDTH = 760
CHART_HEIGHT = 300
PLOT_LEFT = 64
PLOT_RIGHT = 12
PLOT_TOP = 40
PLOT_BOTTOM = 56


@dataclass(frozen=True)
class Month:
    first_day: datetime.date
    joiners: int
    leavers: int

    @property
    def label(self) -> str:
        """As the UK writes a month: "Nov 2026"."""
        return dateformat.format(self.first_day, "M Y")


@dataclass(frozen=True)
class Figures:
    """What the dashboard shows for one scope, as plain data (it is cached)."""

    total: int
    by_branch: list[CountRow]
    by_region: list[CountRow]
    by_employer: list[CountRow]
    months: list[Month]
    computed_at: datetime.datetime
    branch_names: list[str] = field(default_factory=list)


def _months_back(today: datetime.date, count: int) -> datetime.date:
    """The first day of the month ``count - 1`` months before ``today``'s month."""
    index = today.year * 12 + (today.month - 1) - (count - 1)
    return datetime.date(index // 12, index % 12 + 1, 1)


def _top_employers(rows: list[CountRow]) -> list[CountRow]:
    """The ``TOP_EMPLOYERS`` largest employers, then one row for all the others."""
    ranked = sorted(rows, key=lambda r: (-r.count, r.label))
    top, rest = ranked[:TOP_EMPLOYERS], ranked[TOP_EMPLOYERS:]
    if rest:
        top.append(
            CountRow(
                None,
                f"Other employers ({len(rest)})",
                sum(r.count for r in rest),
            )
        )
    return top


def _cache_key(branch_ids: frozenset[int] | None, today: datetime.date) -> str:
    scope = "all" if branch_ids is None else ",".join(map(str, sorted(branch_ids)))
    return f"backoffice:dashboard:v1:{scope}:{today.isoformat()}"


def dashboard_figures(*, scope: RegisterScope) -> Figures | None:
    """The figures ``scope`` may see: the union's for HQ, their branches' for an
    officer or rep, None for anyone who sees no branch. Cached per scope."""
    if scope.see_all:
        branch_ids: frozenset[int] | None = None
    elif scope.see_branch_ids:
        branch_ids = scope.see_branch_ids
    else:
        return None
    today = timezone.localdate()
    key = _cache_key(branch_ids, today)
    cached: Figures | None = cache.get(key)
    if cached is not None:
        return cached
    by_branch = selectors.membership_counts(by="branch", branch_ids=branch_ids)
    by_region = selectors.membership_counts(by="region", branch_ids=branch_ids)
    by_employer = selectors.membership_counts(by="employer", branch_ids=branch_ids)
    months = [
        Month(first_day, joiners, leavers)
        for first_day, joiners, leavers in selectors.joiners_and_leavers_by_month(
            start=_months_back(today, MONTHS), end=today, branch_ids=branch_ids
        )
    ]
    figures = Figures(
        total=sum(row.count for row in by_branch),
        by_branch=by_branch,
        by_region=by_region,
        by_employer=_top_employers(by_employer),
        months=months,
        computed_at=timezone.now(),
        branch_names=[] if branch_ids is None else [r.label for r in by_branch],
    )
    cache.set(key, figures, CACHE_SECONDS)
    return figures


# --- The chart ----------------------------------------------------------------------


def _nice_step(top: int, ticks: int = 4) -> int:
    """A round step (1, 2, 5, 10, 20, 50...) giving about ``ticks`` gridlines."""
    if top <= ticks:
        return 1
    rough = top / ticks
    power = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= rough:
            return int(multiple * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def chart(months: list[Month]) -> dict[str, Any]:
    """Coordinates for the joiners-and-leavers bar chart, for the template."""
    plot_width = CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_height = CHART_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    highest = max([1, *(m.joiners for m in months), *(m.leavers for m in months)])
    step = _nice_step(highest)
    top = math.ceil(highest / step) * step
    base = PLOT_TOP + plot_height

    def height(value: int) -> float:
        return round(plot_height * value / top, 1)

    slot = plot_width / max(len(months), 1)
    bar = round(slot * 0.36, 1)
    groups = []
    for index, month in enumerate(months):
        left = PLOT_LEFT + index * slot + slot * 0.14
        groups.append(
            {
                "month": month,
                "joiners": {
                    "x": round(left, 1),
                    "y": round(base - height(month.joiners), 1),
                    "height": height(month.joiners),
                },
                "leavers": {
                    "x": round(left + bar, 1),
                    "y": round(base - height(month.leavers), 1),
                    "height": height(month.leavers),
                },
                "label_x": round(PLOT_LEFT + (index + 0.5) * slot, 1),
                # Every third month is labelled, and the last, so labels never collide.
                "labelled": index % 3 == 0 or index == len(months) - 1,
            }
        )
    gridlines = [
        {"value": value, "y": round(base - height(value), 1)}
        for value in range(0, top + 1, step)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": PLOT_LEFT,
        "right": CHART_WIDTH - PLOT_RIGHT,
        "base": base,
        "bar": bar,
        "groups": groups,
        "gridlines": gridlines,
        "label_y": base + 18,
        "axis_title_x": -(PLOT_TOP + plot_height / 2),
        "first": months[0].label if months else "",
        "last": months[-1].label if months else "",
    }


# --- The panel ----------------------------------------------------------------------


class MembershipFiguresPanel(Component):  # type: ignore[misc]
    name = "membership_figures"
    template_name = "backoffice/dashboard/figures_panel.html"
    order = 10

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        scope = selectors.register_scope_for(user=self.request.user)
        figures = dashboard_figures(scope=scope)
        return {
            "figures": figures,
            "whole_union": scope.see_all,
            "chart": chart(figures.months) if figures else None,
            "cache_minutes": CACHE_SECONDS // 60,
        }


@hooks.register("construct_homepage_panels")  # type: ignore[untyped-decorator]
def add_membership_figures(request: HttpRequest, panels: list[Component]) -> None:
    """Replace Wagtail's page-editing panels (this site has no pages) with ours."""
    panels[:] = [p for p in panels if not type(p).__module__.startswith("wagtail.")]
    panels.append(MembershipFiguresPanel(request))


@hooks.register("construct_homepage_summary_items")  # type: ignore[untyped-decorator]
def remove_page_summary(request: HttpRequest, items: list[Component]) -> None:
    """Wagtail's counts of pages, images and documents mean nothing here."""
    items[:] = [i for i in items if not type(i).__module__.startswith("wagtail.")]
