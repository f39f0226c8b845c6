"""Back office: importing members from an uploaded file (HQ only).

The upload is checked (size, that it is text in the chosen encoding with a header
row), saved under ``DATA_DIR / "imports"`` (never under media or static, so it is
not served) with a random name, and imported by ``import_members_task`` in the
worker, which deletes it when done. The page of each import shows its status, its
progress while it runs (refreshing itself, without JavaScript) and its report.
"""

from __future__ import annotations

import codecs
import json
import os
import secrets
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.json import KT
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tolpuddle.core.models import User
from tolpuddle.core.progress import progress_for
from tolpuddle.members import selectors
from tolpuddle.members.importer import ImportFileError
from tolpuddle.members.tasks import import_members_task

DEFAULT_MAX_UPLOAD_BYTES = 200 * 1024 * 1024
SNIFF_BYTES = 64 * 1024
ERRORS_SHOWN = 100
RECENT_SHOWN = 20

ENCODINGS = [
    ("utf-8", "UTF-8 (most systems, and Excel's “CSV UTF-8”)"),
    ("cp1252", "Windows-1252 (Excel on Windows, plain “CSV”)"),
    ("iso-8859-1", "Latin-1 (ISO 8859-1)"),
]
STATUS_LABELS = {
    TaskResultStatus.READY: "Queued",
    TaskResultStatus.RUNNING: "Running",
    TaskResultStatus.SUCCESSFUL: "Succeeded",
    TaskResultStatus.FAILED: "Failed",
}
STAGE_LABELS = {
    "reading": "Reading the file and looking for repeated membership numbers",
    "importing": "Checking and writing rows",
}
IMPORT_FILE_ERROR = f"{ImportFileError.__module__}.{ImportFileError.__qualname__}"


