"""The rule sets are data: complete, cited, in order, with stable keys."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from tolpuddle.ballot_law.calculations import Commencements
from tolpuddle.ballot_law.rules import REGIMES, REGIMES_BY_SLUG

SLUGS = ["pre-2016", "tua-2016", "era-2025-stage-1", "era-2025-stage-2"]


def test_the_regimes_are_in_order_of_commencement() -> None:
    assert [regime.slug for regime in REGIMES] == SLUGS
    assert REGIMES[0].starts_on is None and not REGIMES[0].starts_on_setting
    known = [regime.starts_on for regime in REGIMES[1:] if regime.starts_on]
    assert (
        known
        == sorted(known)
        == [datetime.date(2017, 3, 1), datetime.date(2026, 2, 18)]
    )


def test_a_regime_whose_start_is_a_setting_names_a_real_setting() -> None:
    settings_fields = {field.name for field in dataclasses.fields(Commencements)}
    with_setting = [regime for regime in REGIMES if regime.starts_on_setting]

    assert [regime.slug for regime in with_setting] == ["era-2025-stage-2"]
    assert {regime.starts_on_setting for regime in with_setting} <= settings_fields


@pytest.mark.parametrize("regime", REGIMES, ids=SLUGS)
def test_every_rule_and_every_statement_says_where_the_law_says_so(regime) -> None:
    assert regime.rules().keys() == REGIMES[0].rules().keys()
    for name, rule in regime.rules().items():
        assert rule.cites.strip(), name
        if rule.uncertain:
            assert rule.note.strip(), f"{name} is uncertain but does not say why"
    for label, statements in regime.documents().items():
        keys = [statement.key for statement in statements]
        assert len(keys) == len(set(keys)), f"{label} repeats a key"
        for statement in statements:
            assert statement.cites.strip() and statement.text.strip(), statement.key


VOTING_PAPER_CORE = {
    "scrutineer_name",
    "return_address_and_date",
    "consecutive_number",
    "questions",
    "authorised_person",
    "breach_of_contract_statement",
    "dismissal_protection_statement",
}
TUA_EXTRAS = {"dispute_summary", "action_short_of_strike_types", "action_periods"}


@pytest.mark.parametrize(
    ("slug", "keys"),
    [
        ("pre-2016", VOTING_PAPER_CORE),
        ("tua-2016", VOTING_PAPER_CORE | TUA_EXTRAS),
        ("era-2025-stage-1", VOTING_PAPER_CORE),
        ("era-2025-stage-2", VOTING_PAPER_CORE),
    ],
)
def test_voting_paper_keys_are_stable(slug, keys) -> None:
    """Documents are generated and checked against these keys: renaming one breaks them."""
    assert {s.key for s in REGIMES_BY_SLUG[slug].voting_paper} == keys


def test_the_2016_extras_cite_section_229_2b_to_2d() -> None:
    paper = {s.key: s for s in REGIMES_BY_SLUG["tua-2016"].voting_paper}

    assert [paper[key].cites for key in sorted(TUA_EXTRAS)] == [
        "TULRCA s.229(2D)",
        "TULRCA s.229(2C)",
        "TULRCA s.229(2B)",
    ]


def test_the_dismissal_statement_loses_its_twelve_weeks_from_2026() -> None:
    def wording(slug: str) -> str:
        paper = {s.key: s for s in REGIMES_BY_SLUG[slug].voting_paper}
        return paper["breach_of_contract_statement"].wording

    assert "fewer than twelve weeks" in wording("tua-2016")
    assert "twelve weeks" not in wording("era-2025-stage-1")
    assert wording("era-2025-stage-1").startswith(
        "If you take part in a strike or other industrial action, you may be in breach "
        "of your contract of employment."
    )


def test_ballot_notices_lose_the_breakdown_and_explanation_from_2026() -> None:
    before = {s.key for s in REGIMES_BY_SLUG["tua-2016"].ballot_notice}
    after = {s.key for s in REGIMES_BY_SLUG["era-2025-stage-1"].ballot_notice}

    assert before - after == {
        "numbers_by_category",
        "numbers_by_workplace",
        "explanation_of_figures",
    }
    assert after == {
        "intention_to_ballot",
        "opening_day",
        "employee_categories",
        "workplaces",
        "total_employees",
    }


def test_results_state_the_thresholds_only_where_the_regime_has_them() -> None:
    def keys(slug: str) -> list[str]:
        return [s.key for s in REGIMES_BY_SLUG[slug].ballot_result]

    assert keys("pre-2016") == ["votes_cast", "yes", "no", "spoiled"]
    assert keys("tua-2016")[-2:] == ["turnout_threshold_met", "support_threshold_met"]
    assert keys("era-2025-stage-1")[-1] == "turnout_threshold_met"
    assert "turnout_threshold_met" not in keys("era-2025-stage-2")


def test_important_public_services_are_listed_only_where_the_40_percent_test_applies() -> (
    None
):
    with_list = {
        regime.slug: [s.key for s in regime.important_public_services]
        for regime in REGIMES
        if regime.important_public_services
    }

    assert with_list == {
        "tua-2016": [
            "health",
            "education_under_17",
            "fire",
            "transport",
            "nuclear_decommissioning",
            "border_security",
        ]
    }
    assert all(
        (regime.support_threshold.value is not None)
        == bool(regime.important_public_services)
        for regime in REGIMES
    )


def test_uncertain_choices_are_listed_with_their_reasons() -> None:
    stage_1 = REGIMES_BY_SLUG["era-2025-stage-1"].uncertainties

    assert any(note.startswith("mandate_if_extended:") for note in stage_1)
    assert any(note.startswith("action_notice_days_by_agreement:") for note in stage_1)
    assert any(
        "nuclear_decommissioning" in note
        for note in REGIMES_BY_SLUG["tua-2016"].uncertainties
    )
    assert not [note for note in REGIMES_BY_SLUG["pre-2016"].uncertainties if note]
