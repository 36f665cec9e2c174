"""Text clean-up shared by the validators: full-width to half-width, whitespace removal."""

from __future__ import annotations

import re
from typing import Final

# Invisible characters that Excel, Word and web forms like to leave behind.
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00a0\u3000]+")


# Full-width ASCII variants (U+FF01–U+FF5E) and the ideographic space, to ASCII.
_HALFWIDTH: Final = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def to_halfwidth(text: str) -> str:
    """Map full-width ASCII variants (U+FF01–U+FF5E) and the ideographic space to ASCII.

    Through str.translate: this runs on every cell of a 10,000-row import.
    """
    return text if text.isascii() else text.translate(_HALFWIDTH)


def compact_upper(text: str) -> str:
    """Half-width, no whitespace anywhere, upper case: the stored form of codes and numbers."""
    if text.isascii() and text.isalnum():
        return text.upper()
    return _INVISIBLE.sub("", to_halfwidth(text)).upper()


def show_char(ch: str) -> str:
    """A character quoted for a message; makes blanks and oddities visible."""
    if ch.isprintable() and not ch.isspace():
        return f"“{ch}”"
    return f"“U+{ord(ch):04X}”"
