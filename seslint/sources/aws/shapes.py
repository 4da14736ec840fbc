"""A saved snapshot's responses checked against the AWS API's own output shapes (botocore's service
models), so a hand-edited field of the wrong type is one error naming the file and the field, never
a crash or a guess further on. Live responses are parsed by botocore and always fit."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

_NUMBERS = {"integer": (int,), "long": (int,), "double": (int, float), "float": (int, float)}


def problem(service: str, operation: str, response: Any, where: str) -> str | None:
    """The first place where `response` does not fit the operation's output shape, or None."""
    import botocore.exceptions
    from botocore.model import OperationNotFoundError

    try:
        model = _session().get_service_model(service).operation_model(operation)
    except (botocore.exceptions.UnknownServiceError, OperationNotFoundError):
        return f"{where}: {service}:{operation} is not an operation seslint reads"
    except botocore.exceptions.BotoCoreError as exc:
        return f"{where}: {service}:{operation}: {exc}"
    if model.output_shape is None:
        return None
    return _fits(model.output_shape, response, where)


def _fits(shape: Any, value: Any, where: str) -> str | None:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return f"{where}: expected an object, got {_shown(value)}"
        for key, item in value.items():
            member = shape.members.get(key)
            found = _fits(member, item, f"{where}.{key}") if member is not None else None
            if found:
                return found
        return None
    if kind == "list":
        if not isinstance(value, list):
            return f"{where}: expected a list, got {_shown(value)}"
        return next((p for i, v in enumerate(value) if (p := _fits(shape.member, v, f"{where}[{i}]"))), None)
    if kind == "map":
        if not isinstance(value, dict):
            return f"{where}: expected an object, got {_shown(value)}"
        return next((p for k, v in value.items() if (p := _fits(shape.value, v, f"{where}.{k}"))), None)
    if kind == "boolean":
        return None if isinstance(value, bool) else f"{where}: expected true or false, got {_shown(value)}"
    if kind in _NUMBERS:
        ok = isinstance(value, _NUMBERS[kind]) and not isinstance(value, bool)
        return None if ok else f"{where}: expected a number, got {_shown(value)}"
    # string, timestamp and blob: a snapshot holds all three as text (dates in ISO 8601, blobs base64)
    return None if isinstance(value, str) else f"{where}: expected a string, got {_shown(value)}"


def _shown(value: Any) -> str:
    return repr(value)[:60]


@lru_cache(maxsize=1)
def _session() -> Any:
    import botocore.session

    return botocore.session.get_session()
