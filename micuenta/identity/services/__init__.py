"""Everything that writes to an online account, one module per concern. Callers import from the module.

- `history`      the security history ("Actividad de seguridad") and the notices to the account's contacts
- `sessions`     signed-in sessions: their rows under "Sesiones activas", ending one or all of them
- `security`     security locks and unlocks, "No fui yo"
- `codes`        6-digit confirmation codes: issuing and verifying
- `accounts`     password, e-mail and mobile, deletion of the online account
- `registration` "Quiero una cuenta"
- `recovery`     "Olvidé mi contraseña" and "No tengo acceso a mi correo"
- `cleanup`      what the account flows leave behind (`manage.py identity_cleanup`)

Every service takes the `Actor` who acts (keyword-only), runs in one database transaction and never reads the
request or the session: the view does the session's part with what the service returns. None of them logs or
stores an identifier in clear. Reads are in `identity.selectors`.
"""
