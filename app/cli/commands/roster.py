"""`skillsite import staff|people|photos|template|catalogue`, `skillsite export roster`,
`skillsite org show|set-scope-level|set-profile`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.context import CliContext
from app.cli.options import command_group
from app.errors import ValidationError

if TYPE_CHECKING:
    from app.services.photos import PhotoReport


def xlsx_out(path: Path, *, source: Path | None = None, what: str = "输出文件") -> Path:
    """An output path that ends in .xlsx and is not the file being read."""
    if path.suffix.lower() != ".xlsx":
        raise ValidationError(f"{what}“{path.name}”应以 .xlsx 结尾，例如 {path.stem or '输出'}.xlsx。")
    if source is not None and path.resolve() == source.resolve():
        raise ValidationError(
            f"{what}“{path.name}”就是要导入的文件：请另选文件名，以免覆盖原文件。未导入任何数据。"
        )
    return path


def _print_preview(ctx: CliContext, preview) -> None:  # type: ignore[no-untyped-def]
    ctx.out(preview.summary_text())
    if preview.unknown_headers:
        ctx.out("  未识别的列（已忽略）：" + "、".join(preview.unknown_headers))
    for r in preview.rows:
        for w in r.warnings:
            ctx.out(f"  提示：第 {r.row} 行（{r.name}）：{w}")
    for removal in preview.removals:
        if not removal.blocked:  # the blocked ones are printed with the errors
            ctx.out(f"  将移除：{removal.text}")


def import_people(ctx: CliContext) -> int:
    from app.services.importing import commit_import, preview_import, write_error_report

    a = ctx.args
    if a.errors:
        xlsx_out(Path(a.errors), source=Path(a.file), what="错误报告")
    actor = ctx.actor()
    with ctx.db.session() as s:
        preview = preview_import(s, actor, a.file, a.kind, a.mode)
        _print_preview(ctx, preview)
        if preview.has_errors:
            for issue in preview.errors:
                ctx.err(f"  工作表“{issue.sheet}”{issue}")
            for removal in preview.blocked_removals:
                ctx.err(f"  {removal.text}")
            if a.errors:
                write_error_report(preview, a.errors)
                ctx.err(f"错误报告已写入 {a.errors}")
            ctx.err(preview.refusal_text())
            return 1
        if a.dry_run:
            ctx.out("试运行（--dry-run）：未写入任何数据。")
            return 0
        result = commit_import(s, actor, preview)
    ctx.out(result.summary_text())
    return 0


def import_photos_cmd(ctx: CliContext) -> int:
    """Import without asking (for scripts); the report says whose stored photos were replaced,
    in the same texts as the GUI's report dialog."""
    from app.services.photos import import_photos

    actor = ctx.actor()
    with ctx.db.session() as s:
        report = import_photos(s, actor, ctx.args.dir)
    ctx.out(report.summary_text())
    if report.note_text():
        ctx.out(report.note_text())
    limit = ctx.args.limit
    for title, lines in report.sections():
        if not lines:
            continue
        ctx.out(f"{title}（{len(lines)}）：")
        for line in lines[:limit]:
            ctx.out(f"  {line}")
        if len(lines) > limit:
            ctx.out(f"  ……共 {len(lines)} 项，只列出前 {limit} 项（用 --limit 列出更多）")
    return _photos_exit(ctx, report)


def _photos_exit(ctx: CliContext, report: PhotoReport) -> int:
    """1 when a photo file was not imported (unfit or naming nobody) or the folder held none:
    the good photos are stored all the same (the summary counts them), and a script sees that
    something is left to do."""
    left = report.left_text()
    if left:
        ctx.err(left)
    return 1 if left else 0


def import_template(ctx: CliContext) -> int:
    from app.services.importing import write_template

    path = write_template(ctx.args.kind, xlsx_out(ctx.args.out, what="模板文件"))
    ctx.out(f"已生成导入模板：{path}")
    return 0


def import_catalogue_cmd(ctx: CliContext) -> int:
    from app.services.catalogue_file import import_catalogue

    actor = ctx.actor()
    with ctx.db.session() as s:
        r = import_catalogue(s, actor, ctx.args.file)
    ctx.out(r.summary_text())
    return 0


def export_catalogue_cmd(ctx: CliContext) -> int:
    from app.services.catalogue_file import export_catalogue

    out = xlsx_out(ctx.args.out)
    actor = ctx.actor()
    with ctx.db.session() as s:
        path = export_catalogue(s, actor, out)
    ctx.out(f"已导出职业目录：{path}（可增改后用 `import catalogue` 导回）。")
    return 0


