"""Where SkillSite keeps its data: platformdirs, overridable by --data-dir or SKILLSITE_HOME."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

ENV_HOME = "SKILLSITE_HOME"
DB_FILENAME = "skillsite.db"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: the explicit argument, else $SKILLSITE_HOME, else the platform default."""
    if explicit:
        path = Path(explicit)
    elif os.environ.get(ENV_HOME):
        path = Path(os.environ[ENV_HOME])
    else:
        path = Path(user_data_dir("SkillSite", appauthor=False, roaming=False))
    path = path.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path(data_dir: Path) -> Path:
    return data_dir / DB_FILENAME


def log_dir(data_dir: Path) -> Path:
    d = data_dir / "logs"
    d.mkdir(parents=True, exist_ok=True)
    return d


def backup_dir(data_dir: Path) -> Path:
    d = data_dir / "backups"
    d.mkdir(parents=True, exist_ok=True)
    return d


def resources_dir() -> Path:
    """The bundled resources folder (beside the package in a checkout; inside the bundle when frozen)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "resources", here / "resources"):
        if candidate.is_dir():
            return candidate
    return here.parent / "resources"
