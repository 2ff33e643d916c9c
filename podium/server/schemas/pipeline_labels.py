"""Pipeline labels: ``staging`` / ``production`` on one version of a pipeline name.

A label is unique per pipeline name in a workspace: putting it on a version moves it there.
"""

from __future__ import annotations

from typing import Any, Literal

Label = Literal["staging", "production"]


def label_names(value: Any) -> list[str]:
    """Labels as names, ``staging`` before ``production``: from names or label rows."""
    names = [str(getattr(item, "label", item)) for item in value or []]
    return sorted(names, reverse=True)
