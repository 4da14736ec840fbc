"""Find, read, validate and merge policies.

Every problem in every file of an `extends` chain is collected and raised at once as a PolicyError
whose lines read `FILE:LINE: key.path: message`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from seslint import exclude, repository
from seslint.bounded import Boundary, Unreadable, depth_within, read_text
from seslint.errors import PolicyError
from seslint.policy.document import MAX_BYTES, MAX_DEPTH, Document, DocumentError, Path_, parse, read
from seslint.policy.model import Exclusion, Policy, Waiver
from seslint.suggest import hint
from seslint.untrusted import excerpt

DEFAULT = "baseline"
DISCOVERED = repository.CONFIG_FILES
SHIPPED_SUFFIX = ".yaml"


@lru_cache(maxsize=1)
def shipped_folder() -> Path:
    """Where the shipped policies are (the data package seslint.policies), in any install, found
    without importlib.resources (which imports zipfile: about 10 ms of every run)."""
    spec = find_spec("seslint.policies")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:  # pragma: no cover - a zipped install: only importlib.resources reads it
        from importlib import resources

        return Path(str(resources.files("seslint.policies")))
    return Path(locations[0])


def shipped_policy_names() -> list[str]:
    return sorted(
        p.name[: -len(SHIPPED_SUFFIX)] for p in shipped_folder().iterdir() if p.name.endswith(SHIPPED_SUFFIX)
    )


def _shipped_path(name: str) -> Path | None:
    if name not in shipped_policy_names():
        return None
    return shipped_folder() / (name + SHIPPED_SUFFIX)


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    text = (shipped_folder() / "policy.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


# -- discovery --------------------------------------------------------------------------------------


def _discover(root: Path) -> tuple[str, Path] | tuple[str, dict[str, Any]]:
    """('file', path) or ('inline', table) or ('file', shipped baseline path), from a repository root."""
    for name in DISCOVERED:
        if os.path.lexists(root / name):  # a link or a FIFO too: reading it says what is wrong
            return "file", root / name
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = _tool_table(pyproject)
        if table is not None:
            if isinstance(table.get("policy"), str) and len(table) == 1:
                ref = table["policy"]
                shipped = _shipped_path(ref)
                return "file", shipped if shipped else (root / ref)
            return "inline", table
    path = _shipped_path(DEFAULT)
    assert path is not None
    return "file", path


def _tool_table(pyproject: Path) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(read_text(pyproject, MAX_BYTES, Boundary([pyproject.parent])))
    except Unreadable as exc:
        raise PolicyError([f"{pyproject}: cannot read [tool.seslint]: {exc.reason}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError([f"{pyproject}: cannot read [tool.seslint]: {excerpt(str(exc), 120)}"]) from None
    except RecursionError:
        raise PolicyError([f"{pyproject}: cannot read [tool.seslint]: nested too deep"]) from None
    tool = data.get("tool")
    table = tool.get("seslint") if isinstance(tool, dict) else None
    if isinstance(table, dict) and not depth_within(table, MAX_DEPTH):
        raise PolicyError([f"{pyproject}: [tool.seslint] is nested deeper than {MAX_DEPTH} levels"])
    return table if isinstance(table, dict) else None


# -- loading ----------------------------------------------------------------------------------------


def load_policy(
    ref: str | None, *, cwd: Path, known_rules: Collection[str], checked: Path | None = None
) -> Policy:
    """The policy to apply: `ref` (a shipped name or a path, relative to cwd), else the one discovered
    in the repository of the `checked` path (repository.of_checked)."""
    chain = _chain_for(ref, cwd, known_rules, checked)
    policy = _build(chain)
    if ref is None:
        return policy
    # The repository's exclude describes its tree, not a posture: it holds whichever policy judges.
    found = _exclusion(_chain_for(None, cwd, known_rules, checked)) if _configured(cwd, checked) else None
    if found is None or found in policy.exclude:
        return policy
    return replace(policy, exclude=(found, *policy.exclude))


def _chain_for(
    ref: str | None, cwd: Path, known_rules: Collection[str], checked: Path | None = None
) -> list[Document]:
    if ref is None:
        home = repository.of_checked(checked, cwd)
        kind, found = _discover(home)
        # A discovered policy came with the repository (perhaps with the pull request): it is read
        # inside the repository, and so is everything it extends.
        inside = Boundary([home])
        if kind == "inline":
            assert isinstance(found, dict)
            pyproject = str(home / "pyproject.toml")
            document = Document(f"{pyproject} [tool.seslint]", {"version": 1, **found}, {})
            return _resolve(document, Path(pyproject).parent, known_rules, inside)
        assert isinstance(found, Path)
        shipped_name = next((n for n in shipped_policy_names() if _shipped_path(n) == found), None)
        if shipped_name is not None:  # the default, or `policy = "strict"` in pyproject.toml
            return _load_chain(found, shipped_name, known_rules)
        return _load_chain(found, _shown(found, cwd), known_rules, inside)
    shipped = _shipped_path(ref)
    if shipped is not None:
        return _load_chain(shipped, ref, known_rules)
    path = Path(ref) if Path(ref).is_absolute() else cwd / ref
    if not os.path.lexists(path):
        names = shipped_policy_names()
        raise PolicyError(
            [f"{ref}: no such policy file or shipped policy (shipped: {', '.join(names)}){hint(ref, names)}"]
        )
    return _load_chain(path, ref, known_rules)


def _configured(cwd: Path, checked: Path | None) -> bool:
    """Whether the repository of the checked path has a configuration of its own (not the default)."""
    _kind, found = _discover(repository.of_checked(checked, cwd))
    return isinstance(found, dict) or found not in {_shipped_path(n) for n in shipped_policy_names()}


def _exclusion(chain: list[Document]) -> Exclusion | None:
    """The chain's exclude (lists replace: the last file that declares one), anchored at that file."""
    declared = next((d for d in reversed(chain) if "exclude" in d.data), None)
    if declared is None or declared.directory is None or not declared.data["exclude"]:
        return None
    return Exclusion(tuple(declared.data["exclude"]), declared.directory, declared.file)


