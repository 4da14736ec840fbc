"""What the providers' schemas say about the attributes of the types seslint models.

The table (provider_schema_*.json beside this module) is generated from `terraform providers schema
-json` by tests/terraform/generate_provider_schema.py; see its docstring. Each attribute has a mode:
"r" required, "o" optional, "c" computed, "oc" optional and computed. For the evaluator that decides
what a reference to an attribute is at plan time:

- set in the configuration: its configured value (providers keep configured values);
- not set, "c" or "oc": known only after apply (a symbolic reference);
- not set, "o": null;
- a nested block not set: known only after apply (SDKv2 marks optional blocks computed in ways the
  schema JSON does not show, so null would be a guess).

A type not in the table is treated as if every unset attribute were computed: never a wrong null.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

TABLES = ("provider_schema_aws.json", "provider_schema_cloudflare.json")

REQUIRED, OPTIONAL, COMPUTED, OPTIONAL_COMPUTED, BLOCK = "r", "o", "c", "oc", "block"


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, Any]]:
    merged: dict[str, dict[str, Any]] = {"resource": {}, "data": {}}
    for name in TABLES:
        document = json.loads((Path(__file__).parent / name).read_text(encoding="utf-8"))
        for kind in merged:
            merged[kind].update(document.get(kind, {}))
    return merged


@dataclass(frozen=True)
class BlockSchema:
    """One block (a resource, a data source, or a nested block / nested attribute of one)."""

    raw: dict[str, Any]

    def mode(self, name: str) -> str | None:
        """The attribute's mode, BLOCK for a nested block, None when the schema has no such name."""
        attribute = self.raw.get("attributes", {}).get(name)
        if isinstance(attribute, str):
            return attribute.split(" ", 1)[0]
        if isinstance(attribute, dict):
            return str(attribute.get("mode", OPTIONAL))
        if name in self.raw.get("blocks", {}):
            return BLOCK
        return None

    def nested(self, name: str) -> BlockSchema | None:
        """The schema inside a nested block or a nested attribute."""
        inner = self.raw.get("blocks", {}).get(name)
        if inner is None:
            attribute = self.raw.get("attributes", {}).get(name)
            inner = attribute if isinstance(attribute, dict) else None
        return BlockSchema(inner) if inner is not None else None

    def is_block(self, name: str) -> bool:
        return name in self.raw.get("blocks", {})

    @property
    def single(self) -> bool:
        """A nested block written once and referred to without an index (nesting single/group)."""
        return self.raw.get("nesting") in ("single", "group")

    def derived(self, name: str) -> str | None:
        """For an unset computed attribute: the argument path whose value it takes, if the provider
        documents one (data "cloudflare_zone" v5: `name` is the zone found by `filter.name`)."""
        value = self.raw.get("derived", {}).get(name)
        return value if isinstance(value, str) else None


def block_schema(rtype: str, data: bool) -> BlockSchema | None:
    raw = _tables()["data" if data else "resource"].get(rtype)
    return BlockSchema(raw) if raw is not None else None


def modelled_types() -> dict[str, tuple[str, ...]]:
    """The resource and data source types the table covers (for tests and the generator's check)."""
    tables = _tables()
    return {kind: tuple(sorted(tables[kind])) for kind in tables}
