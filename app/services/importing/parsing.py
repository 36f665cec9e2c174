"""Reading one import row: each cell validated into a ParsedRow, with issues named by row and column."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.errors import ValidationError
from app.models import Occupation
from app.models.enums import StaffRole
from app.rules._text import width_key
from app.rules.idcard import mask_id, validate_id
from app.services.importing import cells as C
from app.services.importing.columns import BY_KEY, EXAMPLE_ID_NUMBER, EXAMPLE_NAME
from app.services.importing.reader import SheetTable
from app.services.importing.results import (
    ImportRow,
    ParsedRow,
    RowIssue,
)
from app.services.person_text import FIELD_NAMES, check_text
from app.services.roster import EXPIRY_NOTICE_DAYS, check_identity, expires_text

TEXT_KEYS: Final = ("phone", "employer", "education", "city", "title")
_MOBILE: Final = re.compile(r"1[3-9]\d{9}")  # a mobile number: no leading 0 to lose
OCC_CODE: Final = re.compile(r"\d-\d{2}-\d{2}-\d{2}")
# What may surround a code written beside a name: 电工（6-31-01-03）, 6-31-01-03 电工.
_AROUND_CODE: Final = " ()（）[]【】:：-—"


class Catalogue:
    """Occupations by code and by name, work types by (occupation, name) — for 考评职业/考评工种.

    Names are matched by `width_key`: the file's 电工（初级） is the catalogue's 电工(初级)."""

    def __init__(self, session: Session) -> None:
        self.by_code: dict[str, Occupation] = {}
        self.by_name: dict[str, list[Occupation]] = {}
        for occ in session.scalars(select(Occupation).options(selectinload(Occupation.work_types))):
            self.by_code[occ.code] = occ
            self.by_name.setdefault(width_key(occ.name), []).append(occ)

    def occupations(self, value: object) -> list[str]:
        """The entries of a 考评职业 cell: split like the roles, a catalogue name kept whole."""
        return C.split_items(value, self.by_name)

    def occupation(self, text: str) -> Occupation:
        """The occupation one entry names: by code (within other text, "电工(6-31-01-03)") or name."""
        codes = OCC_CODE.findall(text)
        if len(codes) > 1:
            raise C.CellError(
                f"“{text}”中有 {len(codes)} 个职业编码：一项只能是一个职业，"
                "多个考评职业请用“、”分隔，如 6-31-01-03、4-03-02-01"
            )
        if codes:
            occ = self.by_code.get(codes[0])
            if occ is None:
                raise C.CellError(f"职业编码“{codes[0]}”不在职业目录中：请先在职业目录中添加该职业")
            rest = width_key(OCC_CODE.sub("", text).strip(_AROUND_CODE))
            if rest != width_key(occ.name) and rest in self.by_name:  # 电工(4-03-02-01)
                raise C.CellError(
                    f"“{text}”中的职业编码“{occ.code}”是“{occ.name}”，与职业名称“{rest}”不符："
                    "请核对后只填写其中正确的一个"
                )
            return occ
        found = self.by_name.get(width_key(text), [])
        if len(found) == 1:
            return found[0]
        if found:
            raise C.CellError(f"职业名称“{text}”在目录中有多个，请改填职业编码")
        raise C.CellError(
            f"职业“{text}”不在职业目录中：请填写目录中的职业名称或编码（多个用“、”分隔），"
            "或先在“机构与备案 › 职业目录”中添加该职业"
        )

    @staticmethod
    def work_types(occ: Occupation, value: object) -> list[str]:
        """The entries of a 考评工种 cell: split like the roles, a work type's name kept whole."""
        return C.split_items(value, {width_key(wt.name) for wt in occ.work_types})

    @staticmethod
    def work_type(occ: Occupation, name: str) -> int:
        key = width_key(name)
        for wt in occ.work_types:
            if width_key(wt.name) == key or (wt.code and wt.code == name):
                return wt.id
        raise C.CellError(f"职业“{occ.name}”下没有工种“{name}”（多个工种用“、”分隔）")


