"""Photo file names: whose photo a name says it is (the folder import, `photos._scan`), and the
name as it may be shown and logged, ID numbers masked (`masked_file_name`).

A file named exactly by an ID number (any type: `candidate_numbers`) is that number's file (a
"plain" file). Otherwise a name holding one resident ID number is that number's file too, the
text around the number (`FileKey.text`) read as the person's name once copy marks (“ - 副本”,
“(1)”, “copy”), counters, common photo words (身份证, 二寸, 证件照, 蓝底, …), separators and digits
are taken out (`FileKey.name`): nothing left, or the person's name, names the person
(`FileKey.names`). Such "decorated" files give way to a plain file for the same person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from app.errors import ValidationError
from app.rules._text import compact_upper, name_key, to_halfwidth
from app.rules.idcard import gb11643_check_char, mask_id, upgrade_15

_MIN_ID_DIGITS: Final = 6  # a run of letters and digits with this many digits may be an ID number
_ALNUM_RUN: Final = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]+")
_NUMBER_RUN: Final = re.compile(r"[0-9]{15,}")  # (half-width) digits an ID number may be
# An ID number typed in groups, as it is read out or printed: 500106 19901010 123X (single
# spaces or hyphens between groups of digits; it counts only when it is a whole 18-character
# number with the right check character).
_GROUPED_RUN: Final = re.compile(r"[0-9]+(?:[ \-][0-9]+)+(?:[Xx](?![A-Za-z]))?")
_MIDDLE_DOTS: Final = "·•・‧･∙⋅"
# Not part of a name: copy marks and words a photo's file name often has besides the name
# (longer forms first: "身份证号" is one word, not 身份证 and a name "号").
_NOT_NAME_WORDS: Final = re.compile(
    "|".join(
        (
            r"副本",  # Windows' "… - 副本", macOS' "… 副本 2"
            r"复件",  # older Windows: "复件 …"
            r"拷贝",
            r"copy",  # "… - Copy", "… copy 2"
            r"身份证号码?",
            r"证件号码?",
            r"身份证",
            r"(?:[蓝白红]底|报名|标准|电子|工作|证件|生活)照片?",  # 白底照, 报名照, 证件照片
            r"照片",
            r"相片",
            r"小?[一二两12]\s*寸(?:照片?)?",  # 一寸, 二寸, 小二寸, 2寸照片
            r"寸照",
            r"免冠",
            r"[蓝白红]底",
            r"头像",
            r"正面",
        )
    ),
    re.IGNORECASE,
)
# what is left between the parts of a name: separators, brackets, digits (counters, "(1)")
_NOT_NAME_CHARS: Final = re.compile(rf"(?:[^\w{_MIDDLE_DOTS}]|[\d_])+")


def _mask_run(run: str) -> str:
    return mask_id(run) if sum(c.isdigit() for c in run) >= _MIN_ID_DIGITS else run


_GROUP: Final = re.compile(r"[0-9]+(?:[Xx](?![A-Za-z]))?")


def _plausible(number: str) -> bool:
    """A resident ID number in every part (region, birth date, check character): a run cut
    out of a longer one, or digits that happen to end in the right check character (1 in 11),
    are not taken for one."""
    from app.rules.idcard import validate_id

    try:
        validate_id("201", number)
    except ValidationError:
        return False
    return True


def _run_numbers(m: re.Match[str]) -> list[tuple[int, int, str]]:
    """The ID numbers a run of `_GROUPED_RUN` spells, as (start, end, number) in the matched
    text: the whole run joined, or else each sequence of its groups that joins to a valid
    18-character number (two numbers typed in groups one after the other are two)."""
    groups = list(_GROUP.finditer(m.group()))
    whole = "".join(g.group() for g in groups).upper()
    if len(whole) == 18 and well_formed(whole):
        return [(m.start(), m.end(), whole)]
    out, i = [], 0
    while i < len(groups):
        joined = ""
        for j in range(i, len(groups)):
            joined += groups[j].group().upper()
            if len(joined) >= 18:
                break
        if len(joined) == 18 and _plausible(joined):
            out.append((m.start() + groups[i].start(), m.start() + groups[j].end(), joined))
            i = j + 1
        else:
            i += 1
    return out


def _grouped_numbers(text: str) -> list[tuple[int, int, str]]:
    """Every ID number typed in groups in (half-width) `text`, as (start, end, number)."""
    return [n for m in _GROUPED_RUN.finditer(text) for n in _run_numbers(m)]


def _grouped_spans(text: str) -> list[tuple[int, int, str]]:
    """Where `text` holds digits in groups that are as long as an ID number (15 or more,
    valid or not), as (start, end, the digits joined) in `text`'s own positions — found in its
    half-width form, as `file_key` reads it (full-width digits and spaces)."""
    wide: list[int] = []  # for each character of the half-width form, its index in `text`
    parts: list[str] = []
    for i, ch in enumerate(text):
        narrow = to_halfwidth(ch)
        parts.append(narrow)
        wide.extend([i] * len(narrow))
    narrow_text = "".join(parts)
    spans = []
    for m in _GROUPED_RUN.finditer(narrow_text):
        numbers = _run_numbers(m)
        joined = re.sub(r"[ \-]", "", m.group()).upper()
        if numbers:
            spans += numbers
        elif sum(c.isdigit() for c in joined) >= 15:
            spans.append((m.start(), m.end(), joined))
    return [(wide[start], wide[end - 1] + 1, number) for start, end, number in spans]


def _mask_parts(text: str) -> str:
    """Each ID-like part of `text` masked: digits in groups as long as an ID number as one
    number (its last group alone would escape `_mask_run`), any other run of letters and digits
    holding six or more digits by `_mask_run`."""

    def runs(part: str) -> str:
        return _ALNUM_RUN.sub(lambda r: _mask_run(r.group()), part)

    out, at = [], 0
    for start, end, joined in _grouped_spans(text):
        out += [runs(text[at:start]), mask_id(joined)]
        at = end
    out.append(runs(text[at:]))
    return "".join(out)


def masked_file_name(name: str) -> str:
    """`name` with any ID-like part masked (mask_id), the extension kept: safe to show and log.

    A stem that is one number (spaces, full-width characters and a lower-case x allowed) is
    masked whole, e.g. 11010519491231002x.jpg → 110105**********2X.jpg; otherwise each run of
    letters and digits holding six or more digits is masked.
    """
    suffix = Path(name).suffix
    stem = name[: len(name) - len(suffix)] if suffix else name
    compact = compact_upper(stem)
    if compact.isascii() and compact.isalnum() and len(compact) <= 20:  # (longer: two numbers)
        masked = _mask_run(compact)
        return name if masked == compact else masked + suffix
    return _mask_parts(stem) + suffix


def shown_text(text: str) -> str:
    """`text` (a part of a file name) with any ID-like run masked, as `masked_file_name`."""
    return _mask_parts(text)


def candidate_numbers(stem: str) -> set[str]:
    """The ID numbers a file stem is, as a whole (a 15-digit number also as its 18-digit form)."""
    from app.rules.idcard import validate_id

    number = compact_upper(stem)
    out = {number}
    if len(number) == 15 and number.isdigit():  # a first-generation number names the 18-digit one
        try:
            out.add(validate_id("201", number).number)
        except ValidationError:
            pass
    return out


def clean_name(text: str) -> str:
    """The name in `text` (a file name without its ID number): copy marks, photo words,
    separators and digits taken out, the parts left joined by a space; "" when none is left."""
    return " ".join(_NOT_NAME_CHARS.sub(" ", _NOT_NAME_WORDS.sub(" ", to_halfwidth(text))).split())


@dataclass(frozen=True)
class FileKey:
    """Who a file name may mean: `plain`, the whole stem as an ID number of any type (matched
    first, as always); else the one resident ID number in it (`number`: 18 characters with a
    right check character, or 15 digits, given in its stored 18-character form), the text
    around it (`text`) and the name that text holds (`name`, `clean_name`; "" if none).
    `numbers` counts the runs of 15 or more digits: with two or more the file is ambiguous."""

    plain: frozenset[str]
    number: str | None = None
    name: str = ""
    numbers: int = 0
    text: str = ""

    def names(self, person_name: str) -> bool:
        """Whether the file's name part fits `person_name`: there is none, or it is the
        person's name (`name_key`: spaces, middle dots, case and width aside) — not merely one
        holding it: 王芳芳_<王芳's number> is 王芳芳's photo under a mistyped number."""
        if not self.name:
            return True
        wanted = name_key(person_name)
        return bool(wanted) and name_key(self.name) == wanted


def well_formed(run: str) -> str | None:
    """A run of digits (and X) as a resident ID number in its 18-character form, or None."""
    if len(run) == 18 and gb11643_check_char(run[:17]) == run[17]:
        return run
    return upgrade_15(run) if len(run) == 15 else None


def numbers_in(stem: str) -> set[str]:
    """Every resident ID number a file stem holds (in its stored 18-character form), however
    many: for a name with two (ambiguous to the folder import) still to tell whose they are."""
    text = to_halfwidth(stem)
    found = {number for _start, _end, number in _grouped_numbers(text)}
    for m in re.finditer(r"[0-9]{17}[0-9Xx]|[0-9]{15,}", text):
        if (number := well_formed(m.group().upper())) and _plausible(number):
            found.add(number)
    return found


def file_key(stem: str) -> FileKey:
    """张三500115199001011234, 500115199001011234-张三, 500115199001011234_张三 (full-width,
    spaces and x allowed) → that number and 张三; 500115199001011234 - 副本, 照片_500115199001011234
    → that number and no name; 张三 500115 19900101 1234 (the number in groups) → the number and
    张三; see `FileKey`."""
    plain = frozenset(candidate_numbers(stem))
    text = to_halfwidth(stem)
    # a number typed in groups is read as one: its groups joined, the text around it kept
    for start, end, number in reversed(_grouped_numbers(text)):
        text = f"{text[:start]} {number} {text[end:]}"
    runs = []
    for m in _NUMBER_RUN.finditer(text):
        start, end = m.span()
        if end - start == 17 and text[end : end + 1] in ("X", "x"):
            end += 1
        runs.append((start, end))
    if len(runs) != 1:
        return FileKey(plain, numbers=len(runs))
    start, end = runs[0]
    around = f"{text[:start]} {text[end:]}"
    number = well_formed(text[start:end].upper())
    return FileKey(plain, number, clean_name(around), 1, around.strip())
