"""One photo checked and made upright (二寸照片): Pillow can read it, it is JPEG or PNG,
portrait (height > width), at least 295 × 413 px (a 2-inch photo at 300 dpi, the size the
certificate prints) and under the size limit.

The checks see the photo as it displays: phones store a portrait photo as landscape pixels plus
an EXIF orientation tag. A photo that needs turning is re-encoded upright in its own format (JPEG
at high quality, PNG lossless), so that it prints upright without relying on EXIF; any other
photo's bytes are kept unchanged. The folder import and the single upload (`photos`) share this
check and its messages.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from app.errors import ValidationError

if TYPE_CHECKING:
    from PIL.Image import Image

MIN_WIDTH: Final = 295
MIN_HEIGHT: Final = 413
MAX_BYTES: Final = 2 * 1024 * 1024
JPEG_QUALITY: Final = 95  # re-encoding an upright copy: high quality, 4:4:4 colour
_MIMES: Final = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class PhotoInfo:
    mime: str
    width: int
    height: int


@dataclass(frozen=True)
class PreparedPhoto:
    """A checked photo: `data` is what to store (the file's bytes, or re-encoded upright)."""

    data: bytes
    info: PhotoInfo
    rotated: bool  # the EXIF orientation was applied and the image re-encoded


def _megabytes(n: int, rounding: Callable[[float], float]) -> str:
    """`n` bytes in MB to two decimals, rounded by `rounding` (math.ceil / math.floor); "2 MB"."""
    value = rounding(n / 1024 / 1024 * 100) / 100
    return f"{value:.2f}".rstrip("0").rstrip(".") + " MB"


def _orientation(img: Image) -> int:
    try:
        value = img.getexif().get(0x0112, 1)
    except Exception:  # a damaged EXIF block: treat the pixels as they are
        return 1
    return value if isinstance(value, int) and 2 <= value <= 8 else 1


def _encode_upright(img: Image, fmt: str, orientation: int, max_bytes: int) -> bytes:
    """The upright image in its own format; EXIF (and so any orientation tag) is dropped."""
    options: dict[str, object] = {}
    if icc := img.info.get("icc_profile"):
        options["icc_profile"] = icc
    if dpi := img.info.get("dpi"):
        options["dpi"] = (dpi[1], dpi[0]) if orientation >= 5 else dpi  # 5–8 swap the axes
    if fmt == "PNG":  # lossless: the harder compression only if the usual one is too big
        attempts: list[dict[str, object]] = [{}, {"optimize": True}]
    else:  # high quality first; a smaller encoding only if that would pass the size limit
        attempts = [
            {"quality": JPEG_QUALITY, "subsampling": 0},
            {"quality": 90},
            {"quality": 85},
            {"quality": 80},
            {"quality": 75},
        ]
    data = b""
    for extra in attempts:
        buf = io.BytesIO()
        img.save(buf, fmt, **options, **extra)
        data = buf.getvalue()
        if len(data) <= max_bytes:
            break
    return data


def _too_big_upright(size: int, max_bytes: int) -> ValidationError:
    return ValidationError(
        f"照片带有拍摄方向标记（EXIF），需转正后保存，但转正后的文件为 {_megabytes(size, math.ceil)}，"
        f"超过 {_megabytes(max_bytes, math.floor)} 的上限：请在看图软件中把照片旋转为正向并另存"
        "（必要时压缩或降低分辨率，二寸照 295×413 像素即可），或换一张照片再试"
    )


def _unreadable_image(exc: Exception) -> ValidationError:
    """Why Pillow could not read a file, in the user's words (never an exception's name)."""
    from PIL import UnidentifiedImageError

    if isinstance(exc, UnidentifiedImageError):
        what = "不是可识别的图片（可能是其他文件改了扩展名）"
    elif isinstance(exc, OSError) and "truncated" in str(exc):
        what = "图片数据不完整（文件可能没有下载或复制完整）"
    else:
        what = "图片数据已损坏"
    return ValidationError(
        f"无法读取图片：{what}。请先用看图软件打开确认，换一张能正常打开的 JPG 或 PNG 照片再试"
    )


def _too_big(size: int, max_bytes: int) -> ValidationError:
    return ValidationError(
        f"文件过大（{_megabytes(size, math.ceil)}），"
        f"不能超过 {_megabytes(max_bytes, math.floor)}：请压缩照片或降低分辨率后再试"
    )


def read_photo_file(path: Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """A photo file's bytes, its size checked first (a video picked by mistake is not read into
    memory): ValidationError when too big, OSError when it cannot be read."""
    size = path.stat().st_size
    if size > max_bytes:
        raise _too_big(size, max_bytes)
    return path.read_bytes()


def prepare_photo(data: bytes, *, max_bytes: int = MAX_BYTES) -> PreparedPhoto:
    """Check one photo's bytes and make it upright; ValidationError with the reason in Chinese.

    The checks see the photo as it displays (EXIF orientation applied). When the orientation
    is not 1 the stored bytes are the image re-encoded upright; otherwise the bytes as given.
    """
    from PIL import Image, ImageOps

    if len(data) > max_bytes:
        raise _too_big(len(data), max_bytes)
    if not data:
        raise ValidationError("文件是空的（0 字节）：请换一张照片再试")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; such an image is no ID photo either
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                fmt = img.format or ""
                img.load()
                orientation = _orientation(img)
                upright = ImageOps.exif_transpose(img) if orientation != 1 else img
                width, height = upright.size
                if orientation != 1 and fmt in _MIMES:
                    _check_size(width, height)  # before the work of re-encoding
                    data = _encode_upright(upright, fmt, orientation, max_bytes)
                    if len(data) > max_bytes:  # (a PNG re-encoded, or a JPEG at its smallest)
                        raise _too_big_upright(len(data), max_bytes)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            f"图片像素过多（超过 {Image.MAX_IMAGE_PIXELS // 10000} 万像素），图片尺寸异常；"
            f"请用正常的证件照（二寸照 {MIN_WIDTH}×{MIN_HEIGHT} 像素即可）"
        ) from None
    except Exception as exc:  # Pillow raises many types on a damaged file; none may stop an import
        raise _unreadable_image(exc) from None
    if fmt not in _MIMES:
        raise ValidationError(
            f"图片格式为 {fmt or '未知'}，只接受 JPG 或 PNG：请另存为 JPG 或 PNG 后再试"
        )
    _check_size(width, height)
    return PreparedPhoto(data, PhotoInfo(_MIMES[fmt], width, height), orientation != 1)


def _check_size(width: int, height: int) -> None:
    if height <= width:
        raise ValidationError(
            f"照片应为竖版（高大于宽），实为 {width}×{height} 像素：请换一张竖版照片再试"
        )
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValidationError(
            f"照片尺寸 {width}×{height} 像素过小：至少 {MIN_WIDTH}×{MIN_HEIGHT} 像素"
            "（二寸，300 dpi），请换一张分辨率更高的照片再试"
        )


def check_photo(data: bytes, *, max_bytes: int = MAX_BYTES) -> PhotoInfo:
    """Check one photo's bytes (as displayed, EXIF orientation applied); see `prepare_photo`."""
    return prepare_photo(data, max_bytes=max_bytes).info
