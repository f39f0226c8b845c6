"""Bulk transfer in the back office: preview, confirm, and the task's result."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tolpuddle.core.tests.worker import run_queued_tasks
from tolpuddle.members.models import (
    EmployerSuccession,
    Employment,
    MembershipEvent,
    MembershipEventKind,
)
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    EmploymentFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db

FORM = reverse("backoffice_transfer")
REFRESH = '<meta http-equiv="refresh" content="3">'


@pytest.fixture
def trusts():
    """Three members at Old Trust (two on Ward 1, one porter on Ward 2)."""
    old = EmployerFactory(name="Old Trust")
    new = EmployerFactory(name="New Trust")
    ward_1 = WorkplaceFactory(employer=old, name="Ward 1")
    ward_2 = WorkplaceFactory(employer=old, name="Ward 2")
    jobs = [
        EmploymentFactory(workplace=ward_1, membership__person__first_name="Ann"),
        EmploymentFactory(workplace=ward_1, membership__person__first_name="Bob"),
        EmploymentFactory(
            workplace=ward_2,
            job_category="Porter",
            membership__person__first_name="Cat",
        ),
    ]
    return old, new, ward_1, ward_2, jobs


def form_data(old, new, **extra):
    data = {
        "from_employer": old.pk,
        "to_employer": new.pk,
        "on": "01/04/2027",
        "reason": "TUPE transfer",
        "action": "preview",
    }
    data.update(extra)
    return data


def post(client, data):
    return client.post(f"{FORM}?from_employer={data['from_employer']}", data)


def test_choosing_the_source_lists_its_workplaces_and_job_categories(
    sign_in, hq_staff, trusts
):
    old, _new, _ward_1, _ward_2, _jobs = trusts
    client = sign_in(hq_staff)

    start = client.get(FORM)
    chosen = client.get(FORM, {"from_employer": old.pk})

    assert "Old Trust" in start.content.decode()
    page = chosen.content.decode()
    assert "Moving members from <strong>Old Trust</strong>" in page
    assert "Ward 1" in page
    assert "Ward 2" in page
    assert "Porter" in page


def test_the_preview_shows_who_would_move_and_writes_nothing(sign_in, hq_staff, trusts):
    old, new, _ward_1, _ward_2, _jobs = trusts
    jobs, events = Employment.objects.count(), MembershipEvent.objects.count()

    response = post(sign_in(hq_staff), form_data(old, new))

    page = response.content.decode()
    assert response.status_code == 200
    assert "3 jobs</strong> would move from Old Trust to New Trust on 1 April 2027" in (
        page
    )
    assert "Ann" in page
    assert "Ward 1, Ward 2" in page  # created at New Trust
    assert "Confirm: move 3 jobs" in page
    assert Employment.objects.count() == jobs
    assert MembershipEvent.objects.count() == events
    assert not EmployerSuccession.objects.exists()


def test_the_preview_can_be_narrowed_to_a_workplace_and_a_category(
    sign_in, hq_staff, trusts
):
    old, new, _ward_1, ward_2, _jobs = trusts

    response = post(
        sign_in(hq_staff),
        form_data(old, new, workplaces=[ward_2.pk], job_categories=["Porter"]),
    )

    page = response.content.decode()
    assert "1 job</strong> would move" in page
    assert "Cat" in page
    assert f'name="workplaces" value="{ward_2.pk}"' in page


def test_confirming_moves_the_members_and_records_their_history(
    sign_in, hq_staff, trusts
):
    old, new, ward_1, _ward_2, jobs = trusts
    client = sign_in(hq_staff)
    data = form_data(old, new, action="confirm", workplaces=[ward_1.pk])

    response = post(client, data)

    assert response.status_code == 302
    result = client.get(response.url)
    page = result.content.decode()
    assert "Succeeded" in page
    assert 'http-equiv="refresh"' not in page
    assert "<progress" not in page
    assert "2 jobs moved from Old Trust to New Trust from 1 April 2027" in page
    for job in jobs[:2]:
        job.refresh_from_db()
        assert job.ended_on == datetime.date(2027, 3, 31)
        new_job = Employment.objects.get(
            membership=job.membership,
            employer=new,
            started_on=datetime.date(2027, 4, 1),
        )
        assert new_job.workplace.name == "Ward 1"
        event = job.membership.events.get(kind=MembershipEventKind.TRANSFERRED)
        assert (event.actor, event.reason) == (hq_staff, "TUPE transfer")
    jobs[2].refresh_from_db()
    assert jobs[2].ended_on is None
    assert EmployerSuccession.objects.filter(predecessor=old, successor=new).exists()


def test_with_a_real_queue_the_result_page_shows_queued_then_done(
    sign_in, hq_staff, trusts, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old, new, _ward_1, _ward_2, _jobs = trusts
    client = sign_in(hq_staff)

    response = post(client, form_data(old, new, action="confirm"))
    queued = client.get(response.url).content.decode()
    run_queued_tasks()
    done = client.get(response.url).content.decode()

    assert "Queued" in queued
    assert REFRESH in queued
    assert "Waiting for the worker to start the transfer." in queued
    assert Employment.objects.filter(employer=new).count() == 3
    assert "Succeeded" in done
    assert "3 jobs moved" in done
    assert 'http-equiv="refresh"' not in done
    assert "<progress" not in done
    assert "Start another transfer" in done


@pytest.mark.parametrize(
    "case",
    [
        (
            0,
            None,
            "checking",
            "Checking who moves…",
            '<progress id="transfer-progress">',
        ),
        (
            0,
            1234,
            "moving",
            "Moving 1,234 jobs to New Trust…",
            '<progress id="transfer-progress">',
        ),
        (
            1234,
            1234,
            "moved",
            "1,234 jobs moved to New Trust; finishing…",
            '<progress id="transfer-progress" max="1234" value="1234">',
        ),
    ],
)
def test_a_running_transfer_shows_its_progress_and_refreshes(
    sign_in, hq_staff, trusts, settings, case
):
    """``case``: what the task last recorded (done, total, stage), then the text
    and the progress bar the page shows for it."""
    from django_tasks_db.models import DBTaskResult

    from tolpuddle.core.progress import progress_update

    done, total, stage, text, bar = case
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old, new, _ward_1, _ward_2, _jobs = trusts
    client = sign_in(hq_staff)
    response = post(client, form_data(old, new, action="confirm"))
    running = DBTaskResult.objects.get()
    running.claim("another-worker")
    progress_update(task_id=str(running.id), done=done, total=total, stage=stage)

    page = client.get(response.url).content.decode()

    assert "Status: <strong>Running</strong>" in page
    assert REFRESH in page
    assert f'<label for="transfer-progress">{text}</label>' in page
    assert bar in page
    explained = "the bar shows that the transfer is working, not how far it has got"
    assert (explained in page) == (stage == "moving")
    assert "Start another transfer" not in page


def test_the_worker_leaves_the_transfer_finished_with_its_count(
    sign_in, hq_staff, trusts, settings
):
    from django_tasks_db.models import DBTaskResult

    from tolpuddle.core.progress import progress_for

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old, new, ward_1, _ward_2, _jobs = trusts
    client = sign_in(hq_staff)
    post(client, form_data(old, new, action="confirm", workplaces=[ward_1.pk]))

    run_queued_tasks()

    progress = progress_for(task_id=str(DBTaskResult.objects.get().id))
    assert progress is not None
    assert (progress.stage, progress.done, progress.total) == ("moved", 2, 2)


def test_a_refused_transfer_stops_refreshing(
    sign_in, hq_staff, trusts, settings, monkeypatch
):
    from tolpuddle.core.exceptions import ApplicationError
    from tolpuddle.members import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old, new, _ward_1, _ward_2, _jobs = trusts
    real = services.employer_bulk_transfer

    def refuse_for_real(**kwargs):
        if kwargs.get("dry_run"):
            return real(**kwargs)
        raise ApplicationError("Some of these jobs start on or after the date.")

    client = sign_in(hq_staff)
    response = post(client, form_data(old, new, action="confirm"))
    monkeypatch.setattr(services, "employer_bulk_transfer", refuse_for_real)
    run_queued_tasks()

    page = client.get(response.url).content.decode()
    assert "Failed: nothing was changed" in page
    assert "Some of these jobs start on or after the date." in page
    assert 'http-equiv="refresh"' not in page
    assert "<progress" not in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"on": "31/02/2027"}, "is not a real date"),
        ({"on": "next tuesday"}, "is not a date"),
        ({"on": ""}, "Give the date of the transfer."),
        ({"to_employer": ""}, "Choose the employer the members move to."),
    ],
)
def test_bad_input_is_refused_next_to_the_field(
    sign_in, hq_staff, trusts, change, message
):
    old, new, _ward_1, _ward_2, _jobs = trusts
    jobs = Employment.objects.count()

    response = post(sign_in(hq_staff), form_data(old, new, action="confirm", **change))

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="TUPE transfer"' in page  # what was typed is kept
    assert Employment.objects.count() == jobs


def test_moving_to_the_same_employer_is_refused(sign_in, hq_staff, trusts):
    old, _new, _ward_1, _ward_2, _jobs = trusts
    jobs = Employment.objects.count()

    response = post(sign_in(hq_staff), form_data(old, old, action="confirm"))

    assert "Choose a different employer" in response.content.decode()
    assert Employment.objects.count() == jobs


def test_an_employer_with_nobody_to_move_says_so(sign_in, hq_staff):
    empty, other = EmployerFactory(name="Empty Ltd"), EmployerFactory()

    response = post(sign_in(hq_staff), form_data(empty, other, action="confirm"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nobody was employed by Empty Ltd on 31 March 2027" in page
    assert "Confirm: move" not in page


def test_an_unknown_source_employer_goes_back_to_the_first_step(sign_in, hq_staff):
    response = sign_in(hq_staff).get(FORM, {"from_employer": "999999"})

    assert response.status_code == 200
    assert "Employer the members are leaving" in response.content.decode()


def test_an_unknown_result_is_a_404(sign_in, hq_staff):
    response = sign_in(hq_staff).get(
        reverse("backoffice_transfer_result", args=["no-such-task"])
    )

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["branch_secretary", "workplace_rep"])
def test_officers_and_reps_get_a_404_and_no_menu_item(request, sign_in, who, trusts):
    old, new, _ward_1, _ward_2, _jobs = trusts
    client = sign_in(request.getfixturevalue(who))
    jobs = Employment.objects.count()

    assert client.get(FORM).status_code == 404
    assert post(client, form_data(old, new, action="confirm")).status_code == 404
    assert Employment.objects.count() == jobs
    assert FORM not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_transfer_the_service_refuses_shows_why(
    sign_in, hq_staff, trusts, monkeypatch
):
    from tolpuddle.core.exceptions import ApplicationError
    from tolpuddle.members import services

    old, new, _ward_1, _ward_2, _jobs = trusts
    real = services.employer_bulk_transfer

    def refuse_for_real(**kwargs):
        if kwargs.get("dry_run"):
            return real(**kwargs)
        raise ApplicationError("Some of these jobs start on or after the date.")

    monkeypatch.setattr(services, "employer_bulk_transfer", refuse_for_real)
    client = sign_in(hq_staff)

    response = post(client, form_data(old, new, action="confirm"))

    page = client.get(response.url).content.decode()
    assert "Failed: nothing was changed" in page
    assert "Some of these jobs start on or after the date." in page
    assert not Employment.objects.filter(employer=new).exists()
