from django.db import models


class CatalogEntry(models.Model):
    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=64, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ProblemType(CatalogEntry):
    """问题类型. `reward_basis` selects the reward rule of 《安全生产领域举报奖励办法》."""

    class RewardBasis(models.TextChoices):
        FINE = "fine", "按罚没款比例"
        CONCEALED_DEATHS = "concealed_deaths", "按瞒报死亡人数"
        NONE = "none", "无"

    reward_basis = models.CharField(
        "奖励计算依据", max_length=20, choices=RewardBasis.choices, default=RewardBasis.NONE
    )

    class Meta(CatalogEntry.Meta):
        verbose_name = "问题类型"
        verbose_name_plural = verbose_name


class Industry(CatalogEntry):
    """行业. Industries outside the emergency-management remit are referred (移送) to
    `competent_department` instead of being handled."""

    in_remit = models.BooleanField("属应急管理部门职责", default=True)
    competent_department = models.CharField("移送部门", max_length=64, blank=True)

    class Meta(CatalogEntry.Meta):
        verbose_name = "行业"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                condition=models.Q(in_remit=True) | ~models.Q(competent_department=""),
                name="industry_referral_names_department",
                violation_error_message="不属应急管理部门职责的行业必须填写移送部门。",
            )
        ]


class Channel(CatalogEntry):
    """举报形式. `public` channels are the ones the public submits through themselves."""

    is_public = models.BooleanField("公众自助渠道", default=False)

    class Meta(CatalogEntry.Meta):
        verbose_name = "举报形式"
        verbose_name_plural = verbose_name
