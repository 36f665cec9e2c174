"""Text clean-up shared by the validators: full-width to half-width, whitespace removal."""

from __future__ import annotations

import re
from typing import Final

# Invisible characters that Excel, Word and web forms like to leave behind. Codes and numbers
# lose all of them (and every space: \s covers the no-break spaces U+00A0, U+2007, U+202F).
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00a0\u3000]+")

# In names and free text: the zero-width space, the word joiner, the byte-order mark and the
# left-to-right/right-to-left marks are dropped; no-break spaces become a plain space. The
# zero-width joiner U+200D (and non-joiner U+200C) stay: they are part of some scripts and emoji.
_DROPPED: Final = "\u200b\u200e\u200f\u2060\ufeff"
_SPACES: Final = "\u00a0\u2007\u202f\u3000"

_BLANKS: Final = dict.fromkeys(map(ord, _SPACES), 0x20) | dict.fromkeys(map(ord, _DROPPED))

# Full-width ASCII variants (U+FF01–U+FF5E) to ASCII, plus the two sets above: for codes,
# numbers, dates and headers, where ２０２６－０１－０５ and ＡＢ１２ mean what their ASCII does.
_HALFWIDTH: Final = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | _BLANKS

# In prose (names of people, organisations, occupations; addresses, employers …) full-width
# punctuation is Chinese punctuation — 重庆巴渝（集团）, 中式烹调师（中式热菜）— printed on
# certificates and reports as typed; only full-width letters and digits become ASCII.
_FULLWIDTH_ALNUM: Final = [
    *range(0xFF10, 0xFF1A),
    *range(0xFF21, 0xFF3B),
    *range(0xFF41, 0xFF5B),
]  # ０–９ Ａ–Ｚ ａ–ｚ
_PROSE: Final = {c: c - 0xFEE0 for c in _FULLWIDTH_ALNUM} | _BLANKS


def to_halfwidth(text: str) -> str:
    """Map full-width ASCII variants (U+FF01–U+FF5E) to ASCII and no-break/ideographic spaces to
    a space; drop zero-width spaces, word joiners, byte-order marks and direction marks.

    Everything else stays exactly as typed (rare characters such as 𠇔, 堃, 燊, the middle dot ·).
    Through str.translate: this runs on every cell of a 10,000-row import.
    """
    return text if text.isascii() else text.translate(_HALFWIDTH)


def fold_prose(text: str) -> str:
    """`to_halfwidth` for prose: full-width letters and digits to ASCII, blanks as there, and
    full-width punctuation （）：，；！？ kept as typed."""
    return text if text.isascii() else text.translate(_PROSE)


def width_key(text: str) -> str:
    """What two names are compared by: 电工（初级） and 电工(初级) are the same name."""
    return to_halfwidth(text).strip()


def fullwidth_twins(text: str) -> dict[str, str]:
    """The ASCII punctuation in `text` (after `to_halfwidth`) with its full-width twin:
    {"(": "（", ",": "，"} — what a search folds in the stored text to find 李(小)明 and
    李（小）明 alike (`listing.contains_text`)."""
    return {c: chr(ord(c) + 0xFEE0) for c in sorted(set(text)) if "!" <= c <= "~" and not c.isalnum()}


def name_key(name: str) -> str:
    """What two writings of a person's name are compared by (a score file's 姓名 against the
    candidate's, a photo's file name against the person's): its letters only — no spaces,
    middle dots, digits or punctuation — half-width and case folded. 阿卜杜·热合曼 is
    阿卜杜 . 热合曼; 𠇔 stays 𠇔."""
    return "".join(c for c in to_halfwidth(name).casefold() if c.isalpha())


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
