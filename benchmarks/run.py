"""The benchmark: seslint against Checkov on the same generated trees, side by side, on this machine.

    python benchmarks/run.py [--sizes 1,10,200,2000] [--stacks 1,200] [--repeat 5] [--no-checkov]
                             [--plan-mb 100] [--no-live]

Prints one table per tree shape: the modules shape (--sizes: modules, SES in one in twenty) and the
stacks shape (--stacks: roots each calling shared S3, IAM and network modules, SES in one in ten; see
stack_shape.py; --stacks "" skips it). Each row has the wall time and peak memory (RSS of the process)
of seslint cold (empty parse cache), seslint warm, Checkov (`checkov -d DIR --framework terraform
--check CKV_AWS_365`, offline settings), and the ratios. Then the start-up time, a warm pre-commit run
on one changed file of the largest modules-shape tree, and a large plan JSON; then (unless --no-live)
the live benchmarks against the real servers the tests use: audit_calls.py (an account of 6,000
identities on the moto server), dns_domains.py (a zone of 2,000 sending domains on NSD) and
html_report.py (the HTML report of 2,000 identities, shown by headless Chromium). Each time
is the median of --repeat runs (Checkov: at most 3 on trees of 200 modules or stacks or more, where one
run takes a minute).

Both tools run as their users install them, each in its own virtual environment: Checkov from the
package index (benchmarks/.venv-checkov, on first use), seslint from this checkout with a plain
`pip install .` (benchmarks/.venv-seslint, reinstalled on every run so the figures are the checkout's),
and both with bytecode caching allowed (PYTHONDONTWRITEBYTECODE is removed from their environment).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate_terraform import generate  # noqa: E402
from stack_shape import generate_stacks  # noqa: E402

CHECKOV_VENV = HERE / ".venv-checkov"
SESLINT_VENV = HERE / ".venv-seslint"
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(seconds, peak MiB) of one run of the command, measured in a fresh process."""
    environment = {**os.environ, **(env or {})}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)  # users' Pythons keep their bytecode
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def median_of(runs: int, one: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    """Median time and the largest peak of `runs` measurements."""
    results = [one() for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def seslint() -> list[str]:
    """seslint installed from this checkout as a user installs it (not editable)."""
    binary = SESLINT_VENV / "bin" / "seslint"
    pip = SESLINT_VENV / "bin" / "pip"
    if not binary.exists():
        print("installing seslint into benchmarks/.venv-seslint ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(SESLINT_VENV)], check=True)
        subprocess.run([str(pip), "install", "-q", str(ROOT)], check=True)
    else:
        subprocess.run([str(pip), "install", "-q", "--no-deps", "--force-reinstall", str(ROOT)], check=True)
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools' leftovers in the checkout
    return [str(binary)]


def checkov() -> list[str] | None:
    binary = CHECKOV_VENV / "bin" / "checkov"
    if not binary.exists():
        print("installing Checkov into benchmarks/.venv-checkov ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(CHECKOV_VENV)], check=True)
        result = subprocess.run([str(CHECKOV_VENV / "bin" / "pip"), "install", "-q", "checkov"], check=False)
        if result.returncode != 0 or not binary.exists():
            return None
    return [str(binary)]


CHECKOV_ENV = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE", "LOG_LEVEL": "ERROR"}


SHAPES: dict[str, Callable[[Path, int], object]] = {"tree": generate, "stacks": generate_stacks}


def tree_row(
    shape: str, size: int, work: Path, ckv: list[str] | None, repeat: int, ours: list[str]
) -> list[object]:
    tree = work / f"{shape}-{size}"
    SHAPES[shape](tree, size)
    cache = work / f"cache-{shape}-{size}"
    command = [*ours, "check", str(tree), "--fail-on", "never"]
    runs = iter(range(repeat))

    def cold() -> tuple[float, float]:
        folder = work / f"cold-{shape}-{size}-{next(runs)}"  # a new, empty cache for every cold run
        return measure(command, {"SESLINT_CACHE_DIR": str(folder)})

    measure(command, {"SESLINT_CACHE_DIR": str(cache)})  # fills the cache for the warm runs
    cold_run = median_of(repeat, cold)
    warm_run = median_of(repeat, lambda: measure(command, {"SESLINT_CACHE_DIR": str(cache)}))
    row: list[object] = [size, f"{cold_run[0]:.3f}", f"{warm_run[0]:.3f}", f"{cold_run[1]:.0f}"]
    if not ckv:
        return [*row, "-", "-", "-", "-"]
    theirs_command = [*ckv, "-d", str(tree), "--framework", "terraform", "--check", "CKV_AWS_365"]
    theirs = median_of(
        repeat if size < 200 else min(repeat, 3),
        lambda: measure([*theirs_command, "--quiet", "--compact"], CHECKOV_ENV),
    )
    return [
        *row,
        f"{theirs[0]:.2f}",
        f"{theirs[1]:.0f}",
        f"{theirs[0] / cold_run[0]:.1f}x",
        f"{theirs[0] / warm_run[0]:.1f}x",
    ]


def precommit_row(work: Path, size: int, repeat: int, ours: list[str]) -> list[object]:
    tree = work / f"tree-{size}"
    env = {"SESLINT_CACHE_DIR": str(work / f"cache-tree-{size}")}
    target = tree / "m00000" / "main.tf"  # an SES module, called by m00001
    target.write_text(target.read_text() + "\n# changed\n")
    cwd = os.getcwd()
    os.chdir(tree)
    edits = iter(range(repeat))

    def edited() -> tuple[float, float]:
        # A new edit each time, so the changed file is never in the cache (as in a real commit).
        target.write_text(target.read_text() + f"# edit {next(edits)}\n")
        return measure([*ours, "check", "m00000/main.tf", "--fail-on", "never"], env)

    try:
        seconds, peak = median_of(repeat, edited)
    finally:
        os.chdir(cwd)
    return ["pre-commit, one changed file", f"{seconds:.3f} s", f"{peak:.0f} MiB"]


def plan_row(work: Path, megabytes: int, ours: list[str]) -> list[object]:
    path = work / "big-plan.json"
    resources = []
    size = 0
    index = 0
    while size < megabytes * 1024 * 1024:
        values = {"bucket": f"bucket-{index}", "tags": {f"k{j}": "v" * 40 for j in range(20)}}
        resources.append(
            {
                "address": f"aws_s3_bucket.b[{index}]",
                "mode": "managed",
                "type": "aws_s3_bucket",
                "name": "b",
                "index": index,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "schema_version": 0,
                "values": values,
                "sensitive_values": {},
            }
        )
        size += 1300
        index += 1
    resources.append(
        {
            "address": "aws_ses_configuration_set.c",
            "mode": "managed",
            "type": "aws_ses_configuration_set",
            "name": "c",
            "values": {"name": "c"},
        }
    )
    path.write_text(
        json.dumps({"format_version": "1.2", "planned_values": {"root_module": {"resources": resources}}})
    )
    actual = path.stat().st_size / 1024 / 1024
    seconds, peak = measure([*ours, "plan", str(path), "--fail-on", "never"])
    return [
        f"plan JSON of {actual:.0f} MB",
        f"{seconds:.2f} s",
        f"{peak:.0f} MiB ({peak / actual:.1f}x the file)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1,10,200,2000", help="modules of the modules-shape trees")
    parser.add_argument("--stacks", default="1,200", help='stacks of the stacks-shape trees ("" skips them)')
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the median is shown")
    parser.add_argument("--no-checkov", action="store_true")
    parser.add_argument("--no-live", action="store_true", help="skip the moto and NSD benchmarks")
    parser.add_argument("--plan-mb", type=int, default=100)
    args = parser.parse_args()
    from tabulate import tabulate

    sizes = [int(s) for s in args.sizes.split(",")]
    stacks = [int(s) for s in args.stacks.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="seslint-bench-") as tmp:
        work = Path(tmp)
        ours = seslint()
        ckv = None if args.no_checkov else checkov()
        for shape, counts, unit in (("tree", sizes, "modules"), ("stacks", stacks, "stacks")):
            if not counts:
                continue
            rows = [tree_row(shape, n, work, ckv, args.repeat, ours) for n in counts]
            headers = [unit, "seslint cold s", "seslint warm s", "seslint MiB", "checkov s", "checkov MiB"]
            print(tabulate(rows, headers=[*headers, "ratio cold", "ratio warm"]), end="\n\n", flush=True)
        version = median_of(args.repeat, lambda: measure([*ours, "--version"]))
        other = [
            ["seslint --version", f"{version[0]:.3f} s", f"{version[1]:.0f} MiB"],
            precommit_row(work, max(sizes), args.repeat, ours),
        ]
        if args.plan_mb:
            other.append(plan_row(work, args.plan_mb, ours))
        print(tabulate(other, headers=["measure", "time", "peak memory"]))
    if not args.no_live:
        for script in ("audit_calls.py", "dns_domains.py", "html_report.py"):
            print(f"\n$ python benchmarks/{script}", flush=True)
            subprocess.run([sys.executable, str(HERE / script)], check=True)


if __name__ == "__main__":
    main()
