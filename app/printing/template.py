"""The certificate layout as data (resources/templates/*.toml) and the certificate's own data.

A template says where everything goes; `render.py` only draws what it says. Positions are in
millimetres from the page's top-left corner with y growing downwards (a ruler on the paper);
`to_pt` converts them to PDF points (origin bottom-left).
"""

from __future__ import annotations

import datetime as dt
import string
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from app.errors import ConfigurationError
from app.paths import resources_dir

MM = 72.0 / 25.4  # points per millimetre
NO_WORK_TYPE = "——"  # 000 附件4 注3：工种名称如无，请填写“——”
DEFAULT_TEMPLATE = "a4_landscape_standard"

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate (plain data, no ORM)."""

    name: str
    id_type_name: str
    id_number: str
    occupation: str
    work_type: str  # "" when the batch has no work type (printed as ——)
    level_name: str
    number: str
    issue_date: dt.date
    org_name: str
    photo: bytes | None = None
    qr_payload: str = ""

    def placeholders(self) -> dict[str, str]:
        d = self.issue_date
        return {
            "name": self.name,
            "id_type_name": self.id_type_name,
            "id_number": self.id_number,
            "occupation": self.occupation,
            "work_type": self.work_type or NO_WORK_TYPE,
            "level_name": self.level_name,
            "number": self.number,
            "issue_date": f"{d.year}年{d.month}月{d.day}日",
            "org_name": self.org_name,
        }


PLACEHOLDERS = frozenset(
    CertificateData("", "", "", "", "", "", "", dt.date(2000, 1, 1), "").placeholders()
)


@dataclass(frozen=True)
class TextItem:
    key: str
    text: str
    x_mm: float
    y_mm: float  # baseline of the (first) line
    size_pt: float
    align: Align = "left"
    overlay: bool = False  # printed in overlay (套打) mode
    max_width_mm: float | None = None  # one line: shrink the size until it fits
    min_size_pt: float = 9.0
    wrap_mm: float | None = None  # a paragraph: wrap at this width
    leading_pt: float | None = None
    first_indent_chars: int = 0


@dataclass(frozen=True)
class FieldItem:
    key: str
    label: str
    value: str
    x_mm: float  # label
    value_x_mm: float
    y_mm: float
    size_pt: float
    max_width_mm: float | None = None
    min_size_pt: float = 9.0
    overlay: bool = True  # the value is printed in overlay mode (the label is pre-printed)


@dataclass(frozen=True)
class Box:
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float
    frame_line_pt: float = 0.0
    placeholder: str = ""


@dataclass(frozen=True)
class Border:
    width_mm: float
    height_mm: float
    line_width_pt: float


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    source: str
    page_width_mm: float
    page_height_mm: float
    border: Border
    texts: tuple[TextItem, ...]
    fields: tuple[FieldItem, ...]
    photo: Box
    qr: Box
    seal: Box
    path: Path | None = field(default=None, compare=False)

    @property
    def page_size(self) -> tuple[float, float]:
        return self.page_width_mm * MM, self.page_height_mm * MM

    def border_box(self) -> Box:
        b = self.border
        return Box(
            (self.page_width_mm - b.width_mm) / 2,
            (self.page_height_mm - b.height_mm) / 2,
            b.width_mm,
            b.height_mm,
        )

    def to_pt(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        """A top-left millimetre position as PDF points (bottom-left origin)."""
        return x_mm * MM, (self.page_height_mm - y_mm) * MM

    def rect_pt(self, box: Box) -> tuple[float, float, float, float]:
        """(x, y, width, height) in points of a box, y being its bottom edge."""
        x, y = self.to_pt(box.x_mm, box.y_mm + box.height_mm)
        return x, y, box.width_mm * MM, box.height_mm * MM


# --- loading -----------------------------------------------------------------------------------


def templates_dir() -> Path:
    return resources_dir() / "templates"


class _Reader:
    def __init__(self, file: Path, prefix: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise ConfigurationError(f"证书模板“{file}”有误：“{prefix}”应为表。请修正该文件。")
        self.file, self.prefix, self.data = file, prefix, data

    def fail(self, key: str, problem: str) -> ConfigurationError:
        where = f"{self.prefix}.{key}" if self.prefix else key
        return ConfigurationError(f"证书模板“{self.file}”有误：键“{where}”{problem}。请修正该文件。")

    def build(self, cls: type, **fixed: Any) -> Any:
        known = {f.name: f for f in fields(cls)}
        for key in self.data:
            if key not in known or key in fixed or key == "path":
                raise self.fail(key, "不是可识别的配置项（拼写错误？）")
        kwargs: dict[str, Any] = dict(fixed)
        for name, f in known.items():
            if name in fixed or name == "path" or name not in self.data:
                continue
            value = self.data[name]
            kind = str(f.type)
            if "float" in kind and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            ok = (
                ("float" in kind and isinstance(value, float))
                or (kind == "int" and isinstance(value, int) and not isinstance(value, bool))
                or (kind == "bool" and isinstance(value, bool))
                or (kind in ("str", "Align") and isinstance(value, str))
            )
            if not ok:
                raise self.fail(name, f"类型不对（应为{kind}）")
            if kind == "Align" and value not in ("left", "center", "right"):
                raise self.fail(name, "应为 left、center 或 right")
            kwargs[name] = value
        try:
            return cls(**kwargs)
        except TypeError:
            missing = [n for n, f in known.items() if n not in kwargs and n != "path"]
            raise self.fail(missing[0] if missing else "?", "缺失") from None

    def sub(self, key: str) -> _Reader:
        if key not in self.data:
            raise self.fail(key, "缺失")
        return _Reader(self.file, f"{self.prefix}.{key}" if self.prefix else key, self.data[key])

    def items(self, key: str) -> list[_Reader]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, "应为表数组")
        return [_Reader(self.file, f"{key}[{i}]", v) for i, v in enumerate(value)]


def _check_placeholders(reader: _Reader, key: str, text: str) -> None:
    for _lit, name, _spec, _conv in string.Formatter().parse(text):
        if name is not None and name not in PLACEHOLDERS:
            raise reader.fail(key, f"含未知占位符“{{{name}}}”（可用：{'、'.join(sorted(PLACEHOLDERS))}）")


def load_template_file(path: str | Path) -> Template:
    file = Path(path)
    try:
        data = tomllib.loads(file.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise ConfigurationError(f"无法读取证书模板“{file}”：{exc.strerror or exc}。") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"证书模板“{file}”格式错误（应为UTF-8编码的TOML）：{exc}。") from exc
    root = _Reader(file, "", data)
    allowed = {"name", "title", "source", "page", "border", "texts", "fields", "photo", "qr", "seal"}
    for key in data:
        if key not in allowed:
            raise root.fail(key, "不是可识别的配置项（拼写错误？）")
    for key in ("name", "title", "source"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise root.fail(key, "缺失或为空")
    page = root.sub("page")
    texts = tuple(r.build(TextItem) for r in root.items("texts"))
    flds = tuple(r.build(FieldItem) for r in root.items("fields"))
    for item, r in zip(texts, root.items("texts"), strict=True):
        _check_placeholders(r, "text", item.text)
    for fitem, r in zip(flds, root.items("fields"), strict=True):
        _check_placeholders(r, "value", fitem.value)

    def square(key: str) -> Box:
        r = root.sub(key)
        size = r.data.get("size_mm")
        if not isinstance(size, int | float) or isinstance(size, bool) or size <= 0:
            raise r.fail("size_mm", "应为正数")
        rest = _Reader(file, r.prefix, {k: v for k, v in r.data.items() if k != "size_mm"})
        return rest.build(Box, width_mm=float(size), height_mm=float(size))

    pw, ph = page.data.get("width_mm"), page.data.get("height_mm")
    if not all(isinstance(v, int | float) and v > 0 for v in (pw, ph)):
        raise page.fail("width_mm", "页面宽度/高度应为正数")
    return Template(
        name=data["name"],
        title=data["title"],
        source=data["source"],
        page_width_mm=float(pw),  # type: ignore[arg-type]
        page_height_mm=float(ph),  # type: ignore[arg-type]
        border=root.sub("border").build(Border),
        texts=texts,
        fields=flds,
        photo=root.sub("photo").build(Box),
        qr=square("qr"),
        seal=square("seal"),
        path=file,
    )


def load_template(name: str = DEFAULT_TEMPLATE, extra_dirs: Sequence[Path] = ()) -> Template:
    """The template called `name`: a site's own (extra_dirs, e.g. data_dir/templates) first,
    then the bundled ones in resources/templates. Files are matched on their `name` key."""
    searched = [*extra_dirs, templates_dir()]
    for d in searched:
        if not d.is_dir():
            continue
        for file in sorted(d.glob("*.toml")):
            try:
                head = tomllib.loads(file.read_bytes().decode("utf-8-sig")).get("name")
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                head = None
            if head == name:
                return load_template_file(file)
    raise ConfigurationError(
        f"找不到证书模板“{name}”（已查找：{'、'.join(str(d) for d in searched)}）。"
        "请检查省份配置中的 certificate.template 或模板文件的 name。"
    )
