"""app.rules must import without Qt, the database layer or the application's other layers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"PySide6", "shiboken6", "sqlalchemy"}:
            raise ImportError("blocked: " + name)
        return None

sys.meta_path.insert(0, Block())
import app.rules
app.rules.load_profile("chongqing")
bad = sorted(m for m in sys.modules if m.startswith(("app.ui", "app.services", "app.models", "app.db")))
assert not bad, bad
print("ok")
"""


def test_import_app_rules_without_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
