"""Certificate layout read back from the PDF: page, border, photo and QR boxes, text, modes."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import pdfplumber
import pytest

from app.errors import ConfigurationError
from app.printing.fonts import default_chain
from app.printing.render import (
    CertificateRenderer,
    Offset,
    certificate_pdf,
    content_sha256,
    render_batch,
    render_calibration,
    render_electronic,
)
from app.printing.template import MM, load_template, load_template_file
from tests.printing.certfactory import have_tools, jpeg_photo, pdftotext, sample_data, seal_png

TOL = 0.5 * MM  # 0.5 mm
PAYLOAD = "SKC1|S000050000017263000001|王𠇔|3|中式烹调师||20261020|500101**********37|" + "A" * 86


@pytest.fixture(scope="module")
def chain():
    return default_chain("chongqing")


@pytest.fixture(scope="module")
def template():
    return load_template()


@pytest.fixture
def full_pdf(tmp_path: Path, template, chain) -> Path:
    path = tmp_path / "cert.pdf"
    path.write_bytes(certificate_pdf(sample_data(photo=jpeg_photo(), payload=PAYLOAD), template, chain))
    return path


def _mm(v: float) -> float:
    return v / MM


def test_page_border_photo_and_qr_geometry(full_pdf: Path) -> None:
    with pdfplumber.open(full_pdf) as pdf:
        page = pdf.pages[0]
        assert len(pdf.pages) == 1
        assert _mm(page.width) == pytest.approx(297, abs=0.5)
        assert _mm(page.height) == pytest.approx(210, abs=0.5)
        border = [r for r in page.rects if r["stroke"] and r["linewidth"] == pytest.approx(2.25)]
        assert len(border) == 1
        b = border[0]
        assert _mm(b["x1"] - b["x0"]) == pytest.approx(269, abs=0.5)
        assert _mm(b["bottom"] - b["top"]) == pytest.approx(188, abs=0.5)
        assert _mm(b["x0"]) == pytest.approx(14, abs=0.5)  # centred: (297 - 269) / 2
        assert _mm(b["top"]) == pytest.approx(11, abs=0.5)  # (210 - 188) / 2
        # the photo: image and frame 35 x 49 mm on the right half
        (img,) = page.images
        assert img["x1"] - img["x0"] == pytest.approx(35 * MM, abs=TOL)
        assert img["bottom"] - img["top"] == pytest.approx(49 * MM, abs=TOL)
        assert img["x0"] > page.width / 2
        frame = [r for r in page.rects if r["stroke"] and r["linewidth"] == pytest.approx(0.5)]
        assert len(frame) == 1 and frame[0]["x0"] == pytest.approx(img["x0"], abs=TOL)
        # the QR: the filled modules span exactly 30 x 30 mm, right half, beside the photo
        qr = [r for r in page.rects if r["fill"] and not r["stroke"]]
        assert len(qr) > 50
        x0, x1 = min(r["x0"] for r in qr), max(r["x1"] for r in qr)
        top, bottom = min(r["top"] for r in qr), max(r["bottom"] for r in qr)
        assert x1 - x0 == pytest.approx(30 * MM, abs=TOL)
        assert bottom - top == pytest.approx(30 * MM, abs=TOL)
        assert x0 > img["x1"] and x1 < b["x1"]


def test_font_sizes_follow_the_template(full_pdf: Path) -> None:
    with pdfplumber.open(full_pdf) as pdf:
        chars = pdf.pages[0].chars
    by_text = {}
    for c in chars:
        by_text.setdefault(c["text"], set()).add(round(c["size"], 1))
    assert by_text["职"] >= {30.0}  # title 30 pt (职 also appears at 16 pt in the body)
    assert 30.0 in by_text["书"] and 16.0 in by_text["颁"]
    url_sizes = {round(c["size"], 1) for c in chars if c["text"] == "j"}
    assert url_sizes == {14.0}  # jndj / pjjg lines 14 pt
    assert {round(c["size"], 1) for c in chars if c["text"] == "𠇔"} == {16.0}


@pytest.mark.skipif(not have_tools("pdftotext"), reason="poppler-utils not installed")
def test_text_reads_back_with_pdftotext(full_pdf: Path) -> None:
    text = pdftotext(full_pdf)
    flat = "".join(text.split())
    for piece in (
        "职业技能等级证书",
        "本证书由重庆巴渝职业技能培训学校颁发，表明持证人通过本机构组织的职业技能等级认定，"
        "具备该职业（工种）相应技能等级水平。",
        "发证日期：2026年10月20日",
        "证书信息查询网址：http://jndj.osta.org.cn/",
        "机构信息查询网址：http://pjjg.osta.org.cn/",
        "王𠇔", "居民身份证", "500101199001011237", "中式烹调师", "——", "三级/高级工",
        "S000050000017263000001", "证件类型：", "证件号码：", "职业名称：", "工种名称：",
        "职业技能等级：", "证书编号：",
    ):
        assert piece in flat, piece
    assert "王”" not in text  # the reportlab ToUnicode defect would read 𠇔 as ”


def test_rendering_is_deterministic(template, chain) -> None:
    data = sample_data(photo=jpeg_photo(), payload=PAYLOAD)
    a, b = certificate_pdf(data, template, chain), certificate_pdf(data, template, chain)
    assert a == b
    assert content_sha256(data, template, chain) == hashlib.sha256(a).hexdigest()
    other = sample_data("李堃", photo=jpeg_photo(), payload=PAYLOAD)
    assert content_sha256(other, template, chain) != hashlib.sha256(a).hexdigest()


def test_overlay_prints_only_variable_fields_with_offset(tmp_path: Path, template, chain) -> None:
    data = sample_data("李堃", photo=jpeg_photo(), payload=PAYLOAD)
    plain, shifted = tmp_path / "o0.pdf", tmp_path / "o1.pdf"
    CertificateRenderer(template, chain, mode="overlay").render([data], plain)
    CertificateRenderer(template, chain, mode="overlay", offset=Offset(15, -7)).render([data], shifted)
    with pdfplumber.open(plain) as p0, pdfplumber.open(shifted) as p1:
        page0, page1 = p0.pages[0], p1.pages[0]
        text = page0.extract_text()
        assert "李堃" in text and "S000050000017263000001" in text
        assert "职业技能等级证书" not in text and "姓" not in text and "osta" not in text
        assert not [r for r in page0.rects if r["stroke"]]  # no border, no photo frame
        c0 = next(c for c in page0.chars if c["text"] == "堃")
        c1 = next(c for c in page1.chars if c["text"] == "堃")
        assert c1["x0"] - c0["x0"] == pytest.approx(1.5 * MM, abs=0.01)
        assert c1["top"] - c0["top"] == pytest.approx(-0.7 * MM, abs=0.01)
        i0, i1 = page0.images[0], page1.images[0]
        assert i1["x0"] - i0["x0"] == pytest.approx(1.5 * MM, abs=0.01)


def test_electronic_certificate_per_person_with_seal(tmp_path: Path, template, chain) -> None:
    datas = [sample_data("王𠇔", number=f"S00005000001726300000{i}", payload=PAYLOAD) for i in (1, 2)]
    paths = render_electronic(datas, tmp_path / "e", template, chain, seal=seal_png())
    assert [p.name for p in paths] == ["S000050000017263000001.pdf", "S000050000017263000002.pdf"]
    with pdfplumber.open(paths[0]) as pdf:
        (seal,) = pdf.pages[0].images  # no photo in this data: the one image is the seal
        assert seal["x1"] - seal["x0"] == pytest.approx(40 * MM, abs=TOL)
        assert seal["x1"] < pdf.pages[0].width / 2  # on the left page, over the organisation


def test_batches_are_written_in_chunks(tmp_path: Path, template, chain) -> None:
    datas = [sample_data(f"考生{i}", payload=PAYLOAD) for i in range(5)]
    renderer = CertificateRenderer(template, chain)
    one = render_batch(datas, tmp_path / "one.pdf", renderer, chunk_size=10)
    assert one == [tmp_path / "one.pdf"]
    parts = render_batch(iter(datas), tmp_path / "many.pdf", renderer, chunk_size=2)
    assert [p.name for p in parts] == ["many-001.pdf", "many-002.pdf", "many-003.pdf"]
    pages = []
    for p in parts:
        with pdfplumber.open(p) as pdf:
            pages.append(len(pdf.pages))
    assert pages == [2, 2, 1]


def test_calibration_page_has_a_millimetre_grid(tmp_path: Path, template, chain) -> None:
    out = tmp_path / "cal.pdf"
    render_calibration(out, template, chain, Offset(3, 4))
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        verticals = sorted({round(ln["x0"], 2) for ln in page.lines if ln["x0"] == ln["x1"]})
        assert len(verticals) >= 297
        steps = [b - a for a, b in itertools.pairwise(verticals)]
        assert all(s == pytest.approx(MM, abs=0.02) for s in steps)
        assert verticals[0] == pytest.approx(0.3 * MM, abs=0.01)  # shifted by X +0.3 mm
        assert "+0.3 mm" in page.extract_text()


def test_template_errors_are_reported(tmp_path: Path) -> None:
    src = load_template().path
    assert src is not None
    bad = tmp_path / "bad.toml"
    bad.write_text(src.read_text(encoding="utf-8").replace("由 {org_name}", "由 {organisation}"),
                   encoding="utf-8")
    with pytest.raises(ConfigurationError, match="未知占位符"):
        load_template_file(bad)
    bad.write_text(src.read_text(encoding="utf-8").replace("size_pt = 30.0", "size_pt = '30'"),
                   encoding="utf-8")
    with pytest.raises(ConfigurationError, match="size_pt"):
        load_template_file(bad)
    with pytest.raises(ConfigurationError, match="找不到证书模板"):
        load_template("no_such_template")


def test_a_site_template_overrides_the_bundled_one(tmp_path: Path) -> None:
    src = load_template().path
    assert src is not None
    site = tmp_path / "templates"
    site.mkdir()
    (site / "mine.toml").write_text(
        src.read_text(encoding="utf-8").replace("y_mm = 52.0", "y_mm = 55.5"), encoding="utf-8"
    )
    t = load_template(extra_dirs=(site,))
    assert t.path == site / "mine.toml"
    assert next(i for i in t.texts if i.key == "title").y_mm == 55.5
