"""The web server's access log without secrets in URLs: gunicorn's logger, with the one-time part of links
that sign a person in redacted (`--logger-class micuenta.core.accesslog.RedactingLogger`, docs/deployment.md).

The link of «Olvidé mi contraseña» carries the account's id and a token that changes the password for 30 minutes
(`/olvide-mi-contrasena/<uidb64>/<token>/`); written to a log, whoever reads the log could use it. The access log
keeps the path with both replaced by «…», in the request line, the path, the referrer and any header logged.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

# Django's own second step of the link (`set-password`) carries no secret and is kept as it is.
SECRET_PATH = re.compile(r"(/olvide-mi-contrasena/)(?!set-password/)[^/\s?\"]+/(?!set-password/)[^/\s?\"]+/")


def redact(text: str) -> str:
    return SECRET_PATH.sub(r"\1…/…/", text)


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