class RowReader:
    def __init__(self, table: SheetTable, excel_row: int, cells: list[object]) -> None:
        self.table, self.row = table, excel_row
        n = len(cells)
        # The filled cells by column key, looked up once: a row is read by key a dozen times.
        # (C.is_blank inlined: this runs for every cell of the file)
        self.filled: dict[str, object] = {
            key: v
            for key, i in table.columns.items()
            if i < n and (v := cells[i]) is not None and not (isinstance(v, str) and not v.strip())
        }
        self.out = ParsedRow()

    def raw(self, key: str) -> object:
        """The cell's value; None when the column is missing or the cell blank."""
        return self.filled.get(key)

    def given(self, key: str) -> bool:
        return key in self.filled

    def issue(self, key: str | None, message: str) -> None:
        col = header = ""
        if key and key in self.table.columns:
            col, header = self.table.where(key)
        elif key:  # a column the file lacks: named as the template names it
            header = BY_KEY[key].title if key in BY_KEY else FIELD_NAMES.get(key, key)
        self.out.errors.append(RowIssue(self.table.sheet, self.row, col, header, message))

    def code(self, key: str) -> str | None:
        """The text of a cell that holds a number written in digits (phone, certificate number);
        None when blank or unusable (the problem recorded).

        A number cell gives its digits (`cells.code_text`) with a warning where digits may be
        missing: a leading 0 (a number cell has none), or digits past Excel's fifteen."""
        if not self.given(key):
            return None
        raw = self.raw(key)
        try:
            text = C.code_text(raw)
        except C.CellError as exc:
            self.issue(key, str(exc))
            return None
        if C.is_number(raw):
            letter, header = self.table.where(key)
            where = f"{letter} 列（{header}）以数字格式保存"
            if len(text.lstrip("-")) > C.EXCEL_DIGITS:
                self.out.warnings.append(
                    f"{where}，有 {len(text.lstrip('-'))} 位：Excel只保留{C.EXCEL_DIGITS}位有效数字，"
                    "末尾几位可能已变成0，请与原始资料核对；建议把该列设为“文本”格式后重新录入"
                )
            elif key != "phone" or not _MOBILE.fullmatch(text):
                example = "（如区号023的0）" if key == "phone" else ""
                self.out.warnings.append(
                    f"{where}，读作“{text}”：数字单元格不保留开头的0{example}，"
                    "如原号码以0开头请补上；建议把该列设为“文本”格式后重新录入"
                )
        return text

    def parse(self, key: str, fn: Callable[[object], Any]) -> Any:
        """fn(cell) if the cell is filled; None if blank or invalid (the problem is recorded)."""
        if not self.given(key):
            return None
        try:
            return fn(self.raw(key))
        except C.CellError as exc:
            self.issue(key, str(exc))
        except ValidationError as exc:
            self.issue(key, exc.message)
        return None


@functools.lru_cache(maxsize=4096)
def _checked_prose(key: str, value: str) -> str:
    """A free-text cell as stored (`check_text`). Cached: a file repeats its employers,
    education levels and cities thousands of times, and the check depends on nothing else."""
    return check_text(key, C.clean_prose(value))