def max_upload_bytes() -> int:
    return int(
        getattr(settings, "TOLPUDDLE_IMPORT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)
    )


def _size(count: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Register file",
        help_text=(
            "A CSV file with a header row, as described in the import guide. "
            "If the form shows an error, choose the file again."
        ),
    )
    encoding = forms.ChoiceField(
        label="Encoding",
        choices=ENCODINGS,
        initial="utf-8",
        help_text="How the file was saved. Not sure? Try UTF-8; a wrong choice is "
        "refused before anything is written.",
    )
    dry_run = forms.BooleanField(
        label="Dry run: check every row and report, but write nothing",
        required=False,
    )

    def clean_file(self) -> UploadedFile[Any]:
        upload: UploadedFile[Any] = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size is not None and upload.size > limit:
            raise ValidationError(
                f"The file is {_size(upload.size)}; the largest that can be uploaded "
                f"is {_size(limit)}. Split it, or ask for it to be imported with the "
                "import_members command."
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        encoding = cleaned.get("encoding")
        if upload is not None and encoding:
            problem = _not_csv(upload, encoding)
            if problem:
                self.add_error("file", problem)
        return cleaned


def _not_csv(upload: UploadedFile[Any], encoding: str) -> str | None:
    """Why the start of ``upload`` does not look like a CSV file, or None."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if not head.strip():
        return "The file is empty."
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # xlsx, xls
        return (
            "This looks like an Excel workbook, not a CSV file. In Excel, use "
            "File, Save As, and choose “CSV UTF-8”, then upload that."
        )
    if b"\x00" in head:
        return (
            "This does not look like a CSV file: it holds binary data, not text. "
            "Save the register as CSV and upload that."
        )
    decoder = codecs.getincrementaldecoder(
        "utf-8-sig" if encoding == "utf-8" else encoding
    )()
    try:
        text = decoder.decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError:
        return (
            f"The file is not valid {dict(ENCODINGS)[encoding].split(' (')[0]} text. "
            "Choose the encoding it was saved in."
        )
    header = text.splitlines()[0] if text.splitlines() else ""
    if not any(separator in header for separator in ",;\t|"):
        return (
            "This does not look like a CSV file: its first line should be a header "
            "row naming the columns, separated by commas."
        )
    return None


def _store(upload: UploadedFile[Any]) -> Path:
    """Save ``upload`` privately (readable by this user only) with a random name."""
    folder = Path(settings.DATA_DIR) / "imports"  # type: ignore[misc]  # config/env.py
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / f"{secrets.token_hex(16)}.csv"
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return target


def _require_hq(request: HttpRequest) -> None:
    """Only those who may change every record (HQ staff) import; others get a 404."""
    if not selectors.register_scope_for(user=request.user).change_all:
        raise Http404


def _result_or_404(result_id: str) -> TaskResult[dict[str, Any]]:
    try:
        return import_members_task.get_result(result_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, NotImplementedError):
        raise Http404 from None


def _failure(result: TaskResult[Any]) -> str:
    """What to tell a person about a failed import."""
    error = result.errors[-1] if result.errors else None
    if error is not None and error.exception_class_path == IMPORT_FILE_ERROR:
        last = error.traceback.strip().splitlines()[-1]
        reason = last.split(": ", 1)[1] if ": " in last else last
        return f"The file could not be imported, and nothing was written: {reason}"
    return (
        "The import stopped with an unexpected error. Rows written before it stopped "
        "are kept; importing the same file again is safe and finishes the job."
    )


REPORT_COUNTS = ("rows", "created", "updated", "unchanged", "rejected")


def _recent() -> list[dict[str, Any]]:
    """The latest imports, newest first, from the database backend's results. The
    counts are read out of each report by the database, not the whole report."""
    from django_tasks_db.models import DBTaskResult

    results = list(
        DBTaskResult.objects.filter(task_path=import_members_task.module_path)
        .defer("return_value", "traceback")
        .annotate(**{f"report_{n}": KT(f"return_value__{n}") for n in REPORT_COUNTS})
        .order_by("-enqueued_at")[:RECENT_SHOWN]
    )
    kwargs_of = {r.pk: r.args_kwargs.get("kwargs", {}) for r in results}
    actors = User.objects.in_bulk(
        {k["actor_id"] for k in kwargs_of.values() if k.get("actor_id")}
    )
    return [
        {
            "id": result.pk,
            "file": _file_name(kwargs_of[result.pk]),
            "dry_run": kwargs_of[result.pk].get("dry_run", False),
            "status": STATUS_LABELS.get(result.status, result.status),
            "enqueued_at": result.enqueued_at,
            "actor": actors.get(kwargs_of[result.pk].get("actor_id")),
            "counts": {n: getattr(result, f"report_{n}") for n in REPORT_COUNTS}
            if result.status == TaskResultStatus.SUCCESSFUL
            else None,
        }
        for result in results
    ]


def _file_name(kwargs: dict[str, Any]) -> str:
    return str(kwargs.get("original_name") or Path(kwargs.get("path", "")).name)


def import_index(request: HttpRequest) -> HttpResponse:
    """The upload form and the latest imports."""
    _require_hq(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload: UploadedFile[Any] = form.cleaned_data["file"]
        stored = _store(upload)
        try:
            result = import_members_task.enqueue(
                path=str(stored),
                actor_id=request.user.pk,
                encoding=form.cleaned_data["encoding"],
                dry_run=form.cleaned_data["dry_run"],
                original_name=Path(upload.name or "register.csv").name,
                delete_after=True,
            )
        except Exception:
            stored.unlink(missing_ok=True)
            raise
        if not import_members_task.get_backend().supports_get_result:
            # A backend that runs tasks at once and keeps no results (the
            # immediate backend): the import has finished, so show it now.
            return _result_page(request, result)
        return redirect("backoffice_import", result_id=result.id)
    return TemplateResponse(
        request,
        "backoffice/imports/import_index.html",
        {
            "form": form,
            "recent": _recent(),
            "max_upload": _size(max_upload_bytes()),
        },
    )


def import_detail(request: HttpRequest, result_id: str) -> HttpResponse:
    """One import: status, progress while it runs, then the report."""
    _require_hq(request)
    return _result_page(request, _result_or_404(result_id))


def _result_page(request: HttpRequest, result: TaskResult[Any]) -> HttpResponse:
    report: dict[str, Any] | None = None
    if result.status == TaskResultStatus.SUCCESSFUL:
        report = result.return_value
    progress = progress_for(task_id=str(result.id))
    kwargs = result.kwargs
    context = {
        "result": result,
        "status": STATUS_LABELS.get(result.status, str(result.status)),
        "finished": result.is_finished,
        "file": _file_name(kwargs),
        "dry_run": kwargs.get("dry_run", False),
        "progress": progress,
        "stage": STAGE_LABELS.get(progress.stage, progress.stage) if progress else "",
        "percent": (
            int(100 * progress.done / progress.total)
            if progress and progress.total
            else None
        ),
        "report": report,
        "rejections": (report or {}).get("rejections", [])[:ERRORS_SHOWN],
        "errors_shown": ERRORS_SHOWN,
        "failure": _failure(result) if result.status == TaskResultStatus.FAILED else "",
        "can_download": report is not None
        and import_members_task.get_backend().supports_get_result,
    }
    return TemplateResponse(request, "backoffice/imports/import_detail.html", context)


def import_report_json(request: HttpRequest, result_id: str) -> HttpResponse:
    """The whole report of a finished import, as the command's --report writes it."""
    _require_hq(request)
    result = _result_or_404(result_id)
    if result.status != TaskResultStatus.SUCCESSFUL:
        raise Http404
    response = HttpResponse(
        json.dumps(result.return_value, indent=2, ensure_ascii=False) + "\n",
        content_type="application/json; charset=utf-8",
    )
    name = f"import-report-{result.id}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@hooks.register("register_admin_urls")  # type: ignore[untyped-decorator]
def register_import_urls() -> list[URLPattern]:
    return [
        path("imports/", import_index, name="backoffice_imports"),
        path("imports/<str:result_id>/", import_detail, name="backoffice_import"),
        path(
            "imports/<str:result_id>/report.json",
            import_report_json,
            name="backoffice_import_report",
        ),
    ]


class ImportMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return selectors.register_scope_for(user=request.user).change_all


@hooks.register("register_admin_menu_item")  # type: ignore[untyped-decorator]
def register_import_menu_item() -> MenuItem:
    return ImportMenuItem(
        "Import members", reverse("backoffice_imports"), icon_name="upload", order=900
    )
