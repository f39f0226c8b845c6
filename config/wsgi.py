import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

from tolpuddle.core.startup import process_ready  # noqa: E402 - needs Django set up

process_ready()
