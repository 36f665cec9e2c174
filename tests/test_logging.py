"""The log file never holds an ID number or a password, even if a message carries one by mistake."""

from __future__ import annotations

import logging
from pathlib import Path

from app.logging_setup import redact, setup_logging


def test_redact_masks_id_numbers_and_passwords() -> None:
    text = redact("id 11010519491231002X and old 110105491231002 password=Hunter2! 密码：abc12345")
    assert "11010519491231002X" not in text and "110105491231002" not in text
    assert "110105" in text and "Hunter2!" not in text and "abc12345" not in text


def test_log_file_is_redacted(tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    logging.getLogger("x").warning("person %s failed", "11010519491231002X")
    try:
        raise ValueError("bad id 11010519491231002X")
    except ValueError:
        logging.getLogger("x").exception("boom")
    for h in logging.getLogger().handlers:
        h.flush()
    text = path.read_text(encoding="utf-8")
    assert "failed" in text and "boom" in text and "ValueError" in text
    assert "11010519491231002X" not in text
