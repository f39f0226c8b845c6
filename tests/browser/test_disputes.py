"""Industrial action in Chromium, from the dispute to the notice of action: HQ staff
record a dispute, create a ballot over it, freeze the electorate, give the employer
the notice of ballot and a sample voting paper (s.226A), open the ballot, number and
print the voting papers, record the scrutineer's result, tell the members and the
employer (s.231, s.231A) and give notice of industrial action (s.234A) within the
mandate (s.234). Signed in through the real pages, with a second factor.

The days are fixed and the clock moved with time-machine, as the disputes tests do:
it patches the process, so the live server's thread is on the test's day. Each move
is of days, longer than a back-office session lasts, so Jo signs in again after it."""

from __future__ import annotations

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.helpers import (
    assert_plain_accessible_page,
    give_authenticator,
    sign_in_with_code,
    verified_user,
)
from tolpuddle.disputes.models import (
    ActionNotice,
    Ballot,
    BallotNotice,
    BallotStatus,
    Dispute,
    ResultNotice,
)
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    PersonFactory,
    WorkplaceFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Ballots opening in 2027 are under the Employment Rights Act 2025's first stage
# (the second has no day set): notice of ballot by the seventh day before the
# opening day, 50% turnout, a 12-month mandate, 10 days' notice of action.
FIRST_DAY = datetime.date(2027, 1, 11)  # Monday: the dispute, the ballot, its notices
OPENING = datetime.date(2027, 1, 25)  # Monday
CLOSING = datetime.date(2027, 2, 22)  # Monday
DECLARED = datetime.date(2027, 2, 23)  # Tuesday: the scrutineer's result
STRIKE_DAYS = (datetime.date(2027, 3, 8), datetime.date(2027, 3, 9))
MANDATE_LAST_DAY = datetime.date(2028, 2, 21)  # 12 months beginning with CLOSING


