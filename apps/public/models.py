"""Routing rules (分办规则): where a new public report goes when the 属地 bureau is not right.

By default a report goes to the 应急管理局 of the county the reporter picked (属地管理、分级负责),
and a report about an industry outside the emergency-management remit is flagged for 移送. An
administrator adds rules for the exceptions, e.g. 煤矿 → the province's 矿山安全监察 org.
"""

from django.db import models
from django.db.models import Q

from apps.catalogs.models import Industry, ProblemType
from apps.orgs.models import Org
from apps.regions.models import Region


class RoutingRule(models.Model):
    class Target(models.TextChoices):
        LOCAL = "local", "属地应急管理部门"
        ORG = "org", "指定机构"
        PROVINCE_MINE_SAFETY = "province_mine_safety", "所在省的矿山安全监察机构"

    name = models.CharField("规则名称", max_length=100)
    # Criteria: every one that is set must match; an empty one matches anything.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="适用地区（含下级）")
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="行业")
    problem_type = models.ForeignKey(ProblemType, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="问题类型")
    target = models.CharField("转至", max_length=24, choices=Target.choices, default=Target.LOCAL)
    target_org = models.ForeignKey(Org, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="指定机构", help_text="“转至”选择“指定机构”时填写。")
    refer = models.BooleanField("标记为建议移送", default=False,
                                help_text="举报事项属于其他部门职责时勾选：接收单位受理前会看到移送提示。")
    priority = models.PositiveSmallIntegerField("优先级", default=100, help_text="数字小的规则优先匹配。")
    is_active = models.BooleanField("启用", default=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "分办规则"
        verbose_name_plural = verbose_name
        ordering = ["priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False) | Q(industry__isnull=False) | Q(problem_type__isnull=False),
                name="routing_rule_has_a_criterion",
                violation_error_message="请至少选择地区、行业或问题类型中的一项作为匹配条件。",
            ),
            models.CheckConstraint(
                condition=~Q(target="org") | Q(target_org__isnull=False),
                name="routing_rule_org_target_names_org",
                violation_error_message="“转至”为“指定机构”时必须选择机构。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def specificity(self) -> int:
        return sum(x is not None for x in (self.region_id, self.industry_id, self.problem_type_id))

    def matches(self, *, region: Region, industry: Industry, problem_type: ProblemType) -> bool:
        if self.region_id is not None and not region.path.startswith(self.region.path):
            return False
        if self.industry_id is not None and self.industry_id != industry.pk:
            return False
        return self.problem_type_id is None or self.problem_type_id == problem_type.pk
