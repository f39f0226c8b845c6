"""The ballot_timetable and ballot_outcome commands, as other tools call them."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tolpuddle.ballot_law.models import BallotLawSettings

pytestmark = pytest.mark.django_db

TOLPUDDLE = str(Path(sys.executable).with_name("tolpuddle"))


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> dict:
    return json.loads(run(*args, "--json"))


# --- ballot_timetable ---------------------------------------------------------------


def test_timetable_json_has_the_keys_other_tools_read() -> None:
    data = run_json(
        "ballot_timetable", "--opening", "2025-06-02", "--closing", "2025-06-30"
    )

    assert data["regime"] == "tua-2016"
    assert {
        key: data[key]
        for key in (
            "opening",
            "closing",
            "ballot_notice_by",
            "sample_paper_by",
            "mandate_expires",
            "mandate_expires_if_extended",
            "action_notice_days",
        )
    } == {
        "opening": "2025-06-02",
        "closing": "2025-06-30",
        "ballot_notice_by": "2025-05-26",
        "sample_paper_by": "2025-05-30",
        "mandate_expires": "2025-12-29",
        "mandate_expires_if_extended": "2026-03-29",
        "action_notice_days": 14,
    }
    assert "earliest_action" not in data  # only with --notice-on
    assert data["cites"]["mandate_expires"] == "TULRCA s.234(1)(a)"
    assert data["regime_name"] == "Trade Union Act 2016"


def test_timetable_json_gives_the_earliest_action_when_the_notice_day_is_known() -> (
    None
):
    data = run_json(
        "ballot_timetable",
        "--opening=2026-02-18",
        "--closing=2026-03-04",
        "--result-on=2026-03-05",
        "--notice-on=2026-03-06",
    )

    assert (data["regime"], data["action_notice_days"], data["earliest_action"]) == (
        "era-2025-stage-1",
        10,
        "2026-03-16",
    )
    assert data["mandate_expires_if_extended"] is None
    assert data["earliest_action_by_agreement"] is None
    assert data["result_on"] == "2026-03-05"


def test_timetable_follows_the_stage_2_setting() -> None:
    args = ("ballot_timetable", "--opening", "2027-02-01", "--closing", "2027-02-15")
    assert run_json(*args)["regime"] == "era-2025-stage-1"

    BallotLawSettings.objects.create(stage_2_from=datetime.date(2027, 1, 1))

    assert run_json(*args)["regime"] == "era-2025-stage-2"


def test_timetable_table_writes_dates_as_people_in_the_uk_do() -> None:
    table = run(
        "ballot_timetable",
        "--opening",
        "2025-06-02",
        "--closing",
        "2025-06-30",
        "--notice-on",
        "2025-07-03",
    )

    assert "Monday 29 December 2025" in table
    assert "Earliest day of action          Thursday 17 July 2025" in table
    assert "14 days (7 by agreement)" in table
    assert "{" not in table


def test_timetable_table_shows_the_old_mandate_limits_only_the_start() -> None:
    table = run(
        "ballot_timetable", "--opening", "2013-05-01", "--closing", "2013-05-15"
    )

    assert "Before the Trade Union Act 2016 (pre-2016)" in table
    assert "Tuesday 11 June 2013" in table  # four weeks beginning Wednesday 15 May
    assert "Warning: Under this regime the mandate's last day" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--opening", "2025-6-2", "--closing", "2025-06-30"],
            "--opening must be a date written YYYY-MM-DD",
        ),
        (["--opening", "02/06/2025", "--closing", "2025-06-30"], "YYYY-MM-DD"),
        (["--opening", "20250602", "--closing", "2025-06-30"], "YYYY-MM-DD"),
        (
            ["--opening", "2025-02-30", "--closing", "2025-06-30"],
            "--opening is not a real date",
        ),
        (["--opening", "2025-06-02", "--closing", "2025-06-01"], "cannot close"),
        (
            [
                "--opening",
                "2025-06-02",
                "--closing",
                "2025-06-30",
                "--result-on",
                "2025-07-02",
                "--notice-on",
                "2025-07-01",
            ],
            "before the result is declared",
        ),
        (
            [
                "--opening",
                "2025-06-02",
                "--closing",
                "2025-06-30",
                "--notice-on",
                "tomorrow",
            ],
            "--notice-on must be",
        ),
    ],
)
def test_timetable_refuses_bad_input_with_one_clear_message(args, message) -> None:
    out = StringIO()
    with pytest.raises(CommandError, match=message) as refused:
        call_command("ballot_timetable", *args, "--json", stdout=out)

    assert "\n" not in str(refused.value)
    assert out.getvalue() == ""


# --- ballot_outcome -----------------------------------------------------------------

NAPO_2013 = ["--entitled", "1000", "--yes", "391", "--no", "69", "--spoiled", "0"]


def test_outcome_json_for_napos_figures_before_and_after_2017() -> None:
    then = run_json("ballot_outcome", "--opening", "2013-05-01", *NAPO_2013)
    now = run_json("ballot_outcome", "--opening", "2026-03-02", *NAPO_2013)

    assert then == then | {
        "regime": "pre-2016",
        "turnout": 0.46,
        "turnout_threshold": None,
        "turnout_threshold_met": None,
        "support_threshold": None,
        "support_threshold_met": None,
        "majority_yes": True,
        "mandate": True,
        "reasons": [],
    }
    assert now == now | {
        "regime": "era-2025-stage-1",
        "turnout": 0.46,
        "turnout_threshold": 0.5,
        "turnout_threshold_met": False,
        "support_threshold": None,
        "majority_yes": True,
        "mandate": False,
    }
    assert len(now["reasons"]) == 1 and "s.226(2)(a)(iia)" in now["reasons"][0]


def test_outcome_json_applies_the_40_percent_test_when_asked() -> None:
    args = [
        "--opening",
        "2019-01-07",
        "--entitled",
        "1000",
        "--yes",
        "399",
        "--no",
        "101",
        "--spoiled",
        "0",
    ]

    plain = run_json("ballot_outcome", *args)
    public_service = run_json("ballot_outcome", *args, "--important-public-service")

    assert (plain["support_threshold"], plain["mandate"]) == (None, True)
    assert (
        public_service["support_threshold"],
        public_service["support_threshold_met"],
        public_service["mandate"],
    ) == (0.4, False, False)


def test_outcome_summary_says_whether_there_is_a_mandate() -> None:
    summary = run("ballot_outcome", "--opening", "2018-01-08", *NAPO_2013)

    assert "Mandate:    NO" in summary
    assert "Turnout:    46%; 50% turnout test NOT met" in summary
    assert "40% support test does not apply" in summary


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (
            ["--entitled", "1000", "--yes", "-1", "--no", "0", "--spoiled", "0"],
            "answering Yes cannot be negative",
        ),
        (
            ["--entitled", "0", "--yes", "0", "--no", "0", "--spoiled", "0"],
            "No one was entitled",
        ),
        (
            ["--entitled", "10", "--yes", "8", "--no", "3", "--spoiled", "0"],
            "More papers were returned",
        ),
        (
            ["--entitled", "ten", "--yes", "8", "--no", "3", "--spoiled", "0"],
            "--entitled must be a whole number",
        ),
        (
            ["--entitled", "10", "--yes", "8.5", "--no", "0", "--spoiled", "0"],
            "--yes must be a whole number",
        ),
    ],
)
def test_outcome_refuses_inconsistent_figures(counts, message) -> None:
    out = StringIO()
    with pytest.raises(CommandError, match=message):
        call_command(
            "ballot_outcome", "--opening", "2018-01-08", *counts, "--json", stdout=out
        )

    assert out.getvalue() == ""


# --- The installed command, as another program runs it ------------------------------


def _env_for_the_test_database(settings) -> dict[str, str]:
    """A child process reads the test database itself (already migrated; the test's
    writes are committed because the test is transactional)."""
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        pytest.skip("the command-line check reads the test database through SQLite")
    return {
        "DATABASE_URL": f"sqlite:///{database['NAME']}",
        "PATH": "/usr/bin:/bin",
        "TOLPUDDLE_DATA_DIR": str(Path(database["NAME"]).parent),
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_real_command_prints_json_another_program_can_parse(settings) -> None:
    env = _env_for_the_test_database(settings)
    BallotLawSettings.objects.create(stage_2_from=datetime.date(2027, 1, 1))

    done = subprocess.run(
        [
            TOLPUDDLE,
            "ballot_timetable",
            "--opening",
            "2027-03-01",
            "--closing",
            "2027-03-15",
            "--notice-on",
            "2027-03-17",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["regime"], data["mandate_expires"], data["earliest_action"]) == (
        "era-2025-stage-2",
        "2028-03-14",
        "2027-03-27",
    )

    refused = subprocess.run(
        [
            TOLPUDDLE,
            "ballot_timetable",
            "--opening",
            "2027-03-15",
            "--closing",
            "2027-03-01",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert refused.returncode != 0
    assert refused.stdout == ""
    assert refused.stderr.strip().count("\n") == 0
    assert "cannot close" in refused.stderr


@pytest.mark.slow
def test_a_database_not_yet_migrated_gets_a_message_not_a_traceback(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "TOLPUDDLE_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [
            TOLPUDDLE,
            "ballot_timetable",
            "--opening",
            "2027-03-01",
            "--closing",
            "2027-03-15",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert done.returncode != 0
    assert done.stdout == ""
    assert "run `tolpuddle migrate` first" in done.stderr
    assert "Traceback" not in done.stderr
