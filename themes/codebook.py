"""The codebook: themes with an id, a name and a description; YAML in and out; merge, split, retire.

The YAML format is the one analysts already use::

    themes:
      - id: housing
        name: Housing
        description: "Homes and accommodation: ... Not for foster placements (placement_stability)."

A retired theme stays in the codebook (``retired: true``, and ``merged_into`` when it was merged)
so that old codings still resolve; suggestions and exports of the active codebook leave it out.
Every operation returns a new codebook: nothing is changed in place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_NAME = 120
MAX_DESCRIPTION = 2000


class CodebookError(ValueError):
    """The codebook or an edit to it is not valid; the message says what to fix."""


@dataclass(frozen=True)
class Theme:
    """One theme. ``description`` says what belongs and, after "Not for", what does not."""

    id: str
    name: str
    description: str = ""
    retired: bool = False
    merged_into: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "description": self.description}
        if self.retired:
            out["retired"] = True
        if self.merged_into:
            out["merged_into"] = self.merged_into
        return out


@dataclass(frozen=True)
class Codebook:
    """An ordered list of themes, ids unique."""

    themes: tuple[Theme, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for theme in self.themes:
            if not ID_PATTERN.match(theme.id):
                raise CodebookError(
                    f"theme id {theme.id!r} must be lower case letters, digits and _ "
                    "(starting with a letter, at most 64 characters)"
                )
            if theme.id in seen:
                raise CodebookError(f"theme id {theme.id!r} appears twice")
            if not theme.name.strip() or len(theme.name) > MAX_NAME:
                raise CodebookError(
                    f"theme {theme.id!r} needs a name of 1 to {MAX_NAME} characters"
                )
            if len(theme.description) > MAX_DESCRIPTION:
                raise CodebookError(f"theme {theme.id!r}: description over {MAX_DESCRIPTION} chars")
            seen.add(theme.id)

    @property
    def active(self) -> tuple[Theme, ...]:
        """Themes in use (not retired), in codebook order."""
        return tuple(t for t in self.themes if not t.retired)

    def ids(self) -> list[str]:
        return [t.id for t in self.active]

    def get(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise CodebookError(f"no theme {theme_id!r} in the codebook")

    def resolve(self, theme_id: str) -> str | None:
        """The active theme a (possibly merged or retired) id now stands for, or None."""
        seen: set[str] = set()
        current: str | None = theme_id
        while current is not None and current not in seen:
            seen.add(current)
            try:
                theme = self.get(current)
            except CodebookError:
                return None
            if not theme.retired:
                return theme.id
            current = theme.merged_into
        return None

    # --- edits ------------------------------------------------------------------------------
    def add(self, theme: Theme) -> Codebook:
        return Codebook((*self.themes, theme))

    def edit(
        self, theme_id: str, *, name: str | None = None, description: str | None = None
    ) -> Codebook:
        old = self.get(theme_id)
        new = replace(
            old,
            name=old.name if name is None else name.strip(),
            description=old.description if description is None else description.strip(),
        )
        return Codebook(tuple(new if t.id == theme_id else t for t in self.themes))

    def retire(self, theme_id: str, *, merged_into: str | None = None) -> Codebook:
        old = self.get(theme_id)
        if old.retired:
            raise CodebookError(f"theme {theme_id!r} is already retired")
        new = replace(old, retired=True, merged_into=merged_into)
        return Codebook(tuple(new if t.id == theme_id else t for t in self.themes))

    def merge(self, sources: Iterable[str], into: str) -> Codebook:
        """Retire each source theme, pointing it at ``into`` (which stays active)."""
        target = self.get(into)
        if target.retired:
            raise CodebookError(f"cannot merge into retired theme {into!r}")
        book = self
        for source in sources:
            if source == into:
                raise CodebookError("a theme cannot be merged into itself")
            book = book.retire(source, merged_into=into)
        return book

    def split(self, theme_id: str, parts: Iterable[Theme]) -> Codebook:
        """Retire a theme and add its parts. Its codings need a person to choose a part."""
        parts = tuple(parts)
        if len(parts) < 2:
            raise CodebookError("a split needs at least two new themes")
        return Codebook((*self.retire(theme_id).themes, *parts))


def map_labels(book: Codebook, labels: Iterable[str]) -> list[str]:
    """Old codings under the current codebook: merged ids follow their target, retired ones drop."""
    out: list[str] = []
    for label in labels:
        resolved = book.resolve(label)
        if resolved is not None and resolved not in out:
            out.append(resolved)
    return out


def from_mapping(data: Any) -> Codebook:
    """A codebook from parsed YAML or JSON ({"themes": [...]})."""
    if not isinstance(data, Mapping) or not isinstance(data.get("themes"), list):
        raise CodebookError("a codebook is a mapping with a list under 'themes'")
    themes = []
    for i, item in enumerate(data["themes"], 1):
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            raise CodebookError(f"theme {i} needs at least an 'id' and a 'name'")
        merged = item.get("merged_into")
        themes.append(
            Theme(
                id=item["id"].strip(),
                name=str(item.get("name") or "").strip(),
                description=" ".join(str(item.get("description") or "").split()),
                retired=bool(item.get("retired", False)),
                merged_into=str(merged) if merged else None,
            )
        )
    return Codebook(tuple(themes))


def load_yaml(text: str) -> Codebook:
    """Parse codebook YAML (safe loader only)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CodebookError(f"the codebook is not valid YAML: {exc}") from None
    return from_mapping(data)


def dump_yaml(book: Codebook, *, include_retired: bool = False) -> str:
    """Codebook YAML in the analysts' format; retired themes only when asked for."""
    themes = book.themes if include_retired else book.active
    header = "# Codebook for theme analysis. An answer can carry 0 to 3 themes.\n"
    body = yaml.safe_dump(
        {"themes": [t.as_dict() for t in themes]},
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return header + body
