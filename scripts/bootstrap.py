#!/usr/bin/env python3
"""Set up SkillSite in ./.venv and launch it (`run`) or run the whole test suite (`test`).

Works on Windows (`py scripts\\bootstrap.py run`) and Linux (`python3 scripts/bootstrap.py run`)
with nothing but Python 3.11+. On Debian/Ubuntu it also installs the system libraries Qt needs
and a CJK font when running as root, or prints the exact apt command otherwise.
Only the standard library is used here: this runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".skillsite-installed"

QT_LIBS = ["libglib2.0-0", "libgl1", "libegl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3"]
GUI_LIBS = ["libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0"]
FONTS = ["fonts-lxgw-wenkai"]
TEST_TOOLS = ["poppler-utils", "zbar-tools", "xvfb", "libreoffice-calc-nogui"]


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def say(msg: str) -> None:
    print(f"[skillsite] {msg}", flush=True)


def missing_debian_packages(packages: list[str]) -> list[str]:
    if not sys.platform.startswith("linux") or not shutil.which("dpkg-query"):
        return []
    missing = []
    for pkg in packages:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
        if "install ok installed" not in r.stdout:
            missing.append(pkg)
    return missing


def ensure_system_packages(packages: list[str]) -> None:
    missing = missing_debian_packages(packages)
    if not missing:
        return
    command = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        say("安装系统依赖 / installing system packages: " + " ".join(missing))
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(command, check=True, env=env)
    else:
        say("缺少系统依赖，请先运行 / missing system packages, please run:")
        print("    sudo apt-get update && sudo " + " ".join(command), flush=True)
        sys.exit(1)


REPLACED_PACKAGES = ["PySide6-Pdf"]  # dependencies of earlier versions that now conflict


def ensure_venv() -> Path:
    py = venv_python()
    if not py.exists():
        say(f"创建虚拟环境 / creating virtualenv in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        say("安装依赖 / installing SkillSite and its dependencies (first time takes a few minutes)")
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
        # an older setup's PySide6-Pdf 6.12 shares files with PySide6-Addons 6.11 (QtPdf): gone
        # before the install, so that removing it later cannot take QtPdf away
        for old in REPLACED_PACKAGES:
            subprocess.run([str(py), "-m", "pip", "uninstall", "-q", "-y", old], check=False)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(wanted)
    return py


def main(argv: list[str]) -> int:
    if len(argv) < 1 or argv[0] not in ("run", "test", "setup"):
        print(__doc__)
        print("usage: bootstrap.py run [skillsite args…] | test [pytest args…] | setup")
        return 2
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must run on any Python to say so
        say("需要 Python 3.11 或更高版本 / Python 3.11+ is required")
        return 1
    mode, rest = argv[0], argv[1:]
    packages = QT_LIBS + FONTS + (TEST_TOOLS if mode == "test" else GUI_LIBS)
    ensure_system_packages(packages)
    py = ensure_venv()
    if mode == "setup":
        return 0
    if mode == "run":
        return subprocess.call([str(py), "-m", "app", *rest], cwd=ROOT)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    targets = [d for d in ("app", "tests", "scripts", "bench") if (ROOT / d).is_dir()]
    lint = subprocess.call([str(py), "-m", "ruff", "check", *targets], cwd=ROOT)
    tests = subprocess.call([str(py), "-m", "pytest", *rest], cwd=ROOT, env=env)
    return tests or lint


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
