"""Text clean-up shared by the validators: full-width to half-width, whitespace removal."""

from __future__ import annotations

import re

# Invisible characters that Excel, Word and web forms like to leave behind.
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00a0\u3000]+")


def to_halfwidth(text: str) -> str:
    """Map full-width ASCII variants (U+FF01–U+FF5E) and the ideographic space to ASCII."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        elif code == 0x3000:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def compact_upper(text: str) -> str:
    """Half-width, no whitespace anywhere, upper case: the stored form of codes and numbers."""
    return _INVISIBLE.sub("", to_halfwidth(text)).upper()


def show_char(ch: str) -> str:
    """A character quoted for a message; makes blanks and oddities visible."""
    if ch.isprintable() and not ch.isspace():
        return f"“{ch}”"
    return f"“U+{ord(ch):04X}”"
