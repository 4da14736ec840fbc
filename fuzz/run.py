"""Coverage-guided fuzzing of seslint's parsers with atheris (pip install '.[fuzz]').

    python fuzz/run.py TARGET [--seconds 60]      TARGET: spf, dmarc, hcl, document, tf, plan, policy,
                                                          tree, all

A target fails when a parser raises anything but its own error type (which would reach a user as a
crash). `hcl` drives the expression evaluator alone; `document` fails when tree-sitter's document of a file
(seslint/hcl_document.py) is given where python-hcl2 reads the file differently (both read it, and
seslint would see different values); `tf` writes the input as a main.tf and runs the
whole `seslint check` pipeline on it (python-hcl2, block reading, modules, mapping, rules, the JSON
reporter) and fails on an internal error (exit 3); `tree` builds a hostile repository from the input
(links out of it, FIFOs, sockets, sparse files, odd names, deep directories; see fuzz/tree.py) and fails
on exit 3, a leaked secret, a raw control character in any output, or a run that does not end.
Crashing inputs are written to fuzz/crashes/ by libFuzzer.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
from pathlib import Path

TARGETS = ("spf", "dmarc", "hcl", "document", "tf", "plan", "policy", "tree")


def target(name: str):  # type: ignore[no-untyped-def]
    import json

    from seslint.model import Unknown

    if name == "tree":
        sys.path.insert(0, __file__.rsplit("/", 1)[0])
        import tree  # fuzz/tree.py

        return tree.target()
    if name == "spf":
        from seslint.dnsrecords import spf

        def run(data: bytes) -> None:
            record = spf.parse(data.decode("utf-8", "replace"))
            spf.count_lookups(record, lambda domain: None)
    elif name == "dmarc":
        from seslint.dnsrecords import dmarc

        def run(data: bytes) -> None:
            dmarc.parse(data.decode("utf-8", "replace"))
    elif name == "hcl":
        from seslint.sources.terraform.evaluate import Scope, evaluate_raw

        scope = Scope({}, {}, "", ".", lambda module: Unknown("none"))

        def run(data: bytes) -> None:
            text = data.decode("utf-8", "replace")
            for raw in (text, "${" + text + "}", '"' + text + '"'):
                evaluate_raw(raw, scope)
    elif name == "document":
        import hcl2

        from seslint.hcl_document import document

        sys.path.insert(0, str(ROOT))
        from tests.hcl_reading import read  # a document as seslint reads it, as the tests compare

        def run(data: bytes) -> None:
            text = data.decode("utf-8", "replace")
            ours = document(text)
            if ours is None:
                return
            try:
                theirs = hcl2.loads(text)
            except Exception:  # python-hcl2 refuses some valid HCL (1-30, ${~ x ~}): not a finding
                return
            if read(ours) != read(theirs):
                raise RuntimeError(f"tree-sitter's document differs from python-hcl2's: {ours!r} {theirs!r}")
    elif name == "tf":
        import io
        import os
        import tempfile
        from pathlib import Path

        from seslint import cli
        from seslint.sources.terraform.parse import forget

        os.environ["SESLINT_CACHE_DIR"] = "off"  # every input is parsed, none is read back
        folder = Path(tempfile.mkdtemp(prefix="seslint-fuzz-"))
        main_tf = folder / "main.tf"

        def run(data: bytes) -> None:
            main_tf.write_bytes(data)
            forget()  # one directory, new content on every run
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
                code = cli.main(["check", str(folder), "--format", "json", "--fail-on", "never"])
            if code != 0:
                raise RuntimeError(f"seslint check exited {code}: {err.getvalue()}")
    elif name == "plan":
        from seslint.sources.plan.reader import PlanError, load_json, parse

        def run(data: bytes) -> None:
            with contextlib.suppress(PlanError):
                parse(load_json(data.decode("utf-8", "replace")))
            try:
                json.loads(data)
            except ValueError:
                return
    else:
        from seslint.policy.document import DocumentError
        from seslint.policy.document import parse as parse_policy
        from seslint.policy.loader import check
        from seslint.rules import RULE_IDS

        def run(data: bytes) -> None:
            with contextlib.suppress(DocumentError):
                check(parse_policy(data.decode("utf-8", "replace"), "fuzz.yaml"), RULE_IDS)

    return run


ROOT = Path(__file__).resolve().parents[1]
SEEDS = {  # starting inputs, so libFuzzer begins from real syntax rather than from nothing
    "tf": ("terraform/**/*.tf", "tests/terraform/**/*.tf"),
    "hcl": ("terraform/**/*.tf",),
    "document": ("terraform/**/*.tf", "tests/terraform/**/*.tf"),
    "plan": ("tests/plan/fixtures/*.json",),
    "policy": ("policies/*.yaml",),
}


def corpus(name: str) -> Path:
    """fuzz/corpus/NAME (kept between runs, not committed), seeded with the shipped files."""
    folder = Path(__file__).parent / "corpus" / name
    folder.mkdir(parents=True, exist_ok=True)
    for pattern in SEEDS.get(name, ()):
        for seed in ROOT.glob(pattern):
            target = folder / f"seed-{seed.parent.name}-{seed.name}"
            if not target.exists():
                target.write_bytes(seed.read_bytes())
    return folder


def fuzz(name: str) -> None:
    import atheris

    with atheris.instrument_imports():
        function = target(name)
    atheris.Setup(sys.argv, function)
    atheris.Fuzz()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.argv = sys.argv[2:]
        fuzz(sys.argv[0])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target", choices=(*TARGETS, "all"))
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    crashes = Path(__file__).parent / "crashes"
    crashes.mkdir(exist_ok=True)
    failed = []
    for name in TARGETS if args.target == "all" else (args.target,):
        command = [
            sys.executable,
            __file__,
            "--child",
            name,
            f"-max_total_time={args.seconds}",
            f"-artifact_prefix={crashes}/{name}-",
            "-rss_limit_mb=2048",
            "-timeout=60",  # a run that does not end is a finding
            str(corpus(name)),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        stats = [line for line in result.stderr.splitlines() if line.startswith("Done") or "#" in line[:2]]
        print(f"{name}: exit {result.returncode}; {stats[-1] if stats else ''}")
        if result.returncode != 0:
            failed.append(name)
            print(result.stderr[-3000:])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