def parse_row(
    table: SheetTable, kind: str, excel_row: int, cells: list[object], cat: Catalogue
) -> ImportRow:
    r = RowReader(table, excel_row, cells)
    p = r.out
    name = C.clean_prose(r.raw("name"))
    try:
        name = check_text("name", name)
        p.person["name"] = name
    except ValidationError as exc:
        r.issue("name", exc.message)
    id_type = r.parse("id_type", C.parse_id_type) or ("201" if not r.given("id_type") else None)
    gender = r.parse("gender", C.parse_gender)
    birth = r.parse("birth_date", C.parse_date)
    number_shown = ""
    if id_type is not None:
        raw = r.raw("id_number")
        if isinstance(raw, str):
            raw = C.drop_text_mark(raw.strip())  # '500101…: Excel's text marker, typed or pasted
        try:
            info, gender, birth = check_identity(
                id_type, raw if not C.is_blank(raw) else None, gender, birth
            )
            p.key = (info.id_type, info.number)
            number_shown = mask_id(info.number)
            p.warnings.extend(info.warnings)
            # only what the file gives or the number holds: a blank never erases stored data
            # (a passport number holds neither gender nor birth date)
            if gender is not None:
                p.person["gender"] = gender
            if birth is not None:
                p.person["birth_date"] = birth
        except ValidationError as exc:
            r.issue(
                exc.field if exc.field in ("gender", "birth_date", "id_type") else "id_number",
                exc.message,
            )
            if exc.field in ("gender", "birth_date"):  # the number itself is valid: a repeat of
                info = validate_id(id_type, raw)  # it further down is still a repeat
                p.key = (info.id_type, info.number)
                number_shown = mask_id(info.number)
            elif not C.is_blank(raw):  # a wrong number is shown (masked) beside its reason
                number_shown = mask_id(C.clean_text(raw))
    filled = r.filled
    for key in TEXT_KEYS:
        if key in filled:
            try:
                if key == "phone":
                    text = r.code(key)
                    if text is None:  # (a phone that lost digits: reported)
                        continue
                    p.person[key] = check_text(key, text)
                elif type(value := filled[key]) is str:
                    p.person[key] = _checked_prose(key, value)
                else:  # (a number or date as text: rare, not worth a cache entry)
                    p.person[key] = check_text(key, C.clean_prose(value))
            except ValidationError as exc:
                r.issue(key, exc.message)
    if kind == "staff":
        parse_staff(r, cat)
    if excel_row in table.problems:
        _report_problem_cells(r, table.problems[excel_row])
    if p.key is not None and p.key[1] == EXAMPLE_ID_NUMBER and name == EXAMPLE_NAME:
        p.errors.clear()
        p.warnings.clear()
        r.issue(
            "id_number",
            "这是导入模板中的示例行，不是真实人员：请删除该行（或用真实信息覆盖）后重新导入",
        )
    return ImportRow(excel_row, name, id_type or "", number_shown, parsed=p)


def _report_problem_cells(r: RowReader, problems: dict[int, str]) -> None:
    """Error values and value-less formulas were read as blank: say so, instead of what a blank
    cell there would have caused (e.g. "证件号码为空")."""
    flagged = {key: i for key, i in r.table.columns.items() if i in problems}
    if not flagged:
        return
    letters = {r.table.where(key)[0] for key in flagged}
    r.out.errors[:] = [e for e in r.out.errors if e.column not in letters]
    for key, i in flagged.items():
        r.issue(key, problems[i])


# (dropped when planning finds the person's qualifications already on file)
NO_OCCUPATION_WARNING: Final = "考评员未填写考评职业"


def _expiry_note(what: str, until: dt.date) -> str | None:
    """“… 已过期（有效期至 …）”, or within the roster's notice period (`EXPIRY_NOTICE_DAYS`)
    “… 将于 … 到期（还有 n 天）” as the 人员 list says it; else None."""
    days = (until - dt.date.today()).days
    if days < 0:
        return f"{what}已过期（有效期至 {until.isoformat()}）"
    if days <= EXPIRY_NOTICE_DAYS:
        return what + expires_text(until, days)
    return None


def agreement_note(until: dt.date) -> str | None:
    """An external person's agreement ended or ending within the notice period, said as the
    人员 list says it; None otherwise."""
    days = (until - dt.date.today()).days
    if days < 0:
        return f"承诺书或合作协议已于 {until.isoformat()} 到期，请及时续签"
    if days <= EXPIRY_NOTICE_DAYS:
        return f"承诺书或合作协议{expires_text(until, days)}，请及时续签"
    return None


