"""Writing an output file (xlsx, pdf) safely: to a temporary file beside it, then moved into place.

A staff member picks where an export goes; the folder may be gone (a USB stick pulled out),
read-only, or the file may be open in Excel or WPS (Windows then refuses to replace it). Any of
these is a clear Chinese message naming the file — never a traceback — and neither a partial
file nor the temporary file is left behind; an existing file of that name stays as it was.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from app.errors import UserInputError


class OutputFileError(UserInputError):
    """The output file could not be written (folder missing, no permission, file in use …)."""


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件夹不存在（U盘是否已拔出？）"
    if isinstance(exc, IsADirectoryError):
        return "该名称是一个文件夹"
    if isinstance(exc, PermissionError):
        return "没有写入权限，或该文件正在 Excel/WPS 等程序中打开"
    if exc.errno == errno.ENOSPC:
        return "磁盘空间不足"
    if exc.errno == errno.EROFS:
        return "磁盘为只读"
    return exc.strerror or type(exc).__name__


def output_error(path: Path, exc: OSError) -> OutputFileError:
    return OutputFileError(
        f"无法写入文件“{path}”：{_reason(exc)}。请关闭正在使用该文件的程序，"
        "或换一个文件夹/文件名后重试。"
    )


@contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `path`.

    An OSError while writing or replacing becomes an OutputFileError; the temporary file is
    removed whenever the block does not complete.
    """
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    done = False
    try:
        tmp.open("wb").close()  # fail here, before anything is built, when the place is unwritable
        yield tmp
        tmp.replace(path)
        done = True
    except OSError as exc:
        raise output_error(path, exc) from None
    finally:
        if not done:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)
