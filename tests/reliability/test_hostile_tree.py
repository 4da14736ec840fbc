"""A pull request's tree as an attacker would write it: links out of the tree, FIFOs, sockets, devices,
sparse files, bad encodings, deep directories, deep and odd JSON. One tree holds them all next to a
good module: every run ends (exit 0, 1 or 2) in time, in all six formats, the good module is judged,
each bad input is one exact finding, and the planted secret appears in no byte of any output."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from seslint.bounded import OUTSIDE
from tests.reliability.hostile import CREDENTIALS, SECRET, every_format, seslint, write

SET = 'resource "aws_ses_configuration_set" "{name}" {{\n  name = "{name}"\n}}\n'
DEPTH = 1500


def _deep_json(depth: int) -> str:
    return '{"locals": {"x": ' + "[" * depth + "1" + "]" * depth + "}}"


def _remove_deep(top: Path) -> None:
    """Remove a directory chain too deep for shutil.rmtree (which recurses), deepest first."""
    if not top.is_dir():
        return
    chain = [top]
    while (chain[-1] / "d").is_dir():
        chain.append(chain[-1] / "d")
    for directory in reversed(chain):
        for entry in directory.iterdir():
            if not entry.is_dir():
                entry.unlink()
        directory.rmdir()


@pytest.fixture(scope="module")
def tree() -> Iterator[Path]:
    # Not under pytest's temporary directory: pytest removes old ones with shutil.rmtree, which
    # recurses and fails on the deep tree; this one is removed here, deepest first.
    base = Path(tempfile.mkdtemp(prefix="seslint-hostile-"))
    try:
        yield _build(base)
    finally:
        _remove_deep(base / "repo" / "deep")
        shutil.rmtree(base)


def _build(base: Path) -> Path:
    outside = base / "outside"
    write(outside, {"credentials": CREDENTIALS, "module/main.tf": f"# {SECRET}\n{SET.format(name='x')}"})
    repo = base / "repo"
    (repo / ".git").mkdir(parents=True)
    write(
        repo,
        {
            "good/main.tf": SET.format(name="good"),
            "bad/main.tf": SET.format(name="bad"),
            "bad/calls.tf": 'module "out" {\n  source = "./outdir"\n}\n',
            "enc/main.tf": SET.format(name="enc"),
            "enc/terraform.tfvars": b"\xff\xfe = 1\n",
            "json/deep.tf.json": _deep_json(500),
            "json/digits.tf.json": '{"locals": {"n": ' + "7" * 5000 + "}}",
            "json/digits.tf": "locals {\n  n = " + "7" * 5000 + "\n}\n",
            "json/nan.tf.json": '{"locals": {"n": NaN}}',
            "json/main.tf": SET.format(name="json"),
            "vars/main.tf": SET.format(name="vars"),
            "vars/terraform.tfvars.json": _deep_json(500),
        },
    )
    bad = repo / "bad"
    (bad / "link.tf").symlink_to(outside / "credentials")
    (bad / "terraform.tfvars").symlink_to(outside / "credentials")
    (bad / "zero.tf").symlink_to("/dev/zero")
    (bad / "outdir").symlink_to(outside / "module")
    os.mkfifo(bad / "pipe.tf")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(bad / "sock.tf"))
    server.close()
    with open(bad / "sparse.tf", "wb") as handle:
        handle.truncate(2 * 1024**3)
    deep = repo / "deep"
    deep.mkdir()
    for _ in range(DEPTH):  # one level at a time: os.makedirs itself recurses
        deep = deep / "d"
        deep.mkdir()
    (deep / "main.tf").write_text(SET.format(name="deep"))
    return repo


def _ses000(findings: list[tuple[str, str, str | None, int | None, str]]) -> list[tuple[object, ...]]:
    return sorted((f[1], f[2], f[3], f[4]) for f in findings if f[0] == "SES000")


def test_every_hostile_input_is_one_finding_and_the_good_module_is_judged(tree: Path) -> None:
    runs = every_format("check", ".", "--policy", "baseline", cwd=tree)
    assert {run.code for run in runs.values()} == {1}
    assert all(run.seconds < 60 for run in runs.values())
    findings = runs["json"].findings()
    deep = "deep/" + "d/" * DEPTH + "main.tf"
    assert _ses000(findings) == sorted(
        [
            ("bad/link.tf", "bad/link.tf", None, OUTSIDE),
            ("bad/pipe.tf", "bad/pipe.tf", None, "a FIFO (named pipe), not a regular file; not read"),
            ("bad/sock.tf", "bad/sock.tf", None, "a socket, not a regular file; not read"),
            (
                "bad/sparse.tf",
                "bad/sparse.tf",
                None,
                "2048 MB is larger than the 4 MB seslint reads; not checked",
            ),
            ("bad/terraform.tfvars", "bad/terraform.tfvars", None, OUTSIDE),
            ("bad/zero.tf", "bad/zero.tf", None, OUTSIDE),
            ("enc/terraform.tfvars", "enc/terraform.tfvars", None, "not UTF-8 text (byte 0)"),
            ("json/deep.tf.json", "json/deep.tf.json", None, "nested deeper than 128 levels"),
            ("json/digits.tf", "json/digits.tf", None, "HCL syntax error: a number with thousands of digits"),
            ("json/digits.tf.json", "json/digits.tf.json", 1, "a number with thousands of digits"),
            ("json/nan.tf.json", "json/nan.tf.json", 1, "NaN is not a number JSON allows"),
            (
                "module.out",
                "bad/calls.tf",
                1,
                "module out: source './outdir' leads outside the checked tree; not read",
            ),
            (
                "vars/terraform.tfvars.json",
                "vars/terraform.tfvars.json",
                None,
                "nested deeper than 128 levels",
            ),
        ]
    )
    judged = {(f[0], f[1], f[2]) for f in findings if f[0] != "SES000"}
    for module, name in (
        ("good", "good"),
        ("bad", "bad"),
        ("enc", "enc"),
        ("json", "json"),
        ("vars", "vars"),
    ):
        assert ("SES202", f"aws_ses_configuration_set.{name}", f"{module}/main.tf") in judged
    assert ("SES202", "aws_ses_configuration_set.deep", deep) in judged


def test_a_character_device_in_the_tree_is_not_opened(tmp_path: Path) -> None:
    write(tmp_path, {".git/HEAD": "", "m/main.tf": SET.format(name="m")})
    try:
        os.mknod(tmp_path / "m" / "zero.tf", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero
    except PermissionError:
        pytest.skip("creating a device needs CAP_MKNOD")
    run = seslint("check", ".", "--policy", "baseline", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    assert _ses000(run.findings()) == [
        ("m/zero.tf", "m/zero.tf", None, "a character device, not a regular file; not read")
    ]


def test_a_path_too_long_to_walk_is_a_finding(tmp_path: Path) -> None:
    write(tmp_path, {".git/HEAD": "", "good/main.tf": SET.format(name="good")})
    name = "n" * 250
    handle = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(20):  # 5,000 characters: more than the 4,096 one system call may name
            os.mkdir(name, dir_fd=handle)
            below = os.open(name, os.O_RDONLY, dir_fd=handle)
            os.close(handle)
            handle = below
    finally:
        os.close(handle)
    run = seslint("check", ".", "--policy", "baseline", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    [(resource, file, line, message)] = _ses000(run.findings())
    assert resource == file and resource.startswith(f"{name}/{name}/") and line is None
    assert message == "directory cannot be read: File name too long"
    assert ("SES202", "aws_ses_configuration_set.good") in {f[:2] for f in run.findings()}


def test_a_var_file_given_by_the_user_is_read_and_its_problems_are_usage_errors(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".git/HEAD": "",
            "m/main.tf": 'variable "n" {}\n' + SET.format(name="${var.n}"),
            "bad.tfvars": b"n = \xff\n",
            "credentials.tfvars": CREDENTIALS,
        },
    )
    run = seslint("check", "m", "--var-file", "bad.tfvars", "--format", "json", cwd=tmp_path)
    assert (run.code, run.out, run.err) == (2, "", "seslint: bad.tfvars: not UTF-8 text (byte 4)\n")
    run = seslint("check", "m", "--var-file", "credentials.tfvars", "--format", "json", cwd=tmp_path)
    assert (run.code, run.out) == (2, "")
    assert run.err == (  # an excerpt of 30 characters at most, even of the user's own file
        "credentials.tfvars:1: HCL syntax error: unexpected STRING_CHARS "
        "'[default]\\naws_access_key_id = ...' at line 1, column 1\n"
    )


@pytest.mark.parametrize(
    ("policy", "error"),
    [
        (
            "version: 1\nextends: ../outside/credentials\n",
            ".seslint.yaml:2: extends: '../outside/credentials' is outside the repository; a policy "
            "extends shipped policies and files of its own repository",
        ),
        (
            "version: 1\nextends: [baseline, /etc/passwd]\n",
            ".seslint.yaml:2: extends: '/etc/passwd' is outside the repository; a policy extends shipped "
            "policies and files of its own repository",
        ),
        ("link", "seslint: .seslint.yaml: a symbolic link to a file outside the checked tree; not read"),
        ("fifo", "seslint: .seslint.yaml: a FIFO (named pipe), not a regular file; not read"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
            ),
            "seslint: .seslint.yaml: more than 100,000 values once its aliases are expanded",
        ),
        (
            "a: " + "[" * 1000 + "]" * 1000 + "\n",
            ".seslint.yaml:1: invalid YAML: nested deeper than 64 levels",
        ),
        ("a: &a [*a]\n", "seslint: .seslint.yaml: an alias refers to the node that holds it"),
    ],
    ids=["extends-relative", "extends-absolute", "link", "fifo", "billion-laughs", "deep", "self-alias"],
)
def test_a_discovered_policy_stays_in_its_repository_and_its_bounds(
    tmp_path: Path, policy: str, error: str
) -> None:
    write(
        tmp_path,
        {"outside/credentials": CREDENTIALS, "repo/.git/HEAD": "", "repo/main.tf": SET.format(name="m")},
    )
    repo = tmp_path / "repo"
    if policy == "link":
        (repo / ".seslint.yaml").symlink_to(tmp_path / "outside" / "credentials")
    elif policy == "fifo":
        os.mkfifo(repo / ".seslint.yaml")
    else:
        (repo / ".seslint.yaml").write_text(policy)
    for fmt in ("json", "github"):
        run = seslint("check", ".", "--format", fmt, cwd=repo)
        assert (run.code, run.out, run.err) == (2, "", error + "\n")


def test_a_policy_given_by_the_user_is_read_but_not_what_it_extends_outside_its_repository(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "outside/credentials": CREDENTIALS,
            "repo/.git/HEAD": "",
            "repo/main.tf": SET.format(name="m"),
            "repo/ci/policy.yaml": "version: 1\nextends: ../../outside/credentials\n",
            "mine/base.yaml": "version: 1\nname: base\nrules: {SES202: off}\n",
            "mine/policy.yaml": "version: 1\nname: mine\nextends: base.yaml\n",
        },
    )
    repo = tmp_path / "repo"
    run = seslint("check", ".", "--policy", "ci/policy.yaml", "--format", "json", cwd=repo)
    assert (run.code, run.err) == (
        2,
        "ci/policy.yaml:2: extends: '../../outside/credentials' is outside the repository; a policy extends "
        "shipped policies and files of its own repository\n",
    )
    mine = str(tmp_path / "mine/policy.yaml")
    run = seslint("check", ".", "--policy", mine, "--format", "json", "--fail-on", "never", cwd=repo)
    assert run.code == 0
    assert json.loads(run.out)["policy"] == {
        "name": "mine",
        "files": [str(tmp_path / "mine/base.yaml"), mine],
    }


def test_the_source_tree_of_a_plan_is_bounded_too(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"outside/credentials": CREDENTIALS, "repo/.git/HEAD": "", "repo/m/main.tf": SET.format(name="ok")},
    )
    repo = tmp_path / "repo"
    (repo / "m" / "link.tf").symlink_to(tmp_path / "outside" / "credentials")
    resource = {
        "address": "aws_ses_configuration_set.ok",
        "mode": "managed",
        "type": "aws_ses_configuration_set",
        "name": "ok",
        "values": {"name": "ok"},
    }
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [resource]}}}
    write(repo, {"plan.json": json.dumps(plan)})
    runs = every_format("plan", "plan.json", "--source-dir", "m", "--policy", "baseline", cwd=repo)
    assert {run.code for run in runs.values()} == {1}
    findings = runs["json"].findings()
    assert _ses000(findings) == [("m/link.tf", "m/link.tf", None, OUTSIDE)]
    assert ("SES202", "aws_ses_configuration_set.ok", "m/main.tf") in {f[:3] for f in findings}


def test_what_the_parent_scans_stays_linear(tmp_path: Path) -> None:
    """Valid files that made the parent's own scans quadratic: a heredoc of lines that start like a
    block (block lines), a waiver comment with a long run of spaces, thousands of .tf.json blocks."""
    heredoc = "resource x\n" * 50_000
    main = (
        f"locals {{\n  doc = <<EOT\n{heredoc}EOT\n}}\n"
        'resource "aws_ses_configuration_set" "ok" {\n'
        f"  # seslint:ignore SES201{' ' * 300_000}x\n"
        '  name = "ok"\n}\n'
    )
    topics = {f"t{i}": {"name": f"t{i}"} for i in range(20_000)}
    write(
        tmp_path, {"m/main.tf": main, "m/many.tf.json": json.dumps({"resource": {"aws_sns_topic": topics}})}
    )
    run = seslint("check", ".", "--policy", "baseline", "--format", "json", cwd=tmp_path)
    assert run.code == 1 and run.seconds < 30
    assert sorted((f[0], f[1], f[3]) for f in run.findings()) == [
        ("SES000", "m/main.tf:50006", 50006),
        ("SES201", "aws_ses_configuration_set.ok", 50005),
        ("SES202", "aws_ses_configuration_set.ok", 50005),
    ]


@pytest.mark.parametrize("kind", ["fifo", "link"])
def test_a_pyproject_that_is_a_fifo_or_a_link_out_does_not_hold_the_run(tmp_path: Path, kind: str) -> None:
    # Whether the repository configures seslint is looked at before the policy loads (to hand the
    # parse worker its files early): that look reads as the loader does, never opening a FIFO.
    write(
        tmp_path,
        {"outside/credentials": CREDENTIALS, "repo/.git/HEAD": "", "repo/main.tf": SET.format(name="m")},
    )
    repo = tmp_path / "repo"
    if kind == "fifo":
        os.mkfifo(repo / "pyproject.toml")
    else:
        (repo / "pyproject.toml").symlink_to(tmp_path / "outside" / "credentials")
    run = seslint("check", ".", "--format", "json", cwd=repo)
    assert SECRET not in run.out + run.err
    if kind == "fifo":  # not a regular file: no [tool.seslint], the default policy judges
        assert (run.code, run.err) == (0, "")
        assert [f["rule"] for f in json.loads(run.out)["findings"]] == ["SES201", "SES202"]
    else:
        assert (run.code, run.out) == (2, "")
        assert run.err.startswith(f"seslint: {repo / 'pyproject.toml'}: cannot read [tool.seslint]:")
