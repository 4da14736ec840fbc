"""Policies: shipped ones load, extends and merge, every mistake at once with its line, discovery."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from seslint.errors import PolicyError
from seslint.policy.loader import load_policy, policy_document, shipped_policy_names, validate_files
from seslint.rules import RULE_IDS

ROOT = Path(__file__).resolve().parents[2]


def load(ref: str | None, cwd: Path):  # type: ignore[no-untyped-def]
    return load_policy(ref, cwd=cwd, known_rules=RULE_IDS)


def problems_of(tmp_path: Path, text: str, name: str = "p.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(text)
    return [p.replace(str(tmp_path) + "/", "") for p in validate_files([str(path)], known_rules=RULE_IDS)]


def test_shipped_policies_validate_and_load(tmp_path: Path) -> None:
    assert shipped_policy_names() == ["aws-production-access", "baseline", "bulk-sender", "strict"]
    files = sorted(str(p) for p in (ROOT / "policies").glob("*.yaml"))
    assert validate_files(files, known_rules=RULE_IDS) == []
    strict = load("strict", tmp_path)
    assert strict.name == "strict"
    assert strict.files == ("baseline", "aws-production-access", "strict")
    assert strict.require["dmarc"]["min_policy"] == "reject"
    assert strict.require["dkim"] == {"signing": True, "dns_records": True, "min_key_length": 2048}
    assert strict.require["alarms"]["bounce_rate"] == {"required": True, "max_threshold": 0.02}
    assert strict.rules["SES201"] == "error" and strict.on_unknown == "error"


def test_shipped_policies_have_headers() -> None:
    for path in (ROOT / "policies").glob("*.yaml"):
        head = path.read_text().splitlines()[:4]
        assert head[0].startswith("# seslint policy: " + path.stem), path


def test_two_mistakes_on_two_lines(tmp_path: Path) -> None:
    assert problems_of(
        tmp_path, "version: 1\nname: bad\non_unknown: sometimes\nrules:\n  SES201: loud\n"
    ) == [
        "p.yaml:3: on_unknown: 'sometimes' is not one of ['error', 'warning', 'ignore']",
        "p.yaml:5: rules.SES201: 'loud' is not one of ['error', 'warning', 'info', 'off']",
    ]


def test_unknown_keys_rules_and_dates(tmp_path: Path) -> None:
    text = (
        "version: 1\n"
        "rules:\n"
        "  SES20l: off\n"
        "  SES999: error\n"
        "require:\n"
        "  dmarc: {min_polcy: reject}\n"
        "waivers:\n"
        "  - {rule: SES201, reason: x, expires: 2027-02-30}\n"
        "  - {rule: SES201}\n"
    )
    assert problems_of(tmp_path, text) == [
        "p.yaml:3: rules.SES20l: 'SES20l' is not a rule id (SES + 3 digits); did you mean SES201?",
        "p.yaml:4: rules.SES999: unknown rule SES999",
        "p.yaml:6: require.dmarc.min_polcy: unknown key; did you mean min_policy?",
        "p.yaml:8: waivers[0].expires: '2027-02-30' is not a 'date'",
        "p.yaml:9: waivers[1]: 'reason' is a required property",
    ]


def test_off_is_a_severity_not_a_boolean(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("version: 1\nrules: {SES201: off, SES202: on}\n")
    assert problems_of(tmp_path, "version: 1\nrules: {SES201: off, SES202: on}\n") == [
        "p.yaml:2: rules.SES202: 'on' is not one of ['error', 'warning', 'info', 'off']"
    ]


def test_json_policy_lines(tmp_path: Path) -> None:
    text = '{\n  "version": 1,\n  "on_unknown": "loud"\n}\n'
    assert problems_of(tmp_path, text, "p.json") == [
        "p.json:3: on_unknown: 'loud' is not one of ['error', 'warning', 'ignore']"
    ]
    assert problems_of(tmp_path, '{\n  "version": 1,\n', "q.json") == [
        "q.json:3: invalid JSON: Expecting property name enclosed in double quotes"
    ]


def test_extends_chain_merge_and_waivers(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        "version: 1\nextends: baseline\nrequire:\n  dmarc: {min_policy: quarantine}\n"
        "waivers:\n  - {rule: SES201, resource: 'a.*', reason: OPS-1, expires: 2030-01-01}\n"
    )
    (tmp_path / "team.yaml").write_text(
        "version: 1\nname: team\nextends: ./base.yaml\nrequire:\n  dmarc: {rua: false}\n"
        "scope: {identities: [example.com]}\nwaivers:\n  - {rule: SES202, reason: OPS-2}\n"
    )
    policy = load("team.yaml", tmp_path)
    assert policy.name == "team"
    assert policy.files == ("baseline", "base.yaml", "team.yaml")
    assert policy.require["dmarc"] == {"required": True, "min_policy": "quarantine", "pct": 0, "rua": False}
    assert policy.scope_identities == ("example.com",)
    assert [(w.rule, w.resource, w.expires, w.file, w.line) for w in policy.waivers] == [
        ("SES201", "a.*", date(2030, 1, 1), "base.yaml", 6),
        ("SES202", "*", None, "team.yaml", 8),
    ]


def test_extends_cycle_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("version: 1\nextends: ./b.yaml\n")
    (tmp_path / "b.yaml").write_text("version: 1\nextends: ./a.yaml\n")
    with pytest.raises(PolicyError) as error:
        load("a.yaml", tmp_path)
    assert error.value.problems == ["b.yaml:2: extends: circular extends: a.yaml -> b.yaml -> a.yaml"]


def test_missing_extends_and_missing_policy(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "version: 1\nextends: nothing-here\n") == [
        "p.yaml:2: extends: 'nothing-here' is neither a shipped policy (aws-production-access, baseline, "
        "bulk-sender, strict) nor a file next to this one"
    ]
    with pytest.raises(PolicyError) as error:
        load("nope.yaml", tmp_path)
    assert error.value.problems == [
        "nope.yaml: no such policy file or shipped policy (shipped: aws-production-access, baseline, bulk-sender, "
        "strict)"
    ]
    with pytest.raises(PolicyError) as error:
        load("stirct", tmp_path)
    assert error.value.problems == [
        "stirct: no such policy file or shipped policy (shipped: aws-production-access, baseline, bulk-sender, "
        "strict); did you mean strict?"
    ]
    assert problems_of(tmp_path, "version: 1\nextends: bulk-sendr\n") == [
        "p.yaml:2: extends: 'bulk-sendr' is neither a shipped policy (aws-production-access, baseline, "
        "bulk-sender, strict) nor a file next to this one; did you mean bulk-sender?"
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\x00\x01binary", "p.yaml: not a policy file (binary content)"),
        (b"version: 1\n\xff\xfe", "p.yaml: not UTF-8 text (byte 11)"),
        (b"version: [1\n", "p.yaml:2: invalid YAML: expected ',' or ']', but got '<stream end>'"),
        (b"", "p.yaml: empty policy file"),
        (b"- a\n- b\n", "p.yaml:1: (document): ['a', 'b'] is not of type 'object'"),
        (
            b"version: 1\nname: !!python/object:os.system x\n",
            "p.yaml:2: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system' "
            "(policies are plain data)",
        ),
    ],
)
def test_unreadable_files_are_one_line(tmp_path: Path, content: bytes, problem: str) -> None:
    (tmp_path / "p.yaml").write_bytes(content)
    assert [
        p.replace(str(tmp_path) + "/", "")
        for p in validate_files([str(tmp_path / "p.yaml")], known_rules=RULE_IDS)
    ] == [problem]


def test_discovery_order(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    sub = tmp_path / "infra" / "ses"
    sub.mkdir(parents=True)
    assert load(None, sub).name == "baseline"
    (tmp_path / "pyproject.toml").write_text('[tool.seslint]\npolicy = "strict"\n')
    assert load(None, sub).name == "strict"
    (tmp_path / "pyproject.toml").write_text('[tool.seslint]\nname = "inline"\non_unknown = "error"\n')
    inline = load(None, sub)
    assert (inline.name, inline.on_unknown) == ("inline", "error")
    (tmp_path / ".seslint.yaml").write_text("version: 1\nname: repo\nextends: bulk-sender\n")
    assert load(None, sub).name == "repo"


def test_policy_show_document(tmp_path: Path) -> None:
    files, document = policy_document("bulk-sender", cwd=tmp_path, known_rules=RULE_IDS)
    assert files == ["baseline", "bulk-sender"]
    assert "files" not in document and "extends" not in document
    assert document["name"] == "bulk-sender"
    assert document["rules"]["SES123"] == "error"
    json.dumps(document)  # plain data
