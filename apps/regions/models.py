from django.db import models


class Region(models.Model):
    """A province, city or county (GB/T 2260). The tree is kept as a materialised path of codes,
    e.g. "410000/410100/410105/", so subtree queries are one indexed prefix match."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"

    code = models.CharField("区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=40, db_index=True)
    depth = models.PositiveSmallIntegerField("深度")
    # 香港、澳门、台湾 are drawn on the map but reports there are not handled by this system.
    is_served = models.BooleanField("受理举报", default=True)
    center_lng = models.FloatField("中心经度", null=True, blank=True)
    center_lat = models.FloatField("中心纬度", null=True, blank=True)
    # Simplified outline as GeoJSON geometry text, drawn on the parent's map.
    geometry = models.TextField("简化边界", blank=True, default="")

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = verbose_name
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"], name="region_parent_code")]

    def __str__(self) -> str:
        return self.name

    def full_name(self) -> str:
        names = []
        node = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class MapOverlay(models.Model):
    """Features drawn on a region's map that are not regions themselves: the national boundary
    lines (境界线) and 南海诸岛. Keyed by the code of the map they belong to ("100000" = nation)."""

    map_code = models.CharField("地图", max_length=6, db_index=True)
    name = models.CharField("名称", max_length=64)
    geometry = models.TextField("几何")

    class Meta:
        verbose_name = "地图附加要素"
        verbose_name_plural = verbose_name
        ordering = ["map_code", "name"]
        # The loader upserts overlays by (map, name).
        constraints = [
            models.UniqueConstraint(fields=["map_code", "name"], name="mapoverlay_unique_map_name"),
        ]

    def __str__(self) -> str:
        return f"{self.map_code} {self.name}"
