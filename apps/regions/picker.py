"""The cascading province → city → county selects, drawn by the server and enhanced by
static/js/region-picker.js. Shared by the public report form and the staff 新建举报 form.

The server fills each select down to the chosen region, so a page without JavaScript still works
(each submit opens the next level) and a re-shown form keeps the choice. A `RegionScope` limits
the choices to a jurisdiction: above it the only way down is forced (one locked option per level),
inside it every served child is offered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from apps.regions.models import Region
from apps.regions.selectors import region_by_code

REGION_LEVELS = [
    ("province", "省（自治区、直辖市）"),
    ("city", "市（地区、州、盟）"),
    ("county", "县（市、区、旗）"),
]


@dataclass(frozen=True)
class RegionScope:
    """A jurisdiction as the roots of region subtrees; no roots means the whole (served) country."""

    roots: tuple[tuple[str, str], ...] = ()  # (code, path) of each root

    @classmethod
    def of(cls, regions: Iterable[Region]) -> RegionScope:
        return cls(tuple(sorted({(r.code, r.path) for r in regions})))

    @property
    def is_nation(self) -> bool:
        return not self.roots

    @property
    def root_codes(self) -> frozenset[str]:
        return frozenset(code for code, _ in self.roots)

    @property
    def ancestor_codes(self) -> frozenset[str]:
        """Every region on the way down to a root, the roots included: the forced choices."""
        return frozenset(c for _, path in self.roots for c in path.split("/") if c)

    def allows(self, region: Region) -> bool:
        return self.is_nation or any(region.path.startswith(path) for _, path in self.roots)

    def regions(self) -> QuerySet[Region]:
        """Served regions inside the scope (one indexed prefix match per root)."""
        qs = Region.objects.filter(is_served=True)
        if self.is_nation:
            return qs
        match = Q()
        for _, path in self.roots:
            match |= Q(path__startswith=path)
        return qs.filter(match)

    def leaves(self) -> QuerySet[Region]:
        """Where a report can be located: served regions without children inside the scope."""
        return self.regions().exclude(Exists(Region.objects.filter(parent=OuterRef("pk"))))


NATION = RegionScope()


def region_selects(code: str | None, scope: RegionScope = NATION) -> list[dict]:
    """The three selects, filled down to `code` (a choice outside `scope` is dropped).

    Each is {"level", "label", "options": [{"code", "name", "is_served"}], "selected", "locked",
    "parent"} ("parent": the code chosen one level up, "" when none).
    "locked" marks a level the scope forces (a 郑州市 user's province is 河南省): it has one option
    and no empty choice, so the value is posted like any other.
    """
    region = region_by_code(code) if code else None
    chosen = [c for c in region.path.split("/") if c] if region else []
    selects = []
    parent: str | None = None
    inside = scope.is_nation
    for depth, (level, label) in enumerate(REGION_LEVELS):
        options: list[dict] = []
        selected, locked = "", False
        if depth == 0 or parent:
            rows = _children(parent)
            options = [r for r in rows if r["is_served"] and (inside or r["code"] in scope.ancestor_codes)]
            codes = {o["code"] for o in options}
            if not inside and len(options) == 1:
                selected, locked = options[0]["code"], True
            elif depth < len(chosen) and chosen[depth] in codes:
                selected = chosen[depth]
        selects.append(
            {
                "level": level,
                "label": label,
                "options": options,
                "selected": selected,
                "locked": locked,
                "parent": parent or "",
            }
        )
        parent = selected or None
        inside = inside or selected in scope.root_codes
    return selects


def _children(parent_code: str | None) -> list[dict]:
    # By the parent's code, joined: one query per level whether or not the parent row is at hand.
    qs = Region.objects.filter(parent__code=parent_code) if parent_code else Region.objects.filter(
        parent__isnull=True
    )
    return list(qs.order_by("code").values("code", "name", "is_served"))


def deepest_region(data: Mapping, name: str = "region") -> str:
    """The deepest non-empty of the posted `<name>_province/_city/_county` selects, else `<name>`
    itself (the hidden field the script keeps in step, API-style posts)."""
    for level, _ in reversed(REGION_LEVELS):
        value = (data.get(f"{name}_{level}") or "").strip()
        if value:
            return value
    return (data.get(name) or "").strip()
