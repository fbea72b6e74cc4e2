"""scripts/check_system.py: a missing system library stops set-up with the package to install."""

import builtins
import importlib.util
from pathlib import Path

from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "check_system.py"


def load_script():
    spec = importlib.util.spec_from_file_location("check_system", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_all_present_passes(capsys):
    assert load_script().main() == 0
    assert capsys.readouterr().err == ""


def test_missing_pango_names_the_package_to_install(monkeypatch, capsys):
    real_import = builtins.__import__

    def import_without_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", import_without_pango)
    assert load_script().main() == 1
    err = capsys.readouterr().err
    assert "Missing system library: Pango" in err
    assert "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" in err
    assert "brew install pango" in err
