"""WSGI entry point (gunicorn micuenta.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "micuenta.settings")
application = get_wsgi_application()
