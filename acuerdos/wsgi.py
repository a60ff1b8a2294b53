"""WSGI entry point (gunicorn acuerdos.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acuerdos.settings")
application = get_wsgi_application()
