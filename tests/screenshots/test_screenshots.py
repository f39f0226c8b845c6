"""Screenshots of the main pages, for people who want to see Tolpuddle before
installing it: `make screenshots` writes them to docs/screenshots/.

Skipped unless TOLPUDDLE_SCREENSHOTS names the folder to write to. Builds a small
demo union, signs in as the demo's sign-ins through the real pages (with the demo's
authenticator key where a second factor is needed) and saves each page at a
1280-pixel-wide window, reduced to 256 colours to keep the files small.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from tests.browser.helpers import current_code
from tolpuddle.core.models import User
from tolpuddle.members import demo
from tolpuddle.members.models import Branch, Employer, Membership, MembershipStatus

OUTPUT = os.environ.get("TOLPUDDLE_SCREENSHOTS", "")
WIDTH, HEIGHT = 1280, 800
MAX_HEIGHT = 4000
DEMO_MEMBERS = 300

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not OUTPUT, reason="set TOLPUDDLE_SCREENSHOTS=docs/screenshots to take them"
    ),
]


def save(page: Any, name: str, *, full_page: bool = True) -> None:
    """Write ``name``.png, quantised to a palette (text stays sharp; the file
    shrinks to a fraction)."""
    from PIL import Image

    folder = Path(OUTPUT)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    if full_page:
        # Wagtail's admin scrolls inside its own panel, not the document, so
        # Playwright's full_page sees one window's height: grow the window to the
        # tallest scrolling content instead.
        height = page.evaluate(
            "Math.max(...Array.from(document.querySelectorAll('*'), e => e.scrollHeight))"
        )
        page.set_viewport_size(
            {"width": WIDTH, "height": min(max(height, HEIGHT), MAX_HEIGHT)}
        )
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.FASTOCTREE
        )
    small.save(path, optimize=True)


def new_page(browser: Any) -> Any:
    context = browser.new_context(
        locale="en-GB",
        viewport={"width": WIDTH, "height": HEIGHT},
        device_scale_factor=1,
        reduced_motion="reduce",
    )
    return context.new_page()


def sign_in_demo(page: Any, base_url: str, username: str, *, next_url: str) -> None:
    """Sign in as one of the demo's sign-ins, with the second factor if it has one."""
    email = User.objects.get(username=username).email
    page.goto(f"{base_url}/sign-in/?next={next_url}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/account/2fa/authenticate/" in page.url:
        page.get_by_label("Code").fill(current_code(demo.DEMO_TOTP_SECRET))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/account/2fa/authenticate/" not in url)


def test_screenshots_of_the_main_pages(live_server, browser):
    call_command("demo", members=DEMO_MEMBERS, verbosity=0)
    base = live_server.url

    # Public pages.
    visitor = new_page(browser)
    visitor.goto(base + "/")
    save(visitor, "home")
    visitor.goto(base + "/join/")
    save(visitor, "join")
    visitor.goto(base + "/sign-in/")
    save(visitor, "sign-in")
    visitor.context.close()

    # A member's portal, and where they would set up two-factor sign-in.
    member = new_page(browser)
    sign_in_demo(member, base, "member", next_url="/my/")
    save(member, "my-membership")
    member.goto(base + "/account/2fa/totp/activate/")
    if member.get_by_role("button", name="Confirm").count():
        # allauth asks for the password again before changing how one signs in.
        member.get_by_label("Password").fill(demo.DEMO_PASSWORD)
        member.get_by_role("button", name="Confirm").click()
        member.wait_for_load_state()
    save(member, "two-factor-setup")
    member.context.close()

    # The back office, as HQ membership staff.
    staff = new_page(browser)
    sign_in_demo(staff, base, "membership", next_url="/admin/")
    staff.goto(base + "/admin/")
    save(staff, "backoffice-dashboard")

    branch = Branch.objects.get(name=demo.SIGNIN_BRANCH)
    staff.goto(f"{base}/admin/members/?branch={branch.pk}&status=active")
    save(staff, "members-list")

    busiest = (
        Membership.objects.filter(status=MembershipStatus.ACTIVE)
        .annotate(jobs=Count("employments"), entries=Count("events", distinct=True))
        .order_by("-jobs", "-entries", "pk")
        .first()
    )
    staff.goto(f"{base}/admin/members/{busiest.pk}/")
    save(staff, "member-page")

    staff.goto(base + "/admin/applications/")
    save(staff, "applications")
    staff.get_by_role("table").get_by_role("link").first.click()
    staff.wait_for_load_state()
    save(staff, "application-detail")

    # A bulk transfer's preview, from an employer with a few workplaces and
    # several members (the largest have hundreds of workplaces to tick).
    employers = Employer.objects.annotate(
        current=Count(
            "employments", filter=Q(employments__ended_on=None), distinct=True
        ),
        sites=Count("workplaces", distinct=True),
    )
    source = employers.filter(current__gte=5).order_by("sites", "-current", "name")[0]
    others = employers.exclude(pk=source.pk).order_by("-current", "name")
    destination = others.filter(nation=source.nation).first() or others.first()
    staff.goto(f"{base}/admin/transfers/?from_employer={source.pk}")
    staff.get_by_label("Employer they move to").select_option(label=destination.name)
    staff.get_by_label("Date of the transfer").fill("01/04/2027")
    staff.get_by_label("Note for each member's history (optional)").fill(
        "TUPE transfer"
    )
    staff.get_by_role("button", name="Preview").click()
    staff.get_by_role("heading", name=re.compile("^Preview")).wait_for()
    save(staff, "bulk-transfer-preview")

    staff.goto(base + "/admin/imports/")
    save(staff, "import")

    staff.goto(f"{base}/admin/positions/?branch={branch.pk}")
    save(staff, "positions")
    staff.goto(base + "/admin/access-log/")
    save(staff, "access-log")
    staff.context.close()
