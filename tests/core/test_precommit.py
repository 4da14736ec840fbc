"""The pre-commit hooks: they read what `check` reads, show warnings, and the README's set-up is real.

(The walk-through with pre-commit itself, from PyPI, on a local clone, is in the issue 14 report:
it installs packages, which the suite does not.)"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from seslint import cli

ROOT = Path(__file__).resolve().parents[2]
HOOKS = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def test_check_hook_files_are_every_file_check_reads() -> None:
    pattern = re.compile(HOOKS["seslint"]["files"])
    read = [
        "main.tf",
        "stack/ses.tf.json",
        "terraform.tfvars",
        "terraform.tfvars.json",
        "prod.auto.tfvars",
        "env/prod.auto.tfvars.json",
    ]
    ignored = ["README.md", "plan.json", ".terraform.lock.hcl", "main.tf.bak", "notes.tfvars.txt"]
    assert [name for name in read if not pattern.search(name)] == []
    assert [name for name in ignored if pattern.search(name)] == []


def test_hooks_show_output_of_a_passing_run() -> None:
    assert HOOKS["seslint"]["verbose"] is True and HOOKS["seslint-plan"]["verbose"] is True
    assert HOOKS["seslint"]["entry"] == "seslint check" and HOOKS["seslint-plan"]["entry"] == "seslint plan"


def test_readme_configuration_is_written_as_documented(tmp_path: Path) -> None:
    """The README's shell lines, run by bash against a clone, write a configuration whose repo and
    rev exist and whose hooks and arguments seslint accepts."""
    readme = (ROOT / "README.md").read_text()
    script = readme[readme.index("## pre-commit") :].split("```sh\n", 1)[1].split("```", 1)[0]
    assert script.splitlines()[-1] == "pre-commit install && pre-commit run --all-files"
    writes = script[: script.index("\nEOF\n") + len("\nEOF\n")]
    clone = tmp_path / "seslint"
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "clone", "-q", str(ROOT), str(clone)], check=True)
    head = subprocess.run(["git", "-C", str(clone), "rev-parse", "HEAD"], capture_output=True, text=True)
    lint = tmp_path / "infra"
    lint.mkdir()
    lines = writes.replace("SESLINT=~/src/seslint", f"SESLINT={clone}", 1)
    subprocess.run(["bash", "-euc", lines], cwd=lint, check=True)
    (repo,) = yaml.safe_load((lint / ".pre-commit-config.yaml").read_text())["repos"]
    assert (repo["repo"], repo["rev"]) == (str(clone), head.stdout.strip())
    assert [h["id"] for h in repo["hooks"]] == ["seslint", "seslint-plan"]
    for hook in repo["hooks"]:
        # The hook's entry and the README's args parse as a command line seslint accepts.
        argv = [*shlex.split(HOOKS[hook["id"]]["entry"])[1:], *hook.get("args", []), "x"]
        cli.build_parser().parse_args(argv)


def test_warnings_are_printed_when_the_run_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the hook runs: a warning (SES202 under the default policy) exits 0 and is printed."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_sesv2_configuration_set" "main" {\n  configuration_set_name = "main"\n'
        '  delivery_options {\n    tls_policy = "REQUIRE"\n  }\n}\n'
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "100")
    assert cli.main(["check", "main.tf"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "severity  rule    location   resource                          message",
        "--------  ------  ---------  --------------------------------  ----------------------------------",
        "warning   SES202  main.tf:1  aws_sesv2_configuration_set.main  configuration set main does not",
        "                                                               publish reputation metrics (bounce",
        "                                                               and complaint rates) to CloudWatch",
        "",
        "error: 0 failed, 0 unknown; warning: 1 failed, 0 unknown",
        "Why and how to fix: seslint explain RULE, e.g. seslint explain SES202",
    ]