def uk(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def long(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def morning(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(9), tzinfo=ZoneInfo("Europe/London")
    )


def pdf_text(download) -> tuple[str, int]:
    """The words of a downloaded PDF, whitespace evened out, and its page count."""
    with open(download.path(), "rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    return text, len(reader.pages)


def test_hq_staff_take_a_dispute_from_its_ballot_to_a_notice_of_action(
    live_server, page
):
    with time_machine.travel(morning(FIRST_DAY), tick=True) as clock:
        probation = EmployerFactory(name="Probation Service")
        EmployerFactory(name="Cafcass")
        leeds = WorkplaceFactory(employer=probation, name="Leeds")
        for first, last in (("Ada", "Nield"), ("Bob", "Crow")):
            EmploymentFactory(
                membership=MembershipFactory(
                    person=PersonFactory(
                        first_name=first,
                        last_name=last,
                        address_line_1="1 Park Row",
                        town="Leeds",
                        postcode="LS1 5HD",
                    )
                ),
                employer=probation,
                workplace=leeds,
                job_category="Probation officer",
                started_on=datetime.date(2022, 1, 4),
            )
        staff = verified_user(email="jo@example.org", is_staff=True, first_name="Jo")
        staff.groups.add(Group.objects.get(name="Membership staff"))
        secret = give_authenticator(staff)

        def sign_in_again(next_url: str) -> None:
            """A session lasts a working day: days later, Jo signs in again."""
            sign_in_with_code(
                page, live_server.url, "jo@example.org", secret, next_url=next_url
            )

        # Monday 11 January 2027: the dispute, the ballot and its electorate.
        sign_in_again("/admin/disputes/")
        page.get_by_role("link", name="Record a dispute").click()
        page.get_by_label("Title").fill("Pay 2027")
        page.get_by_label("Summary of the matters in issue").fill(
            "The employer's refusal to pay the pay award in full."
        )
        page.get_by_label("Began on").fill(uk(FIRST_DAY - datetime.timedelta(days=30)))
        page.get_by_label("Probation Service").check()
        page.get_by_role("button", name="Record the dispute").click()
        expect(
            page.get_by_text("The dispute “Pay 2027” has been recorded.")
        ).to_be_visible()

        page.get_by_role("link", name="Create a ballot").click()
        page.get_by_label("Title").fill("Ballot for strike action")
        page.get_by_label(
            "Ask whether members are prepared to take part in a strike"
        ).check()
        page.get_by_label("Opening day").fill(uk(OPENING))
        page.get_by_label("Closing day").fill(uk(CLOSING))
        page.get_by_label("Address for the return of voting papers").fill(
            "Freepost RTKA-XYZA, London SE1 1AA"
        )
        page.get_by_label("Person authorised to call action").fill(
            "The General Secretary"
        )
        page.get_by_role("button", name="Create the ballot").click()
        expect(page.get_by_role("heading", name="Timetable")).to_be_visible()
        notice_by = OPENING - datetime.timedelta(days=7)
        expect(
            page.locator(".timetable-list").get_by_text(long(notice_by))
        ).to_be_visible()
        expect(page.locator(f'td[data-date="{notice_by:%Y-%m-%d}"]')).to_contain_text(
            "Notice of ballot by"
        )
        ballot_url = page.url

        page.get_by_role("link", name="Electorate", exact=True).click()
        page.get_by_role("button", name="Freeze the electorate").click()
        expect(
            page.get_by_text(re.compile(r"The electorate is frozen as at"))
        ).to_be_visible()
        expect(page.locator("#included-count")).to_have_text("2")
        expect(page.get_by_role("rowheader", name="Ada Nield")).to_be_visible()

        # The notice of ballot and the sample voting paper, given the same day: in
        # time for the seventh and the third day before the opening day.
        page.get_by_role("link", name="Notices to employers").click()
        page.get_by_role("button", name="Prepare the notices").click()
        expect(page.get_by_text("1 notice of ballot prepared")).to_be_visible()
        assert_plain_accessible_page(page, title="Notices to employers")
        expect(
            page.get_by_text("Total number of employees concerned: 2")
        ).to_be_visible()
        with page.expect_download() as download_info:
            page.get_by_role(
                "link", name="PDF of the notice to Probation Service"
            ).click()
        download = download_info.value
        assert download.suggested_filename.endswith("probation-service.pdf")
        text, _pages = pdf_text(download)
        assert "NOTICE OF BALLOT" in text.upper()
        assert "Total number of employees concerned: 2" in text

        for what, button in (
            ("notice of ballot", "Record the notice as given"),
            ("sample voting paper", "Record the sample paper as given"),
        ):
            form = page.locator("form").filter(
                has=page.get_by_role("button", name=button)
            )
            form.get_by_label("Day the employer received it").fill(uk(FIRST_DAY))
            form.get_by_role("button", name=button).click()
            expect(
                page.get_by_text(
                    f"The {what} is recorded as given to Probation Service on "
                    "11 January 2027."
                )
            ).to_be_visible()
        expect(
            page.get_by_text(re.compile(rf"^Given on {long(FIRST_DAY)} .*, in time\.$"))
        ).to_have_count(2)

        # Monday 25 January 2027, the opening day: open the ballot and print the
        # voting papers.
        clock.move_to(morning(OPENING))
        sign_in_again(ballot_url.removeprefix(live_server.url))
        assert_plain_accessible_page(page, title="Ballot for strike action")
        page.get_by_role("button", name="Open the ballot for voting").click()
        expect(
            page.get_by_text(
                "The ballot “Ballot for strike action” is open for voting."
            )
        ).to_be_visible()

        page.get_by_role("link", name="Voting and result", exact=True).click()
        assert_plain_accessible_page(page, title="Voting and result")
        page.get_by_role("button", name="Number the voting papers").click()
        expect(
            page.get_by_text("2 voting papers are numbered, from 1 to 2.")
        ).to_be_visible()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="PDF of batch 1, papers 1 to 2").click()
        text, pages = pdf_text(download_info.value)
        assert pages == 2  # one A4 page a member, with the number, name and address
        assert "000001" in text
        assert "Ada Nield" in text
        assert "1 Park Row" in text
        assert "Freepost RTKA-XYZA" in text  # where to return it

        # Tuesday 23 February 2027, the day after the closing day: the scrutineer's
        # result, the mandate it gives, and the result to the members and the
        # employer.
        clock.move_to(morning(DECLARED))
        sign_in_again(page.url.removeprefix(live_server.url))
        page.get_by_role("link", name="Record the result").click()
        assert_plain_accessible_page(page, title="Record the result")
        page.get_by_label("Day the result was declared").fill(uk(DECLARED))
        page.get_by_label("Entitled to vote").fill("2")
        page.get_by_label("Question 1, answering Yes").fill("2")
        page.get_by_label("Question 1, answering No").fill("0")
        page.get_by_label("Question 1, of spoiled or invalid papers").fill("0")
        page.get_by_role("button", name="Record the result").click()
        expect(
            page.get_by_text(
                "The result of “Ballot for strike action” is recorded: it gives a "
                "mandate for industrial action."
            )
        ).to_be_visible()
        assert_plain_accessible_page(page, title="Voting and result")
        result = page.locator("section.result")
        expect(result.get_by_role("row", name="Turnout test")).to_contain_text(
            "At least 50% of those entitled must vote: met"
        )
        expect(result.get_by_role("row", name="Outcome")).to_contain_text(
            "A mandate for industrial action"
        )
        expect(
            page.get_by_text(
                f"Its last day is {long(MANDATE_LAST_DAY)} (364 days left, counting "
                "today)."
            )
        ).to_be_visible()

        page.get_by_role(
            "button", name="Send the result to the 2 members entitled to vote"
        ).click()
        expect(
            page.get_by_text("Sent on 23 February 2027 to 2 of 2 members.")
        ).to_be_visible()

        page.get_by_role("link", name="The result as given to each employer").click()
        assert_plain_accessible_page(page, title="The result to employers")
        page.get_by_label("Day the employer received it").fill(uk(DECLARED))
        page.get_by_role(
            "button", name="Record the result as given to Probation Service"
        ).click()
        expect(
            page.get_by_text(
                "The result is recorded as given to Probation Service on "
                "23 February 2027."
            )
        ).to_be_visible()

        # The notice of industrial action: received today, it allows action from
        # the tenth day after, Friday 5 March; the strike is on 8 and 9 March.
        page.get_by_role("link", name="Mandate and action").click()
        assert_plain_accessible_page(page, title="Mandate and action")
        expect(page.get_by_text(long(MANDATE_LAST_DAY))).to_be_visible()
        expect(
            page.get_by_text(
                "Each employer must receive it 10 days before the first day of action"
            )
        ).to_be_visible()
        page.get_by_role("link", name="Prepare a notice to Probation Service").click()
        assert_plain_accessible_page(
            page, title="Prepare a notice of industrial action"
        )
        expect(page.get_by_label("Employer")).to_have_value(str(probation.pk))
        expect(
            page.get_by_text("the first day of action may be Friday 5 March 2027")
        ).to_be_visible()
        page.get_by_label("Discontinuous: on particular days").check()
        page.get_by_label("Discontinuous action: the days of action").fill(
            "\n".join(uk(day) for day in STRIKE_DAYS)
        )
        page.get_by_role("button", name="Prepare the notice").click()
        expect(
            page.get_by_text(
                "The notice of industrial action to Probation Service is prepared"
            )
        ).to_be_visible()
        assert_plain_accessible_page(page, title="Notice of industrial action")
        expect(
            page.get_by_text(
                "Probation Service must receive it by Friday 26 February 2027"
            )
        ).to_be_visible()

        with page.expect_download() as download_info:
            page.get_by_role(
                "link",
                name="PDF of the notice of industrial action to Probation Service",
            ).click()
        download = download_info.value
        assert download.suggested_filename == (
            f"notice-of-action-{Ballot.objects.get().pk}-probation-service-"
            "2027-03-08.pdf"
        )
        text, _pages = pdf_text(download)
        for statement in (
            "Notice of industrial action",
            # s.234A(1), (3): given for the section's purposes, by the union
            "This notice is given for the purposes of section 234A of the Trade "
            "Union and Labour Relations (Consolidation) Act 1992.",
            # s.234A(3)(a), (3A): the affected employees, the lists, total, numbers
            # and how they were arrived at
            "Total number of affected employees: 2",
            "Probation officer",
            "Leeds",
            "as accurate as is reasonably practicable",
            # s.234A(3)(b): discontinuous, and its dates
            "The industrial action is intended to be discontinuous.",
            "Monday 8 March 2027",
            "Tuesday 9 March 2027",
            # s.234A(3)(c) as the 2025 Act has it: whether each date is a strike
            "The action on each of these dates is a strike.",
        ):
            assert statement in text, (statement, text)

        page.get_by_label("Day the employer received it").fill(uk(DECLARED))
        page.get_by_role(
            "button", name="Record the notice as given to Probation Service"
        ).click()
        expect(
            page.get_by_text(
                "The notice of industrial action is recorded as given to Probation "
                "Service on 23 February 2027."
            )
        ).to_be_visible()
        expect(
            page.get_by_text(
                "13 days before the first day of action, Monday 8 March 2027: it "
                "needed 10 days\N{RIGHT SINGLE QUOTATION MARK} notice."
            )
        ).to_be_visible()

    ballot = Ballot.objects.get()
    assert ballot.dispute == Dispute.objects.get(title="Pay 2027")
    assert ballot.status == BallotStatus.CLOSED
    notice = BallotNotice.objects.get()
    assert (notice.given_on, notice.sample_paper_given_on) == (FIRST_DAY, FIRST_DAY)
    assert notice.content["total"] == 2
    assert ResultNotice.objects.get().given_on == DECLARED
    action = ActionNotice.objects.get()
    assert (action.employer, action.given_on, action.first_day) == (
        probation,
        DECLARED,
        STRIKE_DAYS[0],
    )