def export_roster_cmd(ctx: CliContext) -> int:
    from app.services.roster_export import export_roster

    out = xlsx_out(ctx.args.out)
    actor = ctx.actor()
    with ctx.db.session() as s:
        r = export_roster(s, actor, out, ctx.args.reason or "")
    ctx.out(
        f"已导出人员名册：{r.path}（专职工作人员 {r.fulltime}、专家 {r.experts}、"
        f"考评人员 {r.examiners}、内部督导人员 {r.supervisors}）。文件含完整证件号码，请妥善保管。"
    )
    if r.qualification_note:
        ctx.out(r.qualification_note)
    return 0


def export_org_form_cmd(ctx: CliContext) -> int:
    from app.services.org_form_export import export_org_form

    out = xlsx_out(ctx.args.out)
    actor = ctx.actor()
    with ctx.db.session() as s:
        path = export_org_form(s, actor, out)
    ctx.out(f"已导出机构基本情况表：{path}")
    return 0


UNFILLED = "未填写"


def _or_unfilled(value: object) -> str:
    return str(value) if value not in (None, "") else UNFILLED


def org_show(ctx: CliContext) -> int:
    from app.services.organisation_overview import organisation_overview

    actor = ctx.actor("会显示机构信息") if ctx.args.user else None  # (optional: no ID numbers)
    with ctx.db.session() as s:
        o = organisation_overview(s, actor=actor)
    if ctx.args.json:
        ctx.json(o.as_dict())
        return 0
    ctx.out(f"{o.name}（{o.org_type} {o.org_type_name}）")
    for label, value in o.form_lines()[1:]:  # the 基本情况表, every field (the name is above)
        ctx.out(f"  {label}：{_or_unfilled(value)}")
    ctx.out(
        f"  省份规则：{o.profile_display_name}（{o.profile_name}）；评价范围：{o.scope_label}"
        f"（{o.scope_level}），可认定等级 {'、'.join(map(str, o.allowed_levels))} 级"
    )
    if o.filing_code:
        ctx.out(f"  备案编码：{o.filing_code}")
        if o.filing_code_problem:
            ctx.out(f"    编码有误：{o.filing_code_problem}")
        for seg in o.filing_segments:
            ctx.out(
                f"    第 {seg['positions']} 位\t{seg['label']}\t{seg['value']}\t{seg['meaning']}"
            )
    else:
        ctx.out("  备案编码：未登记")
    ctx.out(f"  备案日期：{o.filed_on.isoformat() if o.filed_on else '未登记'}")
    ctx.out(
        f"  备案有效期至：{o.filing_valid_until.isoformat() if o.filing_valid_until else '未登记'}"
    )
    ctx.out(f"  备案有效期：{o.validity_text}")
    limit = f"（上限 {o.work_type_limit} 个）" if o.work_type_limit else ""
    ctx.out(f"备案范围：{len(o.scope)} 项，职业（工种）{o.work_type_count} 个{limit}")
    for row in o.scope:
        wt = row.work_type or "——"
        started = row.started_on.isoformat() if row.started_on else UNFILLED
        ctx.out(
            f"  {row.occupation_code} {row.occupation_name}\t工种：{wt}"
            f"\t新职业：{'是' if row.is_new else '否'}\t{row.level_name}"
            f"\t培训评价起始日期：{started}\t已培训评价 {row.assessed_count} 人"
            f"\t职业标准或评价规范：{_or_unfilled(row.standard)}"
            + (f"\t补贴性培训：{row.subsidised_training}" if row.subsidised_training else "")
        )
    for problem in o.scope_problems:
        ctx.out(f"  ！备案范围与现行规则不符：{problem}。请移除这些条目。")
    for problem in o.record_problems:
        ctx.out(f"  ！机构信息与现行规则不符：{problem}")
    return 0


def org_set_scope_level(ctx: CliContext) -> int:
    from app.rules.profiles import load_profile
    from app.services.organisation import effective_scope, set_scope_level

    actor = ctx.actor()
    with ctx.db.session() as s:
        level = ctx.args.level.strip().lower()
        org = set_scope_level(s, actor, level, reason=ctx.args.reason or "")
        scope = effective_scope(load_profile(org.profile_name), org.scope_level)
    ctx.out(f"已将机构级别改为“{scope.label}”（{scope.key}），可认定等级 {'、'.join(map(str, scope.levels))} 级。")
    return 0


