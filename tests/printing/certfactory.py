"""Helpers for the certificate tests: sample data, a sample photo/seal, a small database."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw

from app.db import Database
from app.models import Batch, Enrolment, Occupation, Organisation, Person
from app.printing.template import CertificateData
from app.rules.idcard import gb11643_check_char


def jpeg_photo(colour: tuple[int, int, int] = (180, 200, 240)) -> bytes:
    img = Image.new("RGB", (295, 413), colour)
    ImageDraw.Draw(img).ellipse((80, 90, 215, 260), fill=(230, 200, 170))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def seal_png() -> bytes:
    img = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((10, 10, 390, 390), outline=(220, 0, 0, 255), width=14)
    d.regular_polygon((200, 200, 60), 5, fill=(220, 0, 0, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def sample_data(name: str = "王𠇔", *, photo: bytes | None = None, payload: str = "",
                number: str = "S000050000017263000001", work_type: str = "") -> CertificateData:
    return CertificateData(
        name=name,
        id_type_name="居民身份证",
        id_number="500101199001011237",
        occupation="中式烹调师",
        work_type=work_type,
        level_name="三级/高级工",
        number=number,
        issue_date=dt.date(2026, 10, 20),
        org_name="重庆巴渝职业技能培训学校",
        photo=photo,
        qr_payload=payload,
    )


def id_number(i: int) -> str:
    first17 = f"500101{dt.date(1980, 1, 1) + dt.timedelta(days=i):%Y%m%d}{i % 1000:03d}"
    return first17 + gb11643_check_char(first17)


def small_db(db: Database, *, profile: str = "chongqing", filing_code: str = "S000050000017",
             batches: tuple[tuple[str, int, int], ...] = (("T-1", 3, 5),)) -> dict[str, int]:
    """An organisation and batches (code, level, passed candidates) in status results_filed,
    written directly (tests of numbering and printing, not of the plan workflow)."""
    ids: dict[str, int] = {}
    with db.session() as s:
        org = Organisation(name="重庆巴渝职业技能培训学校", org_type=filing_code[0],
                           filing_code=filing_code, profile_name=profile)
        occ = Occupation(code="4-03-02-01", name="中式烹调师")
        s.add_all([org, occ])
        s.flush()
        n = 0
        for code, level, passed in batches:
            b = Batch(code=code, name=f"测试批次{code}", organisation_id=org.id,
                      occupation_id=occ.id, level=level, status="results_filed",
                      results_filed_on=dt.date(2026, 1, 5))
            s.add(b)
            s.flush()
            ids[code] = b.id
            for i in range(passed):
                n += 1
                p = Person(id_type="201", id_number=id_number(n), name=f"考生{n}")
                s.add(p)
                s.flush()
                s.add(Enrolment(batch_id=b.id, person_id=p.id, admission_no=f"{code}-{i:05d}",
                                result="pass"))
    return ids


def have_tools(*names: str) -> bool:
    return all(shutil.which(n) for n in names)


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def decode_qr(pdf: Path, tmp: Path, page: int = 1) -> str:
    """Rasterise a page at 300 dpi with pdftoppm and read the QR with zbarimg."""
    prefix = tmp / f"qr-{page}"
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(prefix)], check=True)
    r = subprocess.run(["zbarimg", "--raw", "-q", str(prefix) + ".png"], capture_output=True)
    return r.stdout.decode("utf-8").rstrip("\n")