def _shown(path: Path, cwd: Path) -> str:
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)


def _load_chain(
    path: Path, shown: str, known_rules: Collection[str], boundary: Boundary | None = None
) -> list[Document]:
    """The chain of the policy file at `path`: read inside `boundary` when it was discovered (a file
    given on the command line is the user's choice); what it extends stays inside its repository."""
    try:
        document = read(path, shown, boundary)
    except DocumentError as exc:
        raise PolicyError(exc.problems) from None
    if boundary is None:
        top = repository.holding(path.resolve().parent)
        boundary = Boundary([top]) if top is not None else None
    return _resolve(document, path.parent, known_rules, boundary, seen=(path.resolve(),))


def _resolve(
    document: Document,
    base: Path,
    known_rules: Collection[str],
    boundary: Boundary | None,
    seen: tuple[Path, ...] = (),
) -> list[Document]:
    """The document's whole `extends` chain, parents first; every problem of every file at once.
    A parent is a shipped policy or a file inside `boundary` (when there is one)."""
    # Shipped policies are validated by the test suite; skipping them keeps jsonschema out of the
    # pre-commit hook's start-up when the default policy is used.
    problems = [] if document.file in shipped_policy_names() else check(document, known_rules)
    chain: list[Document] = []
    data = document.data if isinstance(document.data, dict) else {}
    parents = data.get("extends", [])
    for index, parent in enumerate([parents] if isinstance(parents, str) else parents or []):
        if not isinstance(parent, str):
            continue  # the schema check reported it
        path_key: Path_ = ("extends",) if isinstance(parents, str) else ("extends", index)
        where = f"{document.file}:{document.line(path_key)}"
        if "\x00" in parent:
            problems.append(f"{where}: extends: not a file name (a NUL character)")
            continue
        shipped = _shipped_path(parent)
        target = shipped or (base / parent)
        if shipped is None and boundary is not None and not boundary.holds(target):
            problems.append(
                f"{where}: extends: {excerpt(parent)!r} is outside the repository; a policy extends "
                "shipped policies and files of its own repository"
            )
            continue
        if target.resolve() in seen:
            cycle = " -> ".join([*(p.name for p in seen), target.name])
            problems.append(f"{where}: extends: circular extends: {cycle}")
            continue
        if not os.path.lexists(target):
            names = shipped_policy_names()
            problems.append(
                f"{where}: extends: {excerpt(parent)!r} is neither a shipped policy "
                f"({', '.join(names)}) nor a file next to this one{hint(parent, names)}"
            )
            continue
        # Shown as the user would find it: relative to the extending file as that one is shown.
        shown = (
            parent
            if _shipped_path(parent)
            else os.path.normpath(os.path.join(os.path.dirname(document.file), parent))
        )
        try:
            parent_doc = read(target, shown, boundary if shipped is None else None)
        except DocumentError as exc:
            problems.extend(exc.problems)
            continue
        try:
            chain.extend(
                _resolve(parent_doc, target.parent, known_rules, boundary, (*seen, target.resolve()))
            )
        except PolicyError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PolicyError(problems)
    chain.append(replace(document, directory=str(base)))
    return chain