def org_set_profile(ctx: CliContext) -> int:
    from app.errors import ValidationError
    from app.rules.profiles import load_profile
    from app.services.organisation import nature_mismatch
    from app.services.settings import choose_profile

    a = ctx.args
    actor = ctx.actor()
    try:
        with ctx.db.session() as s:
            name = choose_profile(
                s, actor, a.profile, reason=a.reason or "", filing_code=a.filing_code,
                scope_level=a.scope_level, nature=a.nature,
            )
            nature_note = nature_mismatch(s)
    except ValidationError as exc:
        if exc.field == "filing_code" and not a.filing_code:  # how to give it here
            raise ValidationError(
                exc.message + "（命令行：skillsite org set-profile 规则名 --filing-code 新编码）",
                field=exc.field,
            ) from None
        raise
    ctx.out(f"已改用“{load_profile(name).display_name}”规则。")
    if nature_note:  # the 基本情况表 export would refuse it: say so now, and how to fix it here
        ctx.err(f"注意：{nature_note}（命令行：skillsite org set-profile {name} --nature 机构性质）")
    return 0


def register(sub) -> None:  # type: ignore[no-untyped-def]
    from app.cli.options import add_user_option

    imp = command_group(sub, "import", "从 Excel 或文件夹导入数据")
    for kind, what in (("staff", "工作人员（角色、考评资格）"), ("people", "人员/考生基本信息")):
        p = imp.add_parser(kind, help=f"导入{what}")
        p.add_argument("file", type=Path)
        p.add_argument(
            "--mode",
            choices=["add", "update", "replace"],
            default="add",
            help="add 只新增（已有人员不改动）；update 只更新已有人员；replace 新增并更新，"
            "工作人员导入时文件中没有的人失去文件所含角色（默认 add）",
        )
        p.add_argument("--dry-run", action="store_true", help="只检查并显示预览，不写入")
        p.add_argument(
            "--errors", type=Path, metavar="OUT.xlsx", help="有错误时把错误报告写入此文件"
        )
        add_user_option(p)
        p.set_defaults(func=import_people, kind=kind)
    p = imp.add_parser("photos", help="导入照片文件夹（文件名为证件号码，jpg/png）")
    p.add_argument("dir", type=Path)
    p.add_argument("--limit", type=int, default=50, help="报告的每一类最多列出多少行（默认 50）")
    add_user_option(p)
    p.set_defaults(func=import_photos_cmd)
    p = imp.add_parser("template", help="生成导入模板（证件号码列为文本格式）")
    p.add_argument("kind", choices=["staff", "people"])
    p.add_argument("out", type=Path)
    p.set_defaults(func=import_template)
    p = imp.add_parser("catalogue", help="导入职业目录（职业编码、职业名称、是否新职业、工种）")
    p.add_argument("file", type=Path)
    add_user_option(p)
    p.set_defaults(func=import_catalogue_cmd)

    exp = command_group(sub, "export", "导出上报材料")
    p = exp.add_parser("roster", help="导出人员名册（备案用，含完整证件号码）")
    p.add_argument("out", type=Path)
    p.add_argument("--reason", help="导出用途（记入审计日志；不填时记为“导出人员名册（备案用）”）")
    add_user_option(p)
    p.set_defaults(func=export_roster_cmd)
    p = exp.add_parser("catalogue", help="导出职业目录（导入格式，可作模板和备份）")
    p.add_argument("out", type=Path, help="输出的 .xlsx 文件")
    add_user_option(p)
    p.set_defaults(func=export_catalogue_cmd)
    p = exp.add_parser("org-form", help="导出机构基本情况表（基本信息、拟开展的职业（工种）情况）")
    p.add_argument("out", type=Path, help="输出的 .xlsx 文件")
    add_user_option(p)
    p.set_defaults(func=export_org_form_cmd)

    org = command_group(sub, "org", "机构与备案信息")
    p = org.add_parser("show", help="显示机构信息、备案编码逐段说明、有效期与备案范围")
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=org_show)
    p = org.add_parser(
        "set-scope-level", help="设置机构级别（重庆：city 全市范围，district 区县范围，只能认定3–5级）"
    )
    p.add_argument("level", help="评价范围代码，见 `org show` 与省份规则（如 city、district）")
    p.add_argument("--reason", help="说明")
    add_user_option(p)
    p.set_defaults(func=org_set_scope_level)
    p = org.add_parser("set-profile", help="更换省份规则（可同时填写该省份赋予的新备案编码）")
    p.add_argument("profile", help="省份规则：national/chongqing/guizhou/shandong/anhui")
    p.add_argument("--filing-code", help="新备案编码（改在其他省份备案时与规则一起更换）")
    p.add_argument("--scope-level", help="机构级别（规则区分时，如 city、district）")
    p.add_argument("--nature", help="机构性质（新规则基本情况表中的选项之一，如 民办非企业单位）")
    p.add_argument("--reason", help="说明")
    add_user_option(p)
    p.set_defaults(func=org_set_profile)
