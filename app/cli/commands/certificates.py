"""`skillsite certificates issue|list|render|void|reissue|calibrate`, `skillsite verify-cert`,
`skillsite keys export-public`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.cli.context import CliContext
from app.errors import UserInputError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserInputError(f"日期“{text}”格式不对：请写成 YYYY-MM-DD，如 2026-10-20。") from None


def issue(ctx: CliContext) -> int:
    from app.services.certificates import issue_certificates

    actor = ctx.actor()
    when = _date(ctx.args.date) if ctx.args.date else None
    with ctx.db.session() as s:
        result = issue_certificates(s, actor, ctx.args.batch, when, limit=ctx.args.limit)
    if ctx.args.json:
        ctx.json({"batch": result.batch_code, "status": result.batch_status,
                  "issued": [c.__dict__ for c in result.issued], "skipped": result.skipped,
                  "remaining": result.remaining, "blocked": result.blocked})
    else:
        ctx.out(f"批次 {result.batch_code}：本次发放 {len(result.issued)} 本，"
                f"此前已发 {result.skipped} 本，尚余 {result.remaining} 人未发。")
        for c in result.issued:
            ctx.out(f"  {c.number}  {c.name}")
        for msg in result.blocked:
            ctx.err(f"未发放：{msg}")
    return 1 if result.blocked else 0


def list_(ctx: CliContext) -> int:
    from app.services.certificate_register import list_certificates

    actor = ctx.actor("会显示持证人信息")
    with ctx.db.session() as s:
        rows = list_certificates(s, actor, ctx.args.batch)
    if ctx.args.json:
        ctx.json([r.as_dict() for r in rows])
    else:
        for r in rows:
            extra = f"（作废：{r.void_reason}）" if r.status == "voided" else ""
            if r.replacement_note:
                extra += f"（{r.replacement_note}）"
            ctx.out(f"{r.number}  {r.status_name}  {r.name}\t{r.id_type} {r.id_number}{extra}")
    return 0


def render(ctx: CliContext) -> int:
    from app.printing.render import (
        CertificateRenderer,
        Offset,
        render_batch,
        render_electronic,
    )
    from app.services.batch_workflow import get_batch
    from app.services.certificate_printing import (
        batch_context,
        check_content,
        iter_certificate_data,
        printer_offset,
        render_env,
    )

    a = ctx.args
    actor = ctx.actor()
    with ctx.db.session() as s:
        batch = get_batch(s, a.batch)
        org, _, _ = batch_context(s, batch)
        seal = org.seal_image if a.seal else None
        if a.seal_file:
            seal = Path(a.seal_file).read_bytes()
        env = render_env(s, actor, org)
        if a.overlay:
            offset = printer_offset(s, a.printer) if a.printer else Offset()
            if a.dx is not None or a.dy is not None:
                offset = Offset(round((a.dx or 0) * 10), round((a.dy or 0) * 10))
            mode = "overlay"
        else:
            offset, mode = Offset(), "full"
        bad = []

        def datas():  # type: ignore[no-untyped-def]
            for cert, data in iter_certificate_data(s, batch.id, env):
                if not a.no_check:
                    check = check_content(cert, data, env)
                    if not check.ok:
                        bad.append(check.message)
                        continue
                yield data

        if a.per_person:
            paths = render_electronic(datas(), Path(a.per_person), env.template, env.chain, seal=seal)
            ctx.out(f"已生成 {len(paths)} 份电子证书，保存在 {a.per_person}")
        if a.out:
            renderer = CertificateRenderer(env.template, env.chain, mode=mode, offset=offset)  # type: ignore[arg-type]
            paths = render_batch(datas(), Path(a.out), renderer, chunk_size=a.chunk)
            ctx.out("已生成：" + "、".join(str(p) for p in paths))
    for msg in bad:
        ctx.err(msg)
    if not a.out and not a.per_person:
        raise UserInputError("请用 --out 文件.pdf 或 --per-person 文件夹 指定输出。")
    return 1 if bad else 0


def void(ctx: CliContext) -> int:
    from app.services.certificates import void_certificate

    actor = ctx.actor()
    with ctx.db.session() as s:
        row = void_certificate(s, actor, ctx.args.number, ctx.args.reason)
    ctx.out(f"证书 {row.number}（{row.name}）已作废。编号保留，不再使用。")
    return 0


def reissue(ctx: CliContext) -> int:
    from app.services.certificates import reissue_certificate

    actor = ctx.actor()
    when = _date(ctx.args.date) if ctx.args.date else None
    with ctx.db.session() as s:
        new = reissue_certificate(s, actor, ctx.args.number, ctx.args.reason, when)
    ctx.out(f"已为 {new.name} 换发新证 {new.number}（原证书 {ctx.args.number.strip().upper()} 已作废）。")
    return 0


def calibrate(ctx: CliContext) -> int:
    from app.printing.fonts import default_chain
    from app.printing.render import Offset, render_calibration
    from app.printing.template import load_template
    from app.services.certificate_printing import printer_offset, set_printer_offset

    a = ctx.args
    if a.dx is not None or a.dy is not None:
        actor = ctx.actor()
        with ctx.db.session() as s:
            offset = set_printer_offset(s, actor, a.printer, round((a.dx or 0) * 10),
                                        round((a.dy or 0) * 10))
        ctx.out(f"打印机“{a.printer}”的套打偏移已保存：{offset.describe()}")
    else:
        with ctx.db.session() as s:
            offset = printer_offset(s, a.printer) if a.printer else Offset()
    if a.out:
        render_calibration(Path(a.out), load_template(), default_chain(), offset)
        ctx.out(f"校准页已生成：{a.out}（{offset.describe()}）")
    return 0


def verify_cert(ctx: CliContext) -> int:
    from app.rules.levels import level_name
    from app.services.certificate_register import register_entry
    from app.services.signing import load_public_key_pem, stored_public_key, verify_payload

    if ctx.args.public_key:
        key = load_public_key_pem(Path(ctx.args.public_key).read_bytes())
        # this site's own key given as a file: its register still knows of voids
        own = ctx.has_database() and _same_key(ctx, key)
    else:
        with ctx.db.session() as s:
            key = stored_public_key(s)
        if key is None:
            raise UserInputError("本数据中没有证书公钥：请用 --public-key 指定发证机构导出的公钥文件。")
        own = True
    result = verify_payload(ctx.args.text, key)
    f = result.fields
    if own and result.valid and f is not None:
        with ctx.db.session() as s:
            entry = register_entry(s, f.number)
        if entry is not None and entry.voided:
            result = type(result)(False, f, entry.voided_message())
    if f is not None:
        ctx.out(f"证书编号：{f.number}")
        ctx.out(f"姓名：{f.name}")
        ctx.out(f"职业技能等级：{level_name(f.level) if 1 <= f.level <= 5 else f.level}")
        ctx.out(f"职业名称：{f.occupation}")
        ctx.out(f"工种名称：{f.work_type or '——'}")
        ctx.out(f"发证日期：{f.issue_date.year}年{f.issue_date.month}月{f.issue_date.day}日")
        ctx.out(f"证件号码：{f.id_masked}")
        ctx.out(f"机构备案编码：{f.filing_code}")
    ctx.out("有效" if result.valid else f"无效（{result.reason}）")
    return 0 if result.valid else 1


def _same_key(ctx: CliContext, key) -> bool:  # type: ignore[no-untyped-def]
    from app.services.signing import raw_public, stored_public_key

    with ctx.db.session() as s:
        own = stored_public_key(s)
    return own is not None and raw_public(own) == raw_public(key)


def export_public(ctx: CliContext) -> int:
    from app.services.signing import export_public_key

    with ctx.db.session() as s:
        fp = export_public_key(s, Path(ctx.args.out))
    ctx.out(f"公钥已导出到 {ctx.args.out}，指纹 {fp}")
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    from app.cli.options import add_user_option

    certs = sub.add_parser("certificates", help="证书：编号发放、列表、打印、作废").add_subparsers(
        dest="cert_cmd", metavar="ACTION", required=True
    )
    p = certs.add_parser("issue", help="为批次的合格考生编号发证")
    p.add_argument("batch", metavar="BATCH", help="批次编号（如 2026-02）或序号")
    p.add_argument("--date", help="发证日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--limit", type=int, default=None, help="本次最多发放多少本")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    add_user_option(p)
    p.set_defaults(func=issue)

    p = certs.add_parser("list", help="列出批次的证书（含已作废；证件号码脱敏；需登录）")
    p.add_argument("batch", metavar="BATCH")
    p.add_argument("--json", action="store_true", help="以 JSON 数组输出")
    add_user_option(p)
    p.set_defaults(func=list_)

    p = certs.add_parser("render", help="生成证书 PDF（整页、套打或每人一份电子证书）")
    p.add_argument("batch", metavar="BATCH")
    p.add_argument("--out", metavar="FILE.pdf", help="输出文件（每 --chunk 本一个文件）")
    p.add_argument("--overlay", action="store_true", help="套打：只印可变内容")
    p.add_argument("--printer", help="套打所用打印机（取其已保存的偏移）")
    p.add_argument("--dx", type=float, default=None, help="套打 X 偏移（毫米，0.1 步进，向右为正）")
    p.add_argument("--dy", type=float, default=None, help="套打 Y 偏移（毫米，0.1 步进，向下为正）")
    p.add_argument("--per-person", metavar="DIR", help="每人一份电子证书 PDF，保存到该文件夹")
    p.add_argument("--seal", action="store_true", help="电子证书加盖机构印章（机构信息中的印章图片）")
    p.add_argument("--seal-file", metavar="PNG", help="电子证书所用印章图片（PNG，透明底）")
    p.add_argument("--chunk", type=int, default=500, help="每个 PDF 文件最多多少本（默认 500）")
    p.add_argument("--no-check", action="store_true", help="不与发证时的内容摘要比对")
    add_user_option(p)
    p.set_defaults(func=render)

    p = certs.add_parser("void", help="作废证书（编号保留、不再使用）")
    p.add_argument("number", metavar="NUMBER", help="证书编号")
    p.add_argument("--reason", required=True, help="作废理由（必填）")
    add_user_option(p)
    p.set_defaults(func=void)

    p = certs.add_parser("reissue", help="换发：为已作废的证书发放新编号的证书（如更正姓名后）")
    p.add_argument("number", metavar="NUMBER", help="已作废的原证书编号")
    p.add_argument("--reason", required=True, help="换发理由（必填）")
    p.add_argument("--date", help="发证日期 YYYY-MM-DD（默认今天）")
    add_user_option(p)
    p.set_defaults(func=reissue)

    p = certs.add_parser("calibrate", help="套打校准：生成毫米网格校准页，或保存打印机偏移")
    p.add_argument("--out", metavar="FILE.pdf", help="校准页输出文件")
    p.add_argument("--printer", default="", help="打印机名称")
    p.add_argument("--dx", type=float, default=None, help="保存 X 偏移（毫米）")
    p.add_argument("--dy", type=float, default=None, help="保存 Y 偏移（毫米）")
    add_user_option(p)
    p.set_defaults(func=calibrate)

    p = sub.add_parser("verify-cert", help="离线核验证书二维码内容（有效 / 无效）")
    p.add_argument("text", metavar="TEXT", help="二维码中的文字")
    p.add_argument("--public-key", metavar="PEM", help="发证机构的公钥文件（默认取本数据中的公钥）")
    p.set_defaults(func=verify_cert)

    keys = sub.add_parser("keys", help="证书签名密钥").add_subparsers(
        dest="keys_cmd", metavar="ACTION", required=True
    )
    p = keys.add_parser("export-public", help="导出证书签名公钥（PEM）并显示指纹")
    p.add_argument("out", metavar="OUT", help="输出文件，如 public-key.pem")
    p.set_defaults(func=export_public)
