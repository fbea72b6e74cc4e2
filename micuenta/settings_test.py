"""Settings for the test suite: the real settings, spoken over plain HTTP and with static files from the apps.

The test client and the live server have no TLS, and the middleware reads these once, at start-up.
"""

import atexit
import shutil
import tempfile
from pathlib import Path

from micuenta.settings import *  # noqa: F403
from micuenta.settings import STORAGES

MICUENTA_HTTPS = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
# Files people attach go to a folder of this test process, removed when it ends: never var/private.
_PRIVATE = tempfile.mkdtemp(prefix="micuenta-privado-")
atexit.register(shutil.rmtree, _PRIVATE, ignore_errors=True)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "micuenta.uploads.backends.PrivateFileSystemStorage", "OPTIONS": {"location": _PRIVATE}},
}
SMS_BACKEND = "micuenta.notifications.sms.LocmemSmsBackend"
# Official documents are signed with a demo pair made once per test process in its own folder.
MICUENTA_DEMO_SIGNER_ALLOWED = True
MICUENTA_DEMO_SIGNER_DIR = Path(tempfile.mkdtemp(prefix="micuenta-firma-"))
atexit.register(shutil.rmtree, MICUENTA_DEMO_SIGNER_DIR, ignore_errors=True)
# A lighter proof of work (the browser tests solve it in Chromium) and a shorter uniform answer time.
MICUENTA_CHALLENGE_MAX_NUMBER = 2_000
MICUENTA_UNIFORM_RESPONSE_SECONDS = 0.1
# The verification's rate limit counts in this process's memory: never in var/, shared with other runs.
CACHES = {**CACHES, "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limites"}}  # noqa: F405
