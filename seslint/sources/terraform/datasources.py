"""Pure data sources rendered as the provider computes them at plan time, from configuration alone.

data "aws_region" without arguments is the region of its provider configuration. The others of this
kind (aws_caller_identity, aws_partition) depend on the credentials: they stay symbolic references.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from seslint.model import Ref

if TYPE_CHECKING:
    from seslint.sources.terraform.resources import ResourceObject


def _region(instance: ResourceObject) -> Any:
    """The provider's region when the configuration sets it; else still the provider's region, known
    by reference (an MX built from it follows the identity's region, whatever that is)."""
    region = instance.region() if instance.region is not None else None
    return region if isinstance(region, str) else Ref(instance.address, "name")


_RENDERED: dict[tuple[str, str], Callable[[ResourceObject], Any]] = {
    # `name` (5.x) and `region` (6.x) are the provider's region when not set; so is the id.
    ("aws_region", "name"): _region,
    ("aws_region", "region"): _region,
    ("aws_region", "id"): _region,
}


def rendered(rtype: str, data: bool, name: str) -> Callable[[ResourceObject], Any] | None:
    return _RENDERED.get((rtype, name)) if data else None