# -- validation -------------------------------------------------------------------------------------


def check(document: Document, known_rules: Collection[str]) -> list[str]:
    """Schema and semantic problems of one document, sorted by line."""
    from jsonschema import Draft202012Validator

    found: list[tuple[int, str]] = []
    validator = Draft202012Validator(_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    for error in validator.iter_errors(document.data):
        path: Path_ = tuple(error.absolute_path)
        message = error.message
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for extra in sorted(set(error.instance) - allowed, key=str):
                key_path = (*path, extra)
                found.append(
                    (
                        document.line(key_path),
                        f"{_dotted(key_path)}: unknown key{_suggest(str(extra), allowed)}",
                    )
                )
            continue
        if "propertyNames" in error.schema_path:
            bad = str(error.instance)
            key_path = (*path, bad)
            suggestion = _suggest(bad, known_rules)
            found.append(
                (
                    document.line(key_path),
                    f"{_dotted(key_path)}: {bad!r} is not a rule id (SES + 3 digits){suggestion}",
                )
            )
            continue
        if error.validator in ("oneOf", "anyOf") and error.context:
            message = min(error.context, key=lambda e: len(e.message)).message
        found.append((document.line(path), f"{_dotted(path) or '(document)'}: {message}"))
    if isinstance(document.data, dict):
        found.extend(_semantic(document, known_rules))
    found.sort(key=lambda item: item[0])
    # A schema message quotes the value it rejects: at most an excerpt of it.
    return [f"{document.file}:{line}: {excerpt(text, 240)}" for line, text in _unique(found)]


def _unique(items: list[tuple[int, str]]) -> list[tuple[int, str]]:
    seen: set[tuple[int, str]] = set()
    return [i for i in items if not (i in seen or seen.add(i))]  # type: ignore[func-returns-value]


def _semantic(document: Document, known_rules: Collection[str]) -> list[tuple[int, str]]:
    data = document.data
    found: list[tuple[int, str]] = []
    rules = data.get("rules")
    if isinstance(rules, dict):
        for rule_id in rules:
            if isinstance(rule_id, str) and rule_id not in known_rules and _is_rule_id(rule_id):
                path: Path_ = ("rules", rule_id)
                found.append(
                    (
                        document.line(path),
                        f"{_dotted(path)}: unknown rule {rule_id}{_suggest(rule_id, known_rules)}",
                    )
                )
    waivers = data.get("waivers")
    for index, waiver in enumerate(waivers if isinstance(waivers, list) else []):
        if not isinstance(waiver, dict):
            continue
        rule_id = waiver.get("rule")
        if isinstance(rule_id, str) and _is_rule_id(rule_id) and rule_id not in known_rules:
            path = ("waivers", index, "rule")
            found.append(
                (
                    document.line(path),
                    f"{_dotted(path)}: unknown rule {rule_id}{_suggest(rule_id, known_rules)}",
                )
            )
    excluded = data.get("exclude")
    for index, pattern in enumerate(excluded if isinstance(excluded, list) else []):
        why = exclude.problem(pattern) if isinstance(pattern, str) and pattern else None
        if why is not None:
            path = ("exclude", index)
            found.append((document.line(path), f"{_dotted(path)}: {excerpt(pattern)!r}: {why}"))
    return found


def _is_rule_id(text: str) -> bool:
    return len(text) == 6 and text.startswith("SES") and text[3:].isdigit()


def _suggest(word: str, choices: Collection[str]) -> str:
    return hint(word, choices)


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate_files(paths: Sequence[str], *, known_rules: Collection[str]) -> list[str]:
    """Every problem of every file (and of the files they extend); [] when all are valid."""
    problems: list[str] = []
    for name in paths:
        try:
            _load_chain(Path(name), name, known_rules)
        except PolicyError as exc:
            problems.extend(p for p in exc.problems if p not in problems)
    return problems


def parse_text(text: str, shown: str, known_rules: Collection[str]) -> list[str]:
    """Problems of a policy given as text (for tests and editors)."""
    try:
        return check(parse(text, shown), known_rules)
    except DocumentError as exc:
        return exc.problems


# -- merging ----------------------------------------------------------------------------------------


def merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge deeply (child wins), lists replace, waivers concatenate."""
    out = dict(base)
    for key, value in child.items():
        if key == "waivers":
            out[key] = [*base.get(key, []), *value]
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = merge(base[key], value)
        else:
            out[key] = value
    return out


def merged(chain: list[Document]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for document in chain:
        data = {k: v for k, v in document.data.items() if k not in ("extends", "version")}
        if document is not chain[-1]:
            data.pop("name", None)
            data.pop("description", None)
        # Waivers keep the file and line they were written at, for SES001 and reports.
        data["waivers"] = [
            {**w, "__file": document.file, "__line": document.line(("waivers", i))}
            for i, w in enumerate(data.get("waivers", []))
        ]
        result = merge(result, data)
    return result


def _build(chain: list[Document]) -> Policy:
    data = merged(chain)
    top = chain[-1]
    name = data.get("name") or Path(top.file.split(" ")[0]).stem
    scope = data.get("scope", {})
    waivers = tuple(
        Waiver(
            rule=w["rule"],
            reason=w["reason"],
            resource=w.get("resource", "*"),
            identity=w.get("identity"),
            expires=date.fromisoformat(w["expires"]) if w.get("expires") else None,
            file=w["__file"],
            line=w["__line"],
        )
        for w in data.get("waivers", [])
    )
    exclusion = _exclusion(chain)
    return Policy(
        name=name,
        files=tuple(d.file for d in chain),
        require=data.get("require", {}),
        scope_identities=tuple(scope.get("identities", ())),
        scope_regions=tuple(scope.get("regions", ())),
        on_unknown=data.get("on_unknown", "warning"),
        rules=data.get("rules", {}),
        waivers=waivers,
        exclude=(exclusion,) if exclusion is not None else (),
    )


def policy_document(
    ref: str | None, *, cwd: Path, known_rules: Collection[str], checked: Path | None = None
) -> tuple[list[str], dict[str, Any]]:
    """The merged policy as plain data: a valid policy on its own, with nothing left to extend, and
    the chain of files it was merged from. `ref` None: the policy discovery finds, as `load_policy`."""
    chain = _chain_for(ref, cwd, known_rules, checked)
    data = merged(chain)
    data["waivers"] = [
        {k: v for k, v in w.items() if not k.startswith("__")} for w in data.get("waivers", [])
    ]
    if not data["waivers"]:
        del data["waivers"]
    return [d.file for d in chain], {"version": 1, **data}


def policy_yaml(
    ref: str | None, *, cwd: Path, known_rules: Collection[str], checked: Path | None = None
) -> str:
    """`seslint policy show` as text: the chain in a comment, then the merged policy, which validates
    as it stands (`seslint policy show strict > p.yaml` gives a policy file to edit)."""
    import yaml

    files, document = policy_document(ref, cwd=cwd, known_rules=known_rules, checked=checked)
    header = "".join(f"#   {name}\n" for name in files)
    return (
        "# seslint policy, merged from (each extending the one before):\n"
        + header
        + yaml.safe_dump(document, sort_keys=False, default_flow_style=False)
    )
