"""SkillSite benchmarks: `.venv/bin/python bench/run.py [--rows 10000] [--repeat 3] [--case NAME ...]`.

Generates its own input (a people xlsx with valid check-digit ID numbers, written with
openpyxl), then runs every case in a fresh child process so each peak-memory figure is its
own: wall time of the timed part, peak RSS (resource.getrusage; covers Rust/C allocations
that tracemalloc cannot see) and the RSS added over the child's state after set-up. Each
case runs --repeat times and its fastest run counts (as timeit does): on a busy machine
single runs vary by half.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cases import CASES, RATIOS, BenchContext  # noqa: E402


def _rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (
        peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024
    )  # bytes on macOS, KiB on Linux


def child(case_name: str, workdir: Path, rows: int, people: Path) -> None:
    """Run one case in this process and print one JSON line."""
    case = next(c for c in CASES if c.name == case_name)
    ctx = BenchContext(workdir, rows, {"people": people})
    state = case.setup(ctx)
    base = _rss_mb()
    t = time.perf_counter()
    extra = case.run(ctx, state) or {}
    seconds = time.perf_counter() - t
    peak = _rss_mb()
    print(
        json.dumps(
            {
                "case": case_name,
                "seconds": seconds,
                "peak_rss_mb": peak,
                "added_rss_mb": max(0.0, peak - base),
                "extra": extra,
            },
            ensure_ascii=False,
        )
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="SkillSite 性能基准")
    ap.add_argument("--rows", type=int, default=10_000, help="生成的人员行数（默认 10000）")
    ap.add_argument(
        "--case", action="append", choices=[c.name for c in CASES], help="只运行指定用例（可重复）"
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="每个用例运行次数（各在新进程中），取最快一次（默认 3；机器忙时数字波动大）",
    )
    ap.add_argument("--workdir", type=Path, help="工作目录（默认临时目录，结束后删除）")
    ap.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--people", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.workdir, args.rows, args.people)
        return 0
    with tempfile.TemporaryDirectory(prefix="skillsite-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        from bench.data import write_people_xlsx

        t = time.perf_counter()
        people = write_people_xlsx(workdir / f"people_{args.rows}.xlsx", args.rows)
        gen = time.perf_counter() - t
        print(
            f"生成 {args.rows} 行人员文件：{people.stat().st_size / 1024:.0f} KiB，用时 {gen:.2f} s"
        )
        results = {}
        for case in CASES:
            if args.case and case.name not in args.case:
                continue
            runs = []
            for attempt in range(max(1, args.repeat)):
                sub_dir = workdir / f"{case.name}-{attempt}"
                sub_dir.mkdir(exist_ok=True)
                proc = subprocess.run(
                    [
                        sys.executable,
                        str(Path(__file__).resolve()),
                        "--child",
                        case.name,
                        "--workdir",
                        str(sub_dir),
                        "--rows",
                        str(args.rows),
                        "--people",
                        str(people),
                    ],
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                    check=False,
                )
                if proc.returncode != 0:
                    print(f"用例 {case.name} 失败：\n{proc.stderr}", file=sys.stderr)
                    return 1
                runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            r = min(runs, key=lambda run: run["seconds"])
            r["all_seconds"] = [round(run["seconds"], 3) for run in runs]
            results[case.name] = r
            extra = "；".join(f"{k}={v}" for k, v in r["extra"].items())
            spread = "、".join(f"{t:.3f}" for t in r["all_seconds"])
            print(
                f"{case.name:<9} {r['seconds']:8.3f} s（{len(runs)} 次：{spread}）   峰值内存 {r['peak_rss_mb']:7.1f} MB"
                f"（本用例新增 {r['added_rss_mb']:6.1f} MB）  {case.title}"
                + (f"\n          {extra}" if extra else "")
            )
        ratios = []
        for num, den, target, ok in RATIOS:
            if num in results and den in results:
                ratio = results[num]["seconds"] / results[den]["seconds"]
                met = ok(ratio) if ok is not None else None
                ratios.append(
                    {"ratio": f"{num}/{den}", "value": ratio, "target": target, "ok": met}
                )
                verdict = (
                    "（参考）" if met is None else f"（目标 {target}）{'达标' if met else '未达标'}"
                )
                print(f"{num}/{den} = {ratio:.2f}{verdict}")
        if args.json:
            print(
                json.dumps(
                    {"rows": args.rows, "results": results, "ratios": ratios},
                    ensure_ascii=False,
                    indent=2,
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
