"""A snapshot edited by hand, field by field: every node of a real snapshot replaced, in turn, by a
value of another type. Each is audited offline: findings (never a crashed rule) or one line naming
the snapshot with exit 2, never an internal error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seslint import cli
from tests.aws.moto_server import GapFiller
from tests.aws.test_audit import audit, aws, seed, server
from tests.reliability.test_mutations import WRONG, paths, replaced

__all__ = ["aws", "server"]  # the fixtures, shared with test_audit.py


def test_every_field_of_a_snapshot_with_a_wrong_type(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed(aws[1], good=False)
    taken = tmp_path / "taken.json"
    audit(capsys, "--save-snapshot", str(taken))
    document = json.loads(taken.read_text())
    edited = tmp_path / "edited.json"
    judged = rejected = 0
    for index, path in enumerate(paths(document)):
        edited.write_text(json.dumps(replaced(document, path, WRONG[index % len(WRONG)])))
        code = cli.main(["audit", "--from-snapshot", str(edited), "--policy", "strict", "--format", "json"])
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), (path, err)
        if code == 2:
            assert err.count("\n") == 1 and str(edited) in err, (path, err)
            rejected += 1
            continue
        crashed = [f["message"] for f in json.loads(out)["findings"] if f["rule"] == "SES002"]
        assert not crashed, (path, crashed)
        judged += 1
    # Every node of the snapshot went one way or the other; both ways were seen (192 nodes with moto 5.2).
    assert judged + rejected == len(list(paths(document)))
    assert judged > 20 and rejected > 100