def parse_staff(r: RowReader, cat: Catalogue) -> None:
    p = r.out
    roles = r.parse("roles", C.parse_roles) or []
    if not roles and not r.given("roles"):
        r.issue("roles", "角色为空：请填写专职工作人员、专家、考评员、内部督导员或监考员")
    details: dict[str, Any] = {}
    for key in ("duties", "specialty"):
        if r.given(key):
            try:
                details[key] = check_text(key, C.clean_prose(r.raw(key)))
            except ValidationError as exc:
                r.issue(key, exc.message)
    in_house = r.parse("in_house", C.parse_bool)
    if in_house is not None:
        details["in_house"] = in_house
    on_file = r.parse("agreement_on_file", C.parse_bool)
    until = r.parse("agreement_until", C.parse_date)
    if until is not None:
        details["agreement_until"] = until
        if on_file is None:
            on_file = True  # an agreement with an end date is on file
    if on_file is not None:
        details["agreement_on_file"] = on_file
    if in_house is False and not on_file:
        p.warnings.append("非本单位人员未登记承诺书或合作协议")
    elif until is not None and in_house is False and (note := agreement_note(until)):
        p.warnings.append(note)  # (a blank 是否本单位人员: `planning` knows the stored one)
    for role in roles:
        p.roles[role.value] = dict(details)
    occ_texts = cat.occupations(r.raw("occupations")) if r.given("occupations") else []
    qual_given = [
        k
        for k in ("certificate_no", "max_level", "valid_from", "valid_until", "work_type")
        if r.given(k)
    ]
    if not occ_texts:
        if qual_given and "occupations" in r.table.columns:
            r.issue("occupations", "填写了考评资格信息，但未填写考评职业")
        elif qual_given:
            unknown = "、".join(r.table.unknown_headers)
            r.issue(
                "occupations",
                "填写了考评资格信息，但文件中没有“考评职业”列"
                + (f"（未识别的列：{unknown}；如其中一列是考评职业，请把列名改为“考评职业”）"
                   if unknown else "：请添加“考评职业”列"),
            )  # fmt: skip
        elif StaffRole.EXAMINER in roles:
            p.warnings.append(NO_OCCUPATION_WARNING)
        return
    if StaffRole.EXAMINER not in roles:
        p.warnings.append("填写了考评职业，但角色中没有考评员")
    values: dict[str, Any] = {}
    level = r.parse("max_level", C.parse_level)
    if level is not None:
        values["max_level"] = level
    certificate_no = r.code("certificate_no")
    if certificate_no is not None:
        try:
            values["certificate_no"] = check_text("certificate_no", certificate_no.replace(" ", ""))
        except ValidationError as exc:
            r.issue("certificate_no", exc.message)
    for key in ("valid_from", "valid_until"):
        d = r.parse(key, C.parse_date)
        if d is not None:
            values[key] = d
    if (
        values.get("valid_from")
        and values.get("valid_until")
        and values["valid_until"] < values["valid_from"]
    ):
        r.issue("valid_until", "资格有效期至早于有效期起")
    today = dt.date.today()
    if values.get("valid_until") and (note := _expiry_note("考评资格", values["valid_until"])):
        p.warnings.append(note)  # imported, but said
    elif values.get("valid_from") and values["valid_from"] > today:
        p.warnings.append(f"考评资格尚未生效（有效期自 {values['valid_from'].isoformat()} 起）")
    occs: list[Occupation] = []
    for text in occ_texts:
        try:
            occ = cat.occupation(text)
        except C.CellError as exc:
            r.issue("occupations", str(exc))
            continue
        if occ not in occs:  # the same one named twice ("电工 6-31-01-03")
            occs.append(occ)
    wts: list[int | None] = [None]
    if r.given("work_type"):
        if len(occs) > 1:
            r.issue(
                "work_type",
                f"填写了多个考评职业（{'、'.join(o.name for o in occs)}）时不能填写工种："
                "填写工种时考评职业只能有一个，该职业的多个工种在本列用“、”分隔"
                "（每个工种一条考评资格）。此人其他职业的工种资格请另备一个文件用更新模式导入，"
                "或导入后在人员的考评资格中添加",
            )
            return
        if not occs:
            return
        wts = []
        for text in cat.work_types(occs[0], r.raw("work_type")):
            try:
                wt = cat.work_type(occs[0], text)
            except C.CellError as exc:
                r.issue("work_type", str(exc))
                continue
            if wt not in wts:
                wts.append(wt)
    for occ in occs:
        for wt in wts:
            p.quals.append((occ.id, wt, dict(values)))
