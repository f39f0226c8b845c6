"""Importing members from an uploaded file, through the back office's pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tolpuddle.core.progress import progress_update
from tolpuddle.core.tests.worker import run_queued_tasks
from tolpuddle.members.models import Membership
from tolpuddle.members.tests.test_import import GOOD, HEADER, row

pytestmark = pytest.mark.django_db

IMPORTS = "/admin/imports/"
BAD_POSTCODE = row(membership_number="N1002", postcode="B1")


def csv_file(*lines: str, name: str = "register.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, ("\n".join(lines) + "\n").encode(), content_type="text/csv"
    )


def upload(client: Any, file: Any, **fields: Any) -> Any:
    return client.post(IMPORTS, {"file": file, "encoding": "utf-8", **fields})


@pytest.fixture(autouse=True)
def private_data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    settings.STATIC_ROOT = tmp_path / "data" / "static"
    return settings.DATA_DIR


@pytest.fixture
def queue(settings: Any) -> Any:
    """Tasks are queued in the database, as in production; ``queue()`` then runs
    what is waiting, as `tolpuddle worker --once` would."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return run_queued_tasks


def test_an_upload_is_queued_then_shows_its_report(
    sign_in, hq_staff, queue, private_data_dir
) -> None:
    client = sign_in(hq_staff)

    response = upload(client, csv_file(HEADER, GOOD, BAD_POSTCODE))

    assert response.status_code == 302
    page = response["Location"]
    assert re.fullmatch(r"/admin/imports/[0-9a-f-]+/", page)
    waiting = client.get(page).content.decode()
    assert "Queued" in waiting
    assert '<meta http-equiv="refresh" content="3">' in waiting

    queue()

    done = client.get(page).content.decode()
    assert "Succeeded" in done
    assert 'http-equiv="refresh"' not in done
    assert "register.csv" in done
    summary = dict(re.findall(r'<th scope="row">(\w+)</th><td>(\d+)</td>', done))
    assert summary == {
        "Rows": "2",
        "Created": "1",
        "Updated": "0",
        "Unchanged": "0",
        "Rejected": "1",
    }
    assert "<td>3</td><td>N1002</td><td>postcode</td>" in done
    assert "is not a UK postcode" in done
    assert Membership.objects.filter(membership_number="N1001").exists()
    # The saved copy of the register is removed once it has been imported.
    assert list((private_data_dir / "imports").iterdir()) == []


def test_the_full_report_downloads_as_json(sign_in, hq_staff, queue) -> None:
    client = sign_in(hq_staff)
    page = upload(client, csv_file(HEADER, GOOD, BAD_POSTCODE))["Location"]
    queue()

    response = client.get(f"{page}report.json")

    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    report = json.loads(response.content)
    assert (report["file"], report["created"], report["rejected"]) == (
        "register.csv",
        1,
        1,
    )
    assert report["rejections"][0]["line"] == 3


def test_recent_imports_are_listed_with_who_started_them(
    sign_in, hq_staff, queue
) -> None:
    client = sign_in(hq_staff)
    upload(client, csv_file(HEADER, GOOD, name="first.csv"))
    upload(client, csv_file(HEADER, GOOD, name="second.csv"), dry_run="on")
    queue()

    html = client.get(IMPORTS).content.decode()

    assert html.index("second.csv") < html.index("first.csv")
    assert "(dry run)" in html
    assert html.count("Jo Whitfield") == 2
    assert html.count("Succeeded") == 2


def test_a_dry_run_writes_nothing(sign_in, hq_staff, queue) -> None:
    client = sign_in(hq_staff)
    page = upload(client, csv_file(HEADER, GOOD), dry_run="on")["Location"]
    queue()

    html = client.get(page).content.decode()

    assert "What the import would do" in html
    assert not Membership.objects.exists()


def test_progress_is_shown_while_an_import_runs(sign_in, hq_staff, queue) -> None:
    from django_tasks_db.models import DBTaskResult

    client = sign_in(hq_staff)
    page = upload(client, csv_file(HEADER, GOOD))["Location"]
    running = DBTaskResult.objects.get()
    running.claim("another-worker")
    progress_update(task_id=str(running.id), done=5000, total=20000, stage="importing")

    html = client.get(page).content.decode()

    assert "Running" in html
    assert "5,000 of 20,000 rows (25%)" in html
    assert '<progress id="import-progress" max="20000" value="5000">' in html
    assert '<meta http-equiv="refresh" content="3">' in html


def test_a_file_the_importer_cannot_read_fails_with_its_reason(
    sign_in, hq_staff, queue
) -> None:
    client = sign_in(hq_staff)
    page = upload(client, csv_file("name,age", "Ellen,55"))["Location"]
    queue()

    html = client.get(page).content.decode()

    assert "Failed" in html
    assert "could not be imported, and nothing was written" in html
    assert "membership_number" in html  # the importer names the missing columns


