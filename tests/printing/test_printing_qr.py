"""The printed QR: decoded from a 300 dpi raster with zbarimg, then verified; tampering rejected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.printing.fonts import default_chain
from app.printing.qr import FIXED_MASK, qr_matrix
from app.printing.render import certificate_pdf
from app.printing.template import load_template
from app.services.signing import QrFields, sign_payload, verify_payload
from tests.printing.certfactory import decode_qr, have_tools, jpeg_photo, sample_data

KEY = Ed25519PrivateKey.generate()
FIELDS = QrFields("S000050000017263000001", "王𠇔", 3, "中式烹调师", "", dt.date(2026, 10, 20),
                  "500101**********37")


@pytest.mark.skipif(not have_tools("pdftoppm", "zbarimg"), reason="poppler-utils/zbar-tools missing")
def test_printed_qr_decodes_and_verifies(tmp_path: Path) -> None:
    payload = sign_payload(FIELDS, KEY)
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(certificate_pdf(sample_data(photo=jpeg_photo(), payload=payload),
                                    load_template(), default_chain("chongqing")))
    text = decode_qr(pdf, tmp_path)
    assert text == payload
    result = verify_payload(text, KEY.public_key())
    assert result.valid and result.fields == FIELDS
    assert result.fields.filing_code == "S000050000017"


def test_qr_uses_the_fixed_mask_and_is_compact() -> None:
    payload = sign_payload(FIELDS, KEY)
    assert len(payload.encode()) < 200
    n = len(qr_matrix(payload))
    assert n <= 61  # version ≤ 11: modules ≥ 0.49 mm at 30 mm
    assert FIXED_MASK in range(8)
