"""Rotating log file in the data directory. ID numbers and passwords never reach it."""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.paths import log_dir

# 15- or 18-character resident ID numbers and long digit runs that look like them.
_ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8,9}(\d{2}[0-9Xx]|\d{1})(?![0-9A-Za-z])")
_SECRET_PATTERN = re.compile(r"(?i)(password|passwd|passphrase|密码)(\s*[=:：]\s*)\S+")


def redact(text: str) -> str:
    text = _ID_PATTERN.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 8) + m.group(0)[-2:], text)
    return _SECRET_PATTERN.sub(r"\1\2******", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def setup_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    path = log_dir(data_dir) / "skillsite.log"
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_skillsite", False):
            root.removeHandler(h)
            h.close()
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler._skillsite = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level)
    return path
