"""热词: jieba tokenisation of report descriptions, without the words every report contains."""

from __future__ import annotations

import logging
import re
from collections import Counter

# Function words, and words nearly every safety report uses (they would top every list and say
# nothing about what people report this month).
STOP_WORDS = frozenset(
    """
举报 举报人 反映 情况 问题 相关 有关 存在 没有 进行 要求 希望 请求 恳请 请 领导 部门 政府 有关部门 相关部门
单位 公司 有限公司 有限责任公司 集团 企业 工厂 厂区 老板 负责人 人员 工人 员工 我们 他们 你们 自己 本人 大家
这个 那个 这些 那些 这里 那里 这样 那样 什么 怎么 如何 为什么 因为 所以 但是 而且 并且 或者 还是 如果 虽然
已经 目前 现在 一直 一些 一个 一次 多次 经常 长期 非常 十分 比较 特别 严重 可能 可以 需要 应该 是否 以及 对于
其中 导致 造成 发现 看到 知道 得到 进入 出现 发生 没有 不是 就是 还有 同时 之后 以后 之前 以前 期间 当时
安全 生产 安全生产 隐患 事故 违法 行为 涉嫌 管理 检查 监管 处理 调查 核实 落实 整改 执法 举报信 来信 来电
年 月 日 号 时 分 天 元 万元 多 个 名 家 处 等 及 和 与 或 在 对 把 被 让 给 向 从 到 于 由 将 为 以 之 其 该
设置 使用 安装 提供 造成 称 说 据悉 目前为止
""".split()
)

# Terms of the trade jieba's general dictionary cuts in the wrong place ("储罐区未设置" became
# 储罐/区未/设置).
DOMAIN_WORDS = (
    "储罐区",
    "可燃气体",
    "危险化学品",
    "有限空间",
    "动火作业",
    "特种作业",
    "安全出口",
    "消防设施",
    "尾矿库",
    "烟花爆竹",
    "应急预案",
    "粉尘涉爆",
    "除尘设施",
    "报警装置",
    "劳动防护用品",
    "脚手架",
    "液氨",
    "瞒报",
)
_WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,}$")
_ready = False


def _jieba():
    global _ready
    import jieba

    if not _ready:
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        for word in DOMAIN_WORDS:
            jieba.add_word(word)
        _ready = True
    return jieba


def words_of(text: str) -> set[str]:
    return {w for w in _jieba().lcut(text or "") if _WORD.match(w) and w not in STOP_WORDS}


def top_words(texts, limit: int) -> list[tuple[str, int]]:
    """[(word, number of texts containing it)], most frequent first, ties by the word."""
    counter: Counter[str] = Counter()
    for text in texts:
        counter.update(words_of(text))
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
