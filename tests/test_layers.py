"""The domain never imports Qt: import it in a fresh interpreter with PySide6 blocked."""

from __future__ import annotations

import subprocess
import sys

CODE = r"""
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("PySide6 blocked: " + name)
sys.meta_path.insert(0, Block())
import app
for pkg in ("app.models", "app.rules", "app.services", "app.printing", "app.reports", "app.db", "app.cli"):
    mod = importlib.import_module(pkg)
    for info in pkgutil.walk_packages(mod.__path__, pkg + "."):
        importlib.import_module(info.name)
print("ok")
"""


def test_domain_layers_import_without_pyside6() -> None:
    r = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"
