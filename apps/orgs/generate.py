"""Generating the national org tree from `tree_data` and the region table.

Generation only ever creates: an org that already exists (same code, or same kind and region)
is left exactly as it is (code, name, parent, activity, scopes), because after the first run the
tree belongs to the administrators who rename, recode, deactivate and move orgs in 机构管理.
Running it again after the region table grows creates the orgs of the new regions. Retire a
generated org by deactivating it, not deleting it, or the next run brings it back.

About 3,300 orgs are written level by level with bulk inserts: `Org.save()` writes each row
twice (the path needs the primary key), which would take minutes.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from apps.catalogs.models import Industry
from apps.orgs import tree_data as data
from apps.orgs.models import Org
from apps.regions.models import Region

BATCH = 500


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    kind: str
    level: str
    parent_code: str | None
    region_id: int | None = None
    extra_region_ids: tuple[int, ...] = ()
    industry_codes: tuple[str, ...] = ()


@dataclass
class GenerateResult:
    created: int = 0
    existing: int = 0
    created_by_kind: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Region:
    id: int
    code: str
    name: str
    level: str
    parent_code: str | None
    depth: int
    is_served: bool


def _load_regions() -> list[_Region]:
    rows = Region.objects.values_list("id", "code", "name", "level", "parent__code", "depth", "is_served")
    return sorted((_Region(*row) for row in rows), key=lambda r: (r.depth, r.code))


def _industry_codes(scope) -> tuple[str, ...]:
    if scope == data.ALL_IN_REMIT:
        in_remit = Industry.objects.filter(in_remit=True).order_by("sort_order")
        return tuple(in_remit.values_list("code", flat=True))
    return tuple(scope)


def build_specs(regions: list[_Region]) -> list[OrgSpec]:
    """Every org the tree should have, parents before children."""
    specs = [OrgSpec(data.MINISTRY_CODE, "应急管理部", Org.Kind.EMERGENCY, Org.Level.MINISTRY, None)]
    specs += [
        OrgSpec(f"MEM-{slug}", name, Org.Kind.BUREAU, Org.Level.MINISTRY, data.MINISTRY_CODE,
                industry_codes=_industry_codes(scope))
        for slug, name, scope in data.MINISTRY_DEPARTMENTS
    ]
    specs.append(OrgSpec(data.MINE_CODE, "国家矿山安全监察局", Org.Kind.MINE_SAFETY, Org.Level.MINISTRY,
                         data.MINISTRY_CODE, industry_codes=data.MINE_INDUSTRIES))

    by_code = {r.code: r for r in regions}
    # A region is served only when its whole chain is: 香港's districts are not, whatever
    # their own flag says. `regions` is sorted by depth, so parents are decided first.
    served: set[str] = set()
    for r in regions:
        if r.is_served and (r.parent_code is None or r.parent_code in served):
            served.add(r.code)
    provinces = [r for r in regions if r.parent_code is None and r.code in served]

    for province in provinces:
        if province.code in data.MINE_PROVINCES:
            short = data.province_short_name(province.code, province.name)
            specs.append(OrgSpec(f"MINE-{province.code}", f"国家矿山安全监察局{short}局",
                                 Org.Kind.MINE_SAFETY, Org.Level.PROVINCE, data.MINE_CODE,
                                 region_id=province.id, industry_codes=data.MINE_INDUSTRIES))
    xpcc_regions = [r for r in regions if r.code.startswith(data.XPCC_REGION_PREFIX) and r.code in served]
    specs.append(OrgSpec(data.XPCC_CODE, data.XPCC_NAME, Org.Kind.EMERGENCY, Org.Level.PROVINCE,
                         data.MINISTRY_CODE, extra_region_ids=tuple(r.id for r in xpcc_regions)))

    # responsible[region code] = code of the org that handles that region and parents the
    # bureaus of the regions below it.
    responsible: dict[str, str] = {}
    for province in provinces:
        code = f"EM{province.code}"
        name = data.province_bureau_name(province.code, province.name)
        specs.append(OrgSpec(code, name, Org.Kind.EMERGENCY, Org.Level.PROVINCE, data.MINISTRY_CODE,
                             region_id=province.id))
        responsible[province.code] = code

    zone_of_region: dict[str, str] = {}
    for zone in data.ZONES:
        if zone.parent_code not in {s.code for s in specs}:
            continue  # its province is not in the region table (small test trees)
        covered = [by_code[c] for c in zone.region_codes if c in by_code and c in served]
        specs.append(OrgSpec(zone.code, zone.name, Org.Kind.ZONE, zone.level, zone.parent_code,
                             region_id=covered[0].id if covered else None,
                             extra_region_ids=tuple(r.id for r in covered)))
        zone_of_region.update((r.code, zone.code) for r in covered)

    # Regions under another org's jurisdiction than their parent region's (兵团 cities).
    holder_of_region = {r.code: data.XPCC_CODE for r in xpcc_regions}
    for region in regions:
        if region.parent_code is None or region.code not in served or region.parent_code not in responsible:
            continue
        if region.code in zone_of_region:
            responsible[region.code] = zone_of_region[region.code]
            continue
        if region.code in data.NO_BUREAU_REGIONS:
            responsible[region.code] = responsible[region.parent_code]
            continue
        code = f"EM{region.code}"
        parent = holder_of_region.get(region.code, responsible[region.parent_code])
        specs.append(OrgSpec(code, f"{region.name}应急管理局", Org.Kind.EMERGENCY, region.level, parent,
                             region_id=region.id))
        responsible[region.code] = code
    return specs


def org_tree_generate() -> GenerateResult:
    """Create every org of the national tree that does not exist yet."""
    specs = build_specs(_load_regions())
    result = GenerateResult()
    with transaction.atomic():
        known = _existing(specs)
        missing = [s for s in specs if s.code not in known]
        result.existing = len(specs) - len(missing)

        # Group by depth so each group's parents already have their final paths.
        depth_of = {code: depth for code, (_, _, depth) in known.items()}
        by_depth: dict[int, list[OrgSpec]] = defaultdict(list)
        for spec in missing:
            depth = 0 if spec.parent_code is None else depth_of[spec.parent_code] + 1
            depth_of[spec.code] = depth
            by_depth[depth].append(spec)

        created: list[tuple[Org, OrgSpec]] = []
        for depth in sorted(by_depth):
            group = by_depth[depth]
            objs = [
                Org(code=s.code, name=s.name, kind=s.kind, level=s.level, region_id=s.region_id, depth=depth,
                    parent_id=known[s.parent_code][0] if s.parent_code else None,
                    # Unique placeholder until the pk is known; real paths start with a digit.
                    path=f"~{s.code}")
                for s in group
            ]
            Org.objects.bulk_create(objs, batch_size=BATCH)
            if any(obj.pk is None for obj in objs):  # backends that do not return primary keys
                pks = dict(Org.objects.filter(code__in=[s.code for s in group]).values_list("code", "pk"))
                for obj in objs:
                    obj.pk = obj.id = pks[obj.code]
            for obj, spec in zip(objs, group, strict=True):
                parent_path = known[spec.parent_code][1] if spec.parent_code else ""
                obj.path = f"{parent_path}{obj.pk:0{Org.SEGMENT}d}/"
                known[spec.code] = (obj.pk, obj.path, depth)
                created.append((obj, spec))
            Org.objects.bulk_update(objs, ["path"], batch_size=BATCH)

        _add_m2m(created)
    result.created = len(created)
    for obj, _ in created:
        result.created_by_kind[obj.kind] = result.created_by_kind.get(obj.kind, 0) + 1
    return result


def _existing(specs: list[OrgSpec]) -> dict[str, tuple[int, str, int]]:
    """(pk, path, depth) of the existing org for each spec code. An org is found by its code or,
    for orgs that cover a region, by kind and region: 机构管理 lets administrators change codes,
    and a bureau whose code was changed must not be generated a second time."""
    by_code: dict[str, tuple[int, str, int]] = {}
    by_region: dict[tuple[str, int], tuple[int, str, int]] = {}
    for pk, code, kind, region_id, path, depth in Org.objects.order_by("pk").values_list(
        "pk", "code", "kind", "region_id", "path", "depth"
    ):
        by_code[code] = (pk, path, depth)
        if region_id is not None:
            by_region.setdefault((kind, region_id), (pk, path, depth))
    known = {}
    for spec in specs:
        hit = by_code.get(spec.code)
        if hit is None and spec.region_id is not None:
            hit = by_region.get((spec.kind, spec.region_id))
        if hit:
            known[spec.code] = hit
    return known


def _add_m2m(created: list[tuple[Org, OrgSpec]]) -> None:
    industry_ids = dict(Industry.objects.values_list("code", "pk"))
    scope_model = Org.industry_scope.through
    region_model = Org.extra_regions.through
    scope_model.objects.bulk_create(
        [scope_model(org_id=obj.pk, industry_id=industry_ids[code])
         for obj, spec in created for code in spec.industry_codes if code in industry_ids],
        batch_size=BATCH,
    )
    region_model.objects.bulk_create(
        [region_model(org_id=obj.pk, region_id=rid)
         for obj, spec in created for rid in spec.extra_region_ids],
        batch_size=BATCH,
    )


def org_tree_rebuild_paths() -> int:
    """Recompute every path and depth from the parent pointers (after a move); returns how many
    rows changed. A cycle in the parent pointers is refused rather than half-written."""
    rows = list(Org.objects.values_list("pk", "parent_id", "path", "depth"))
    children: dict[int | None, list[int]] = defaultdict(list)
    current = {}
    for pk, parent_id, path, depth in rows:
        children[parent_id].append(pk)
        current[pk] = (path, depth)

    computed: dict[int, tuple[str, int]] = {}
    stack = [(pk, "", 0) for pk in children[None]]
    while stack:
        pk, parent_path, depth = stack.pop()
        path = f"{parent_path}{pk:0{Org.SEGMENT}d}/"
        computed[pk] = (path, depth)
        stack.extend((child, path, depth + 1) for child in children[pk])
    if len(computed) != len(rows):
        raise ValueError("机构树存在循环引用，无法重建路径 / the org parent pointers contain a cycle")

    changed = [Org(pk=pk, path=path, depth=depth) for pk, (path, depth) in computed.items()
               if current[pk] != (path, depth)]
    # Each path ends in its own pk, so a new path can never equal another row's old one and
    # the unique index holds at every step of the update.
    with transaction.atomic():
        Org.objects.bulk_update(changed, ["path", "depth"], batch_size=BATCH)
    return len(changed)