def test_with_the_immediate_backend_the_report_is_shown_at_once(
    sign_in, hq_staff
) -> None:
    response = upload(sign_in(hq_staff), csv_file(HEADER, GOOD, BAD_POSTCODE))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Succeeded" in html
    assert "<td>3</td><td>N1002</td><td>postcode</td>" in html


def test_a_binary_file_is_refused_and_the_choices_are_kept(
    sign_in, hq_staff, private_data_dir
) -> None:
    image = SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    response = sign_in(hq_staff).post(
        IMPORTS, {"file": image, "encoding": "cp1252", "dry_run": "on"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "does not look like a CSV file" in html
    assert re.search(r'<option value="cp1252" selected>', html)
    assert re.search(r'name="dry_run"[^>]*checked', html)
    assert not (private_data_dir / "imports").exists()


def test_an_excel_workbook_is_refused_with_advice(sign_in, hq_staff) -> None:
    workbook = SimpleUploadedFile("register.xlsx", b"PK\x03\x04" + b"\x14" * 100)

    html = upload(sign_in(hq_staff), workbook).content.decode()

    assert "looks like an Excel workbook" in html


def test_text_not_in_the_chosen_encoding_is_refused(sign_in, hq_staff) -> None:
    latin = SimpleUploadedFile(
        "register.csv", (HEADER + "\n" + row(last_name="Müller")).encode("cp1252")
    )

    html = upload(sign_in(hq_staff), latin).content.decode()

    assert "not valid UTF-8 text" in html


def test_a_file_over_the_size_limit_is_refused(sign_in, hq_staff, settings) -> None:
    settings.TOLPUDDLE_IMPORT_MAX_UPLOAD_BYTES = 100

    html = upload(sign_in(hq_staff), csv_file(HEADER, GOOD)).content.decode()

    assert "the largest that can be uploaded is 100 bytes" in html
    assert not Membership.objects.exists()


def test_branch_officers_cannot_import(sign_in, branch_secretary, queue) -> None:
    client = sign_in(branch_secretary)

    assert client.get(IMPORTS).status_code == 404
    assert upload(client, csv_file(HEADER, GOOD)).status_code == 404
    assert (
        client.get(f"{IMPORTS}00000000-0000-0000-0000-000000000000/").status_code == 404
    )
    assert "Import members" not in client.get("/admin/").content.decode()


def test_a_secretary_gets_404_for_a_real_import(
    sign_in, hq_staff, branch_secretary, queue, client
) -> None:
    page = upload(sign_in(hq_staff), csv_file(HEADER, GOOD))["Location"]
    queue()
    client.logout()

    client = sign_in(branch_secretary)

    assert client.get(page).status_code == 404
    assert client.get(f"{page}report.json").status_code == 404


def test_an_unknown_import_is_404(sign_in, hq_staff, queue) -> None:
    client = sign_in(hq_staff)

    assert (
        client.get(f"{IMPORTS}00000000-0000-0000-0000-000000000000/").status_code == 404
    )
    assert client.get(f"{IMPORTS}not-an-id/").status_code == 404


def test_the_upload_is_saved_privately_and_not_served(
    sign_in, hq_staff, queue, settings, private_data_dir
) -> None:
    from django_tasks_db.models import DBTaskResult

    client = sign_in(hq_staff)
    upload(client, csv_file(HEADER, GOOD))
    saved = Path(DBTaskResult.objects.get().args_kwargs["kwargs"]["path"])

    assert saved.parent == private_data_dir / "imports"
    assert saved.name != "register.csv"
    assert saved.read_text().startswith("membership_number,")
    assert saved.stat().st_mode & 0o077 == 0  # readable by the service only
    assert Path(settings.MEDIA_ROOT) not in saved.parents
    assert Path(settings.STATIC_ROOT) not in saved.parents
    for prefix in ("/media/", "/media/imports/", "/static/", "/static/imports/"):
        assert client.get(f"{prefix}{saved.name}").status_code == 404


def test_the_menu_offers_imports_to_hq(sign_in, hq_staff) -> None:
    html = sign_in(hq_staff).get(IMPORTS).content.decode()

    assert "Import members" in html
    assert 'enctype="multipart/form-data"' in html


def test_the_task_records_its_progress(sign_in, hq_staff, queue) -> None:
    from django_tasks_db.models import DBTaskResult

    from tolpuddle.core.progress import progress_for

    upload(sign_in(hq_staff), csv_file(HEADER, GOOD, BAD_POSTCODE))
    queue()

    progress = progress_for(task_id=str(DBTaskResult.objects.get().id))
    assert progress is not None
    assert (progress.done, progress.total) == (2, 2)
