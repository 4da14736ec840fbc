"""The benchmark: seslint against Checkov on the same generated trees, side by side, on this machine.

    python benchmarks/run.py [--sizes 1,200,2000] [--no-checkov] [--plan-mb 100]

Prints one table: wall time and peak memory (RSS of the process) for seslint cold (empty parse cache),
seslint warm, Checkov (`checkov -d DIR --framework terraform --check CKV_AWS_365`, offline settings,
installed in benchmarks/.venv-checkov on first use), and the ratios; then the start-up time, a warm
pre-commit run on one changed file of the largest tree, and a large plan JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_terraform import generate  # noqa: E402

CHECKOV_VENV = HERE / ".venv-checkov"
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(seconds, peak MiB) of one run of the command, measured in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def seslint() -> list[str]:
    return [sys.executable, "-m", "seslint"]


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


def tree_rows(sizes: list[int], work: Path, with_checkov: bool) -> list[list[object]]:
    rows = []
    ckv = checkov() if with_checkov else None
    for size in sizes:
        tree = work / f"tree-{size}"
        generate(tree, size)
        cache = work / f"cache-{size}"
        shutil.rmtree(cache, ignore_errors=True)
        env = {"SESLINT_CACHE_DIR": str(cache)}
        cold = measure([*seslint(), "check", str(tree), "--fail-on", "never"], env)
        warm = measure([*seslint(), "check", str(tree), "--fail-on", "never"], env)
        row: list[object] = [size, f"{cold[0]:.2f}", f"{warm[0]:.2f}", f"{cold[1]:.0f}"]
        if ckv:
            theirs = measure(
                [
                    *ckv,
                    "-d",
                    str(tree),
                    "--framework",
                    "terraform",
                    "--check",
                    "CKV_AWS_365",
                    "--quiet",
                    "--compact",
                ],
                CHECKOV_ENV,
            )
            row += [
                f"{theirs[0]:.2f}",
                f"{theirs[1]:.0f}",
                f"{theirs[0] / cold[0]:.0f}x",
                f"{theirs[0] / warm[0]:.0f}x",
            ]
        else:
            row += ["-", "-", "-", "-"]
        rows.append(row)
    return rows


def precommit_row(work: Path, size: int) -> list[object]:
    tree = work / f"tree-{size}"
    env = {"SESLINT_CACHE_DIR": str(work / f"cache-{size}")}
    target = tree / "m00000" / "main.tf"  # an SES module, called by m00001
    target.write_text(target.read_text() + "\n# changed\n")
    measure([*seslint(), "check", str(target), "--fail-on", "never"], env)  # the edit's first parse
    target.write_text(target.read_text() + "# changed again\n")
    cwd = os.getcwd()
    os.chdir(tree)
    try:
        seconds, peak = measure([*seslint(), "check", "m00000/main.tf", "--fail-on", "never"], env)
    finally:
        os.chdir(cwd)
    return ["pre-commit, one changed file", f"{seconds:.2f} s", f"{peak:.0f} MiB"]


def plan_row(work: Path, megabytes: int) -> list[object]:
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
    seconds, peak = measure([*seslint(), "plan", str(path), "--fail-on", "never"])
    return [
        f"plan JSON of {actual:.0f} MB",
        f"{seconds:.2f} s",
        f"{peak:.0f} MiB ({peak / actual:.1f}x the file)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1,200,2000")
    parser.add_argument("--no-checkov", action="store_true")
    parser.add_argument("--plan-mb", type=int, default=100)
    args = parser.parse_args()
    from tabulate import tabulate

    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="seslint-bench-") as tmp:
        work = Path(tmp)
        rows = tree_rows(sizes, work, not args.no_checkov)
        print(
            tabulate(
                rows,
                headers=[
                    "modules",
                    "seslint cold s",
                    "seslint warm s",
                    "seslint MiB",
                    "checkov s",
                    "checkov MiB",
                    "ratio cold",
                    "ratio warm",
                ],
            )
        )
        print()
        version = measure([*seslint(), "--version"])
        other = [
            ["seslint --version", f"{version[0]:.3f} s", f"{version[1]:.0f} MiB"],
            precommit_row(work, max(sizes)),
        ]
        if args.plan_mb:
            other.append(plan_row(work, args.plan_mb))
        print(tabulate(other, headers=["measure", "time", "peak memory"]))


if __name__ == "__main__":
    main()
