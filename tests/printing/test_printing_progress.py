"""Long renderings report progress and stop cleanly when the user cancels."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.printing.fonts import default_chain
from app.printing.render import CertificateRenderer, RenderCancelled, render_electronic
from app.printing.template import load_template
from tests.printing.certfactory import sample_data


@pytest.fixture(scope="module")
def parts():  # type: ignore[no-untyped-def]
    return load_template(), default_chain()


def _datas(n: int):  # type: ignore[no-untyped-def]
    return [sample_data(number=f"S000050000017263{i:06d}") for i in range(1, n + 1)]


def test_progress_counts_every_page_and_ends_at_the_total(tmp_path: Path, parts) -> None:
    calls: list[tuple[int, int]] = []
    out = tmp_path / "all.pdf"
    pages = CertificateRenderer(*parts).render(_datas(4), out, lambda d, t: calls.append((d, t)) or True)
    assert pages == 4 and out.stat().st_size > 0
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def test_cancel_writes_no_file(tmp_path: Path, parts) -> None:
    out = tmp_path / "cancelled.pdf"
    with pytest.raises(RenderCancelled):
        CertificateRenderer(*parts).render(_datas(5), out, lambda done, _t: done < 2)
    assert not out.exists()


def test_cancelled_electronic_export_keeps_and_names_the_files_already_written(
    tmp_path: Path, parts
) -> None:
    with pytest.raises(RenderCancelled) as stop:
        render_electronic(_datas(5), tmp_path / "e", *parts, progress=lambda d, _t: d < 3, total=5)
    assert [p.name for p in stop.value.written] == [
        f"S000050000017263{i:06d}.pdf" for i in (1, 2, 3)
    ]
    assert sorted(tmp_path.joinpath("e").iterdir()) == stop.value.written
