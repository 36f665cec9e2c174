"""Benchmark: rendering a batch's certificates from the database vs a bare reportlab script.

    .venv/bin/python bench/bench_certificates.py [--n 1000] [--big 10000] [--skip-big]

1. Builds a throw-away data directory with one batch of --big passed candidates (each with
   their own JPEG photo) and issues their certificates (numbering only).
2. In a fresh process: renders --n certificates of the batch from the database with SkillSite
   (read, sign the QR, draw, write in chunks) and, in the same run, a bare reportlab script
   drawing the same page from data already in memory. Prints both times, the ratio (target
   ≤ 1.3x) and pages/s.
3. In fresh processes: peak memory (max RSS) rendering --n and --big certificates: it should
   stay flat, because the batch is read and written in chunks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Bench#2026"
DAY = dt.date(2026, 3, 1)


def _photo(i: int) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (295, 413), (150 + i % 100, 180 + i % 70, 220))
    ImageDraw.Draw(img).ellipse((80, 90, 215, 260), fill=(230, 200 - i % 50, 170))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def build(data_dir: Path, n: int) -> None:
    import hashlib

    from app.db import open_database
    from app.models import Batch, Enrolment, Occupation, Organisation, Person, Photo
    from app.rules.idcard import gb11643_check_char
    from app.services.certificates import issue_certificates
    from app.services.users import authenticate, create_first_admin

    db = open_database(data_dir)
    with db.session() as s:
        create_first_admin(s, "admin", PASSWORD)
    with db.session() as s:
        admin = authenticate(s, "admin", PASSWORD)
    with db.session() as s:
        org = Organisation(name="重庆巴渝职业技能培训学校", org_type="S", filing_code="S000050000017",
                           profile_name="chongqing")
        occ = Occupation(code="4-03-02-01", name="中式烹调师")
        s.add_all([org, occ])
        s.flush()
        b = Batch(code="BENCH", name="基准批次", organisation_id=org.id, occupation_id=occ.id,
                  level=3, status="results_filed", results_filed_on=dt.date(2026, 2, 1))
        s.add(b)
        s.flush()
        for i in range(n):
            first17 = f"500101{dt.date(1970, 1, 1) + dt.timedelta(days=i % 12000):%Y%m%d}{i % 1000:03d}"
            p = Person(id_type="201", id_number=first17 + gb11643_check_char(first17),
                       name=("王𠇔", "李堃", "陈燊", "张伟", "欧阳晓明")[i % 5] + str(i))
            s.add(p)
            s.flush()
            data = _photo(i)
            s.add(Photo(person_id=p.id, data=data, width=295, height=413,
                        sha256=hashlib.sha256(data).hexdigest()))
            s.add(Enrolment(batch_id=b.id, person_id=p.id, admission_no=f"{i:06d}", result="pass"))
    with db.session() as s:
        issue_certificates(s, admin, "BENCH", DAY, fix_content=False)
    db.dispose()


def _env():  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.printing.fonts import default_chain
    from app.printing.template import load_template
    from app.services.certificate_printing import RenderEnv
    from app.services.signing import Signer

    # a throw-away key: the bench measures drawing, not the OS secret store
    return RenderEnv(load_template(), default_chain("chongqing"), Signer(Ed25519PrivateKey.generate()))


def render_skillsite(data_dir: Path, n: int, out: Path, env) -> float:  # type: ignore[no-untyped-def]
    from itertools import islice

    from app.db import open_database
    from app.printing.render import CertificateRenderer, render_batch
    from app.services.certificate_printing import iter_certificate_data

    db = open_database(data_dir, migrate=False)
    t0 = time.perf_counter()
    with db.session() as s:
        datas = (d for _c, d in islice(iter_certificate_data(s, "BENCH", env), n))
        render_batch(datas, out, CertificateRenderer(env.template, env.chain), chunk_size=500)
    elapsed = time.perf_counter() - t0
    db.dispose()
    return elapsed


def render_bare(datas, out: Path) -> float:  # type: ignore[no-untyped-def]
    """The same page with plain reportlab calls and the data already in memory."""
    import qrcode
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("Kai", str(ROOT / "resources/fonts/LXGWWenKai-Regular.ttf")))
    t0 = time.perf_counter()
    c = canvas.Canvas(str(out), pagesize=landscape(A4), invariant=1)
    H = 210 * mm
    body = ["本证书由 {0} 颁发，表明持证人通", "过本机构组织的职业技能等级认定，具备该", "职业（工种）相应技能等级水平。"]
    for d in datas:
        c.setLineWidth(2.25)
        c.rect(14 * mm, 11 * mm, 269 * mm, 188 * mm)
        c.setFont("Kai", 30)
        c.drawCentredString(81.25 * mm, H - 52 * mm, "职业技能等级证书")
        c.setFont("Kai", 16)
        for i, line in enumerate(body):
            c.drawString(30 * mm, H - 80 * mm - i * 26, line.format(d.org_name))
        c.drawRightString(132 * mm, H - 128 * mm, d.org_name)
        c.drawRightString(132 * mm, H - 139 * mm, f"发证日期：{d.issue_date:%Y年%m月%d日}")
        c.setFont("Kai", 14)
        c.drawString(30 * mm, H - 172 * mm, "证书信息查询网址：http://jndj.osta.org.cn/")
        c.drawString(30 * mm, H - 181 * mm, "机构信息查询网址：http://pjjg.osta.org.cn/")
        c.setFont("Kai", 16)
        rows = [("姓　　名：", d.name), ("证件类型：", d.id_type_name), ("证件号码：", d.id_number),
                ("职业名称：", d.occupation), ("工种名称：", d.work_type or "——"),
                ("职业技能等级：", d.level_name), ("证书编号：", d.number)]
        for i, (label, value) in enumerate(rows):
            c.drawString(166 * mm, H - (102 + 12 * i) * mm, label)
            c.drawString(207 * mm, H - (102 + 12 * i) * mm, value)
        c.drawImage(ImageReader(io.BytesIO(d.photo)), 168 * mm, H - 77 * mm, 35 * mm, 49 * mm)
        c.setLineWidth(0.5)
        c.rect(168 * mm, H - 77 * mm, 35 * mm, 49 * mm)
        q = qrcode.QRCode(border=0, mask_pattern=2)
        q.add_data(d.qr_payload.encode())
        q.make(fit=True)
        m = q.get_matrix()
        size = 30 * mm / len(m)
        p = c.beginPath()
        for r, row in enumerate(m):
            for col, dark in enumerate(row):
                if dark:
                    p.rect(229 * mm + col * size, H - 37.5 * mm - (r + 1) * size, size, size)
        c.drawPath(p, stroke=0, fill=1)
        c.showPage()
    c.save()
    return time.perf_counter() - t0


def child(args: argparse.Namespace) -> None:
    """One measurement in a fresh process; prints JSON."""
    env = _env()
    out_dir = Path(args.out_dir)
    if args.child == "compare":
        from itertools import islice

        from app.db import open_database
        from app.services.certificate_printing import iter_certificate_data

        db = open_database(Path(args.data_dir), migrate=False)
        with db.session() as s:
            datas = [d for _c, d in islice(iter_certificate_data(s, "BENCH", env), args.n)]
        db.dispose()
        # warm both paths once (font parsing, imports) so neither pays it in the timing
        render_bare(datas[:2], out_dir / "warm-bare.pdf")
        render_skillsite(Path(args.data_dir), 2, out_dir / "warm.pdf", env)
        bare = render_bare(datas, out_dir / "bare.pdf")
        ours = render_skillsite(Path(args.data_dir), args.n, out_dir / "skillsite.pdf", env)
        print(json.dumps({"bare": bare, "ours": ours}))
    else:
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = render_skillsite(Path(args.data_dir), args.n, out_dir / f"mem-{args.n}.pdf", env)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"seconds": t, "base_kb": base, "peak_kb": peak}))


def _run_child(kind: str, data_dir: Path, out_dir: Path, n: int) -> dict:  # type: ignore[type-arg]
    r = subprocess.run([sys.executable, __file__, "--child", kind, "--data-dir", str(data_dir),
                        "--out-dir", str(out_dir), "--n", str(n)],
                       capture_output=True, text=True, check=False)
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--big", type=int, default=10000)
    ap.add_argument("--skip-big", action="store_true", help="no 10,000-certificate memory run")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--data-dir", help=argparse.SUPPRESS)
    ap.add_argument("--out-dir", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    size = args.n if args.skip_big else max(args.n, args.big)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir, out_dir = Path(tmp) / "data", Path(tmp) / "out"
        out_dir.mkdir()
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
                        f"from bench.bench_certificates import build; from pathlib import Path; "
                        f"build(Path({str(data_dir)!r}), {size})"], check=True)
        print(f"数据准备：{size} 名合格考生（含照片）并编号发证，用时 {time.perf_counter() - t0:.1f} s")
        r = _run_child("compare", data_dir, out_dir, args.n)
        ratio = r["ours"] / r["bare"]
        print(f"SkillSite（读库+签名+绘制+分块写出）{args.n} 本：{r['ours']:.2f} s，"
              f"{args.n / r['ours']:.0f} 页/秒")
        print(f"裸 reportlab 脚本（数据已在内存）{args.n} 本：{r['bare']:.2f} s，"
              f"{args.n / r['bare']:.0f} 页/秒")
        print(f"比值：{ratio:.2f}x（目标 ≤ 1.3x）{'✓' if ratio <= 1.3 else '✗'}")
        sizes = [args.n] if args.skip_big else [args.n, args.big]
        peaks = {}
        for n in sizes:
            m = _run_child("memory", data_dir, out_dir, n)
            peaks[n] = m["peak_kb"] / 1024
            print(f"内存：渲染 {n} 本 峰值 RSS {peaks[n]:.0f} MiB（启动后 {m['base_kb'] / 1024:.0f} MiB），"
                  f"{m['seconds']:.1f} s，{n / m['seconds']:.0f} 页/秒")
        if len(peaks) == 2:
            a, b = (peaks[n] for n in sizes)
            print(f"内存比 {sizes[1]}/{sizes[0]}：{b / a:.2f}x（应接近 1，远小于 {sizes[1] // sizes[0]}x）")


if __name__ == "__main__":
    main()
