"""The catalogs as the ministry publishes them. Used by the data migration and by tests; the
ministry's system administrator edits them afterwards."""

PROBLEM_TYPES = [
    # (code, name, reward basis)
    ("concealed_accident", "涉嫌瞒报谎报生产安全事故", "concealed_deaths"),
    ("major_hazard", "涉嫌存在重大事故隐患", "fine"),
    ("illegal_act", "涉嫌存在安全生产违法行为", "fine"),
    ("other", "其他", "none"),
]

INDUSTRIES_IN_REMIT = [
    ("coal_mine", "煤矿"),
    ("metal_mine", "金属与非金属矿山(含尾矿库)"),
    ("chemical", "化工(含石油化工)"),
    ("pharma", "医药"),
    ("hazchem", "危险化学品"),
    ("fireworks", "烟花爆竹"),
    ("oil_extraction", "石油开采"),
    ("metallurgy", "冶金"),
    ("nonferrous", "有色"),
    ("building_materials", "建材"),
    ("machinery", "机械"),
    ("light_industry", "轻工"),
    ("textile", "纺织"),
    ("tobacco", "烟草"),
    ("commerce", "商贸"),
    ("other", "其他"),
]

# Industries other departments regulate: reports are referred (移送) to them.
INDUSTRIES_REFERRED = [
    ("road_traffic", "道路交通", "公安机关交通管理部门"),
    ("construction", "建筑施工", "住房和城乡建设主管部门"),
    ("town_gas", "城镇燃气", "城镇燃气主管部门（住房和城乡建设）"),
    ("water_transport", "水上运输", "交通运输主管部门（海事管理机构）"),
    ("fishing_vessels", "渔业船舶", "农业农村（渔业）主管部门"),
    ("civil_aviation", "民航", "民用航空管理部门"),
    ("railway", "铁路", "铁路监督管理部门"),
    ("civil_explosives", "民用爆炸物品", "工业和信息化主管部门（民用爆炸物品）"),
    ("power_energy", "电力能源", "能源监管部门"),
    ("pollution", "污染防治", "生态环境主管部门"),
]

CHANNELS = [
    # (code, name, submitted by the public themselves)
    ("web", "网络(官网)", True),
    ("miniprogram", "小程序", True),
    ("phone", "电话", False),
    ("hotline_12350", "12350", False),
    ("letter", "信件", False),
    ("visit", "来访", False),
    ("fax", "传真", False),
    ("email", "电子邮件", False),
    ("backfill", "其他渠道补录", False),
]


def seed_catalogs(problem_type_model, industry_model, channel_model) -> None:
    """Idempotent: creates what is missing, never overwrites an administrator's edits."""
    for order, (code, name, basis) in enumerate(PROBLEM_TYPES):
        problem_type_model.objects.get_or_create(
            code=code, defaults={"name": name, "reward_basis": basis, "sort_order": order}
        )
    for order, (code, name) in enumerate(INDUSTRIES_IN_REMIT):
        industry_model.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    offset = len(INDUSTRIES_IN_REMIT)
    for order, (code, name, department) in enumerate(INDUSTRIES_REFERRED, start=offset):
        industry_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "in_remit": False,
                "competent_department": department,
                "sort_order": order,
            },
        )
    for order, (code, name, public) in enumerate(CHANNELS):
        channel_model.objects.get_or_create(
            code=code, defaults={"name": name, "is_public": public, "sort_order": order}
        )
