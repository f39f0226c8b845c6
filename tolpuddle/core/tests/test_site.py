"""The site answers, and the project's own commands behave as documented."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tolpuddle.core.models import User
from tolpuddle.members.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
TOLPUDDLE = str(Path(sys.executable).with_name("tolpuddle"))
ROOT = Path(__file__).resolve().parents[3]


def test_home_page_answers_and_counts_members_in_good_standing(client):
    MembershipFactory.create_batch(3)
    MembershipFactory(status="lapsed", left_on="2024-01-31")

    response = client.get("/")

    assert response.status_code == 200
    assert b"<strong>3</strong> members in good standing" in response.content
    assert b'lang="en-GB"' in response.content


def test_sign_in_page_signs_a_user_in_and_shows_who_they_are(client):
    UserFactory(
        username="ellen",
        email="ellen@example.org",
        first_name="Ellen",
        last_name="Wilkinson",
        password="a-long-demo-password",
    )

    EmailAddress.objects.create(
        user=User.objects.get(username="ellen"),
        email="ellen@example.org",
        primary=True,
        verified=True,
    )

    response = client.post(
        reverse("login"),
        {"login": "Ellen@Example.org", "password": "a-long-demo-password"},
        follow=True,
    )

    assert response.status_code == 200
    assert b"Signed in as Ellen Wilkinson" in response.content


def test_a_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="ellen@example.org", password="a-long-demo-password")

    response = client.post(
        reverse("login"), {"login": "ellen@example.org", "password": "wrong"}
    )

    assert response.status_code == 200
    assert b"The email address and/or password you specified are not correct." in (
        response.content
    )
    assert "_auth_user_id" not in client.session


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"TOLPUDDLE_DATA_DIR": str(tmp_path)}, **extra)
    return env


@pytest.mark.slow
def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = _env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k" * 20 + "x7#Qz!" * 10,
        ALLOWED_HOSTS="union.example.org",
        EMAIL_URL="smtp://mail.example.org:587",
    )

    done = subprocess.run(
        [TOLPUDDLE, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.slow
def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="config.settings.production")
    env.pop("SECRET_KEY", None)

    done = subprocess.run(
        [TOLPUDDLE, "check"], env=env, capture_output=True, text=True, check=False
    )

    assert done.returncode != 0
    assert "Set SECRET_KEY" in done.stderr


@pytest.mark.slow
def test_worker_once_runs_queued_tasks_and_exits(tmp_path):
    """A task queued in the database is run by `tolpuddle worker --once`."""
    env = _env(tmp_path)
    subprocess.run([TOLPUDDLE, "migrate", "-v0"], env=env, check=True)
    register = tmp_path / "register.csv"
    register.write_text(
        "membership_number,first_name,last_name,category,status,joined_on\n"
        "7001,Ada,Nield,full,active,01/02/2003\n"
    )
    enqueue = (
        "from tolpuddle.members.tasks import import_members_task;"
        f"print(import_members_task.enqueue(path={str(register)!r}).id)"
    )
    subprocess.run(
        [TOLPUDDLE, "shell", "-c", enqueue], env=env, check=True, capture_output=True
    )

    done = subprocess.run(
        [TOLPUDDLE, "worker", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    check = "from tolpuddle.members.models import Membership; print(Membership.objects.count())"
    counted = subprocess.run(
        [TOLPUDDLE, "shell", "-c", check],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert counted.stdout.strip().splitlines()[-1] == "1"


@pytest.mark.slow
def test_passwords_are_stored_with_argon2_outside_the_tests(tmp_path):
    code = "from django.contrib.auth.hashers import make_password; print(make_password('pw'))"
    done = subprocess.run(
        [TOLPUDDLE, "shell", "-c", code],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1].startswith("argon2$")


def test_the_home_page_count_is_kept_for_a_few_minutes(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "home-count-test",
        }
    }
    from django.core.cache import caches

    caches["default"].clear()
    MembershipFactory()
    client.get("/")
    MembershipFactory()

    response = client.get("/")

    assert b"<strong>1</strong> members in good standing" in response.content
    caches["default"].clear()


def test_a_missing_page_is_a_404_in_the_sites_own_layout(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Skip to main content" in response.content


def test_the_wsgi_application_loads_its_views_and_freezes_them_out_of_the_collector():
    """A web process walks only what requests made, not its imports (core/startup.py)."""
    script = (
        "import gc, sys\n"
        "import config.wsgi\n"
        "print(gc.get_freeze_count())\n"
        "print('tolpuddle.backoffice.disputes' in sys.modules)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    frozen, views_loaded = done.stdout.split()
    assert int(frozen) > 50_000
    assert views_loaded == "True"
