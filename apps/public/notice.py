"""举报须知: what the reporter reads (at least 15 seconds) before reporting. One text for the web
page and the mini-program (public_catalogs), so both channels say the same thing."""

from apps.catalogs.models import Industry

TITLE = "举报须知"

SECTIONS = [
    ("受理范围", [
        "本系统受理社会公众和企业员工对生产经营单位安全生产违法行为的举报，包括：涉嫌存在重大事故隐患、"
        "涉嫌存在安全生产违法行为、涉嫌瞒报谎报生产安全事故等。",
        "举报按照“属地管理、分级负责”的原则，由举报事项所在地的应急管理部门受理和核查，"
        "请准确选择事项所在的省、市、县（区）。",
    ]),
    ("不予受理的情形", [
        "同一举报事项已经受理、正在办理或已经办结，且未提供新的有效证据线索的；",
        "没有明确的被举报单位、地址或具体违法事实，无法核查的；",
        "意见建议、政府信息公开申请、行政复议，以及已经或依法应当通过诉讼、仲裁解决的事项；",
        "属于其他部门职责的事项（见下方“请向以下部门举报”）。",
    ]),
    ("举报人的权利", [
        "可以选择匿名举报或实名举报。实名举报需要填写姓名和手机号码，便于核实情况和发放举报奖励；"
        "匿名举报不需要填写任何个人信息。",
        "提交后会生成一个举报编码，只显示一次，请抄写或截图保存。凭举报编码可随时查询办理进度；"
        "需要补充材料时，也可在查询页面补充。",
        "举报应当实事求是，不得捏造、歪曲事实，不得诬告陷害他人。",
    ]),
    ("保密承诺", [
        "举报人的姓名、手机号码、身份证号码加密保存，只有举报经办人员可以查看，不会告知被举报单位或其他人员。",
        "系统不记录举报人的网络地址和设备信息。上传的照片会去除拍摄地点（GPS）、设备型号等信息，"
        "文档会去除作者等信息；使用“定位”时，位置只用于确定所在县区，不会保存。",
    ]),
    ("举报奖励", [
        "根据《安全生产领域举报奖励办法》，举报经核查属实的，按规定给予奖励：",
        "举报重大事故隐患、安全生产违法行为的，按行政处罚金额的15%计算，最低3000元，最高不超过30万元；",
        "举报瞒报、谎报生产安全事故的，按查实的死亡人数给予每人3万元至6万元奖励，最高不超过30万元。",
        "匿名举报人需要领取奖励的，请凭举报编码与办理单位联系。",
    ]),
]

OTHER_CHANNELS = [
    ("意见建议、咨询投诉", "12345 政务服务便民热线"),
    ("政府信息公开", "向相关行政机关提出政府信息公开申请"),
    ("行政复议", "向行政复议机关提出申请"),
    ("诉讼、仲裁事项", "向人民法院或仲裁机构提出"),
]


def referral_departments() -> list[tuple[str, str]]:
    """Industries other departments regulate, with where to report them (from the 行业 catalog)."""
    return list(
        Industry.objects.filter(is_active=True, in_remit=False).order_by("sort_order", "code")
        .values_list("name", "competent_department")
    )


def notice_data() -> dict:
    return {
        "title": TITLE,
        "sections": [{"heading": heading, "paragraphs": paragraphs} for heading, paragraphs in SECTIONS],
        "other_departments": [{"matter": m, "where": w} for m, w in referral_departments()],
        "other_channels": [{"matter": m, "where": w} for m, w in OTHER_CHANNELS],
    }
