from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    pass


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed or deleted (a history, a log).
    Corrections are new rows. Foreign keys to such rows should be PROTECT."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self._meta.verbose_name} is append-only.")


class User(AbstractUser):
    """A sign-in. Staff are not always members and members do not always sign in:
    the union record is ``members.Person``, joined to this by ``Person.user``."""

    email = models.EmailField(_("email address"), unique=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.email or self.username


class TaskProgress(TimeStampedModel):
    """How far a background task has got (rows done of total, and what it is doing),
    written by the task as it goes so that a page served by another process can show
    it. See ``tolpuddle.core.progress``."""

    task_id = models.CharField(_("task id"), max_length=64, unique=True)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=50, blank=True)

    def __str__(self) -> str:
        return f"{self.task_id}: {self.stage} {self.done}/{self.total or '?'}"
