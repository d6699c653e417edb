from django.db import models, transaction

from apps.catalogs.models import Industry
from apps.orgs.lookups import PathPrefix
from apps.regions.models import Region


class OrgQuerySet(models.QuerySet):
    def subtree_of(self, org: "Org") -> "OrgQuerySet":
        """The org and everything below it: one indexed prefix match on the path (see lookups.py
        for why this is not `startswith`)."""
        return self.filter(path__prefix=org.path)

    def active(self) -> "OrgQuerySet":
        return self.filter(is_active=True)


class Org(models.Model):
    """An organisation in the tree: 应急管理部 and its 司局, 国家矿山安全监察局, provincial 厅,
    city and county 局, functional zones and every org's 内设机构.

    `path` is a materialised path of zero-padded ids ("00000001/00000007/"), so ancestors and
    descendants are indexed prefix queries, never recursive Python.
    """

    class Level(models.TextChoices):
        MINISTRY = "ministry", "部级"
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"

    class Kind(models.TextChoices):
        EMERGENCY = "emergency", "应急管理部门"
        BUREAU = "bureau", "部机关司局"
        MINE_SAFETY = "mine_safety", "矿山安全监察机构"
        ZONE = "zone", "功能区"
        INTERNAL = "internal", "内设机构"

    code = models.CharField("机构代码", max_length=32, unique=True)
    name = models.CharField("机构名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("深度", editable=False, default=0)
    # The region whose subtree this org covers; zones list theirs in `extra_regions`.
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="orgs")
    extra_regions = models.ManyToManyField(Region, blank=True, related_name="zone_orgs", verbose_name="辖区")
    # 部机关司局 see only reports of their industries.
    industry_scope = models.ManyToManyField(Industry, blank=True, verbose_name="行业范围")
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = verbose_name
        ordering = ["path"]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' in any collation.
            models.Index(fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["region", "kind"], name="org_region_kind"),
        ]
        constraints = [
            # Handling is dispatched to a 内设机构 picked by name; two with one name would be a trap.
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=models.Q(kind="internal"),
                name="org_internal_name_unique_per_parent",
                violation_error_message="该机构下已有同名内设机构。",
            )
        ]

    def __str__(self) -> str:
        return self.name

    SEGMENT = 8

    def save(self, *args, **kwargs):
        if self.pk is None:
            with transaction.atomic():
                self.path = f"tmp-{id(self)}"
                self.depth = 0 if self.parent is None else self.parent.depth + 1
                super().save(*args, **kwargs)
                self.path = self._path_for(self.parent, self.pk)
                super().save(update_fields=["path", "depth"])
            return
        super().save(*args, **kwargs)

    @classmethod
    def _path_for(cls, parent: "Org | None", pk: int) -> str:
        return (parent.path if parent else "") + f"{pk:0{cls.SEGMENT}d}/"

    def ancestor_paths(self) -> list[str]:
        parts = self.path.split("/")[:-1]
        return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]

    def ancestors(self, include_self: bool = False) -> OrgQuerySet:
        paths = self.ancestor_paths()
        if not include_self:
            paths = paths[:-1]
        return Org.objects.filter(path__in=paths).order_by("depth")

    def descendants(self, include_self: bool = True) -> OrgQuerySet:
        qs = Org.objects.subtree_of(self)
        return qs if include_self else qs.exclude(pk=self.pk)

    def is_within(self, other: "Org") -> bool:
        """True when self is `other` or below it."""
        return self.path.startswith(other.path)

    @property
    def is_internal(self) -> bool:
        return self.kind == self.Kind.INTERNAL

    def owning_org(self) -> "Org":
        """For a 内设机构, the org it belongs to; otherwise itself."""
        node = self
        while node.kind == self.Kind.INTERNAL and node.parent is not None:
            node = node.parent
        return node


Org._meta.get_field("path").register_lookup(PathPrefix)
