"""ASGI entry point. The portal is served over WSGI (docs/architecture.md); this is kept for tooling."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "micuenta.settings")
application = get_asgi_application()
