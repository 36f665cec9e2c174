"""The certificate's QR code as vector rectangles.

qrcode's automatic mask choice builds and scores all eight masks — most of the cost of a QR
code — so the mask is fixed (any mask gives a valid, decodable symbol). Dark modules are merged
into horizontal runs and drawn as one filled path: a few hundred rectangles per code.
"""

from __future__ import annotations

from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M

FIXED_MASK = 2  # any of 0–7 is valid; fixed so no mask search runs


@lru_cache(maxsize=256)
def qr_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The module matrix (no quiet zone) of `payload`, error correction M, fixed mask."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=FIXED_MASK)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def dark_runs(matrix: tuple[tuple[bool, ...], ...]) -> list[tuple[int, int, int]]:
    """(row, first column, length) of every horizontal run of dark modules."""
    runs: list[tuple[int, int, int]] = []
    for r, row in enumerate(matrix):
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return runs


def draw_qr(canvas, payload: str, x: float, y: float, size: float) -> None:  # type: ignore[no-untyped-def]
    """Draw the code with its dark modules filling the square (x, y bottom-left, size) in points."""
    matrix = qr_matrix(payload)
    n = len(matrix)
    m = size / n
    top = y + size
    path = canvas.beginPath()
    for r, c, length in dark_runs(matrix):
        path.rect(x + c * m, top - (r + 1) * m, length * m, m)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
