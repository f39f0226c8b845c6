"""tolpuddle demo_code: the current two-factor code of the demo's staff sign-ins."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from tolpuddle.members import demo


class Command(BaseCommand):
    help = (
        "Print the current six-digit code for the demo's two-factor sign-ins "
        "(their authenticator key is public, like the demo password)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counter = int(time.time()) // app_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(demo.DEMO_TOTP_SECRET, counter)))
