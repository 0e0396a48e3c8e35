"""The words owners use for their trade land in the right row of the 2011 SME table (issue 9), row by row.

`industry_for` reads whole messages: the row named, else the longest listed word the message contains. So besides
"this phrase gives that row", the tests check that messages naming no trade give no row (policy words, departments,
the notice's own measure names), and that every overlap is settled by the data (a longer word), never by list order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.nlu.normalize import normalize

REFERENCE = Path(__file__).resolve().parents[1] / "policy_db" / "reference" / "sme-classification-2011.yaml"

# Row → what owners say. At least six per row, in their words.
SAID = {
    "农、林、牧、渔业": [
        "我们是搞水产养殖的，十几个人", "俺家有个养猪场", "种大棚蔬菜的", "俺们养鱼的，有二十亩鱼塘",
        "家庭农场，去年卖了六十来万", "农民专业合作社，种苗木", "开了个果园", "搞农业的", "养牛的，三十多头",
    ],
    "工业": [
        "我们是机械加工厂，八十个工人", "有限公司 做汽配的 80人", "俺们厂主要做轴承", "开了个食品厂",
        "我们是屠宰场", "做设备维修的", "生产企业，做塑料制品", "印刷厂", "我们是纺织厂，三百五十人", "厂子一百多号人",
    ],
    "建筑业": [
        "我们是装修公司", "搞建筑的，工地停了两个月", "做钢结构施工的", "家装公司，十来个师傅", "包工头，带二十来个工人",
        "做防水工程的", "市政工程", "建筑施工企业",
    ],
    "批发业": [
        "做服装批发的 8个人", "我们是贸易公司", "做外贸的，订单全取消了", "啤酒经销商", "做进出口的",
        "收废品的", "商贸公司",
    ],
    "零售业": [
        "开了个网店", "我们是开超市的", "在县城开服装店", "做电商的，在淘宝卖东西", "开蛋糕店的", "加油站",
        "五金店", "开药房的", "卖菜的，就俩人", "俺在城里开个杂货铺", "俺在镇上开了个农资门市",
    ],
    "交通运输业": [
        "我们是搬家公司", "跑运输的，有五辆车", "我们是做物流的", "开出租车的", "货代公司", "做装卸的", "客运公司",
        "做零担快运的",
    ],
    "仓储业": [
        "开冷库的", "出租仓库", "粮库", "冷藏库，员工十来个", "做冷链仓储的", "我们是储运公司",
    ],
    "邮政业": [
        "我们是快递网点", "开了个菜鸟驿站", "做快递物流的", "韵达加盟网点", "顺丰", "快递代收点",
    ],
    "住宿业": [
        "开宾馆的", "我们是民宿", "快捷酒店", "青年旅舍", "小旅馆，五个人", "招待所", "旅游饭店，一百二十人",
    ],
    "餐饮业": [
        "开饭店的", "奶茶店 俩店员", "开火锅店", "我们是酒吧", "开了个早餐店", "我们是做团餐的，承包了几个学校食堂",
        "麻辣烫", "开饭馆的",
    ],
    "信息传输业": [
        "做宽带安装的", "我们是互联网公司", "有线电视", "做网络游戏运营的", "做直播平台的", "通信基站维护",
    ],
    "软件和信息技术服务业": [
        "我们是软件公司", "做app开发的", "做小程序开发", "做网站建设的", "做系统集成的", "IT外包", "网络科技公司",
        "做游戏开发的", "做it的",
    ],
    "房地产开发经营": [
        "我们是房地产开发公司", "搞房地产开发的", "我们是开发商", "置业公司", "地产开发", "做楼盘开发", "房地产公司",
    ],
    "物业管理": [
        "我们是做写字楼物业的", "小区物业", "物业公司 员工200个", "我们是物业", "做物业管理", "园区物业", "物管公司",
    ],
    "租赁和商务服务业": [
        "开了个打印店", "图文快印", "广告公司", "做劳务派遣的", "我们是旅行社", "我们是干园区管理的", "做汽车租赁",
        "代理记账公司", "律师事务所", "保安公司", "咨询公司 资产500万 18人", "我们是合伙企业 做咨询的",
    ],
    "其他未列明行业": [
        "开理发店的", "美容院 6个美容师", "洗车店", "健身房", "培训机构 老师二十多个", "房产中介 门店三个",
        "我们运营孵化器", "汽修厂", "电脑维修", "我们是做检测的", "网吧", "婚庆公司", "驾校", "诊所", "养老院",
    ],
}

# Messages that name no trade: industry_for must not find one in them.
NO_TRADE = [
    "我们受疫情影响很大", "房租能减免吗", "一共15个人", "社保能缓缴吗", "贷款下个月到期，能续贷吗", "没裁员",
    "去年营业收入八百万", "你好", "孵化器减免房租有什么政策", "园区房租能不能减", "我们在众创空间里",
    "我想咨询一下稳岗返还", "市人力资源社会保障局电话多少", "融资租赁公司有什么要求", "我们有防疫运输车辆",
    "运输受阻，订单违约了", "门店房租能减免吗", "我们在商场里", "建筑面积两百平", "工业和信息化局在哪办",
    "农业银行的贷款能展期吗", "邮政储蓄银行能贷款吗", "开发商欠我们工程款", "去检验检测机构免费检测", "有培训补贴吗",
    "研发费用能加计扣除吗", "捐给医院的口罩能税前扣除吗", "供应商不给供货了", "房子是通过中介租的",
    "能用小程序申请吗", "市交通运输局在哪", "房地产税能减免吗",
]


# Message → the rows its trade may be, best first (industries_for). The head of a trade phrase decides, not its
# goods; a trade that fits two rows with nothing to decide gives both, for the assistant to ask.
WHOLESALE, RETAIL, INDUSTRY, REPAIR = "批发业", "零售业", "工业", "其他未列明行业"
TRADES = [
    ("酒水批发", (WHOLESALE,)), ("做酒水批发的", (WHOLESALE,)), ("饮料批发部", (WHOLESALE,)), ("粮油批发", (WHOLESALE,)),
    ("酒店用品批发", (WHOLESALE,)), ("奶茶原料批发", (WHOLESALE,)), ("装修材料批发", (WHOLESALE,)),
    ("做服装批发的", (WHOLESALE,)), ("啤酒经销商", (WHOLESALE,)),
    ("物业公司", ("物业管理",)), ("小区物业", ("物业管理",)), ("物流园物业", ("物业管理",)),
    ("做冷链的，有冷库也有冷藏车", ("交通运输业", "仓储业")), ("做冷链的，有几个冷库", ("仓储业",)),
    ("我们是做冷链运输的", ("交通运输业",)), ("做直播带货的", ("零售业", "租赁和商务服务业")),
    ("我们是做仓储物流的", ("仓储业", "交通运输业")), ("物流仓储公司", ("交通运输业", "仓储业")),
    ("俺在村里弄了个农家乐，能吃饭也能住", ("餐饮业", "住宿业")), ("我们是做酒的", (INDUSTRY, WHOLESALE)),
    ("开饭店也开旅馆", ("餐饮业", "住宿业")), ("我们是开宾馆的也有饭店", ("住宿业", "餐饮业")),
    ("我们是做写字楼物业的", ("物业管理",)),
    ("汽车维修", (REPAIR,)), ("家电维修", (REPAIR,)), ("修车铺", (REPAIR,)), ("快递车维修", (REPAIR,)),
    ("网约车维修", (REPAIR,)), ("汽车维修厂", (REPAIR,)), ("做设备维修的", (INDUSTRY,)),
    ("服装加工厂", (INDUSTRY,)), ("奶茶加工", (INDUSTRY,)), ("酒店家具制造", (INDUSTRY,)), ("餐饮设备制造", (INDUSTRY,)),
    ("加工服装卖给批发商", (INDUSTRY,)),
    ("服装零售", (RETAIL,)), ("开了个超市", (RETAIL,)), ("开了个超市，也做点批发", (RETAIL,)),
    ("开饭店的", ("餐饮业",)), ("我们饭店刚装修完", ("餐饮业",)), ("饭店在装修，没开门", ("餐饮业",)),
    ("饭店的物业费能减免吗", ("餐饮业",)), ("我们饭店也卖酒", ("餐饮业",)),
    ("货运公司", ("交通运输业",)), ("做物流运输的", ("交通运输业",)),
    ("冷链仓储", ("仓储业",)), ("电商仓储", ("仓储业",)), ("我家有几个仓库租给电商放货", ("仓储业",)),
    ("装修公司", ("建筑业",)), ("酒吧装修", ("建筑业",)), ("软件公司", ("软件和信息技术服务业",)),
    ("卖服装的", (RETAIL, WHOLESALE)), ("做服装的", (INDUSTRY, RETAIL)), ("搞装修材料的", (RETAIL, WHOLESALE)),
    ("卖酒的", (RETAIL, WHOLESALE)), ("批发零售都做", (WHOLESALE, RETAIL)), ("服装加工批发", (INDUSTRY, WHOLESALE)),
    ("卖服装的，在商场有个服装店", (RETAIL,)), ("我们受疫情影响很大", ()),
    ("又批发又零售，主要是饮料", (WHOLESALE, RETAIL)), ("批发带零售", (WHOLESALE, RETAIL)),  # joined: both rows
    ("零售也做批发也做", (RETAIL, WHOLESALE)),
    # a later clause that names the main trade decides; one that names a trade in passing does not
    ("开了个建材店，批发为主", (WHOLESALE,)), ("开了个超市，零售为主", (RETAIL,)), ("做服装的，加工是大头", (INDUSTRY,)),
]


@pytest.fixture(scope="module")
def classification(policy_store):
    return policy_store.classification_for(policy_store.default_policy)


def _longest_hits(classification, text: str) -> dict[str, str]:
    """The longest listed words the text contains, with their rows (more than one row: decided by list order)."""
    hits = [w for w in classification.synonyms if w in text]
    if not hits:
        return {}
    longest = max(len(w) for w in hits)
    return {w: classification.synonyms[w] for w in hits if len(w) == longest}


def test_the_table_covers_every_row_with_enough_phrases(classification):
    assert set(SAID) == set(classification.rows)
    assert all(len(phrases) >= 6 for phrases in SAID.values())


def test_every_row_has_at_least_twelve_words_and_no_word_names_two_rows(classification):
    counts = {row: 0 for row in classification.rows}
    for row in classification.synonyms.values():
        counts[row] += 1
    assert all(n >= 12 for n in counts.values()), counts
    listed = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))["synonyms"]
    words = [str(w) for ws in listed.values() for w in ws]
    assert len(words) == len(set(words)), sorted({w for w in words if words.count(w) > 1})
    assert set(listed) == set(classification.rows)


@pytest.mark.parametrize("row,phrase", [(row, p) for row, phrases in SAID.items() for p in phrases])
def test_what_owners_say_lands_in_its_row(classification, row, phrase):
    assert classification.industry_for(phrase) == row, _longest_hits(classification, phrase)


@pytest.mark.parametrize("phrase", [p for phrases in SAID.values() for p in phrases])
def test_overlaps_in_what_owners_say_are_settled_by_a_longer_word_not_by_list_order(classification, phrase):
    rows = set(_longest_hits(classification, phrase).values())
    assert len(rows) == 1, _longest_hits(classification, phrase)


def test_every_listed_word_said_in_a_sentence_names_its_own_row(classification):
    wrong = {}
    for word, row in classification.synonyms.items():
        said = f"我们是做{word}的"
        if classification.industry_for(said) != row or len(set(_longest_hits(classification, said).values())) > 1:
            wrong[word] = _longest_hits(classification, said)
    assert not wrong, wrong


@pytest.mark.parametrize("phrase", NO_TRADE)
def test_a_message_that_names_no_trade_gives_no_row(classification, phrase):
    assert classification.industries_for(phrase) == (), _longest_hits(classification, phrase)


def test_the_notices_measure_names_keywords_and_departments_name_no_trade(policy_store, classification):
    words = set()
    for measure in policy_store.default_policy.measures:
        words |= {measure.title, *measure.keywords, *measure.departments}
    captured = {w: classification.industries_for(w) for w in sorted(words) if classification.industries_for(w)}
    assert not captured


@pytest.mark.parametrize("typed,row", [
    ("開網店的", "零售业"), ("我們是做寫字樓物業的", "物业管理"), ("搬家公司，十幾個人", "交通运输业"),
    ("ＫＴＶ，三十人", "其他未列明行业"), ("養魚的", "农、林、牧、渔业"),
])
def test_traditional_and_full_width_text_is_read_after_the_nlu_normalises_it(classification, typed, row):
    assert classification.industry_for(normalize(typed)) == row


@pytest.mark.parametrize("text,rows", TRADES)
def test_the_head_of_a_trade_phrase_decides_and_an_undecided_trade_gives_both_rows(classification, text, rows):
    assert classification.industries_for(text) == rows
    assert classification.industry_for(text) == (rows[0] if len(rows) == 1 else None)  # callers never guess


def test_every_head_said_in_a_sentence_names_its_own_row_and_agrees_with_the_synonyms(classification):
    heads = classification.phrases.heads
    assert set(heads.values()) <= set(classification.rows)
    assert not {w: r for w, r in heads.items() if classification.synonyms.get(w, r) != r}
    assert not {w: classification.industries_for(f"我们是做{w}的") for w, r in heads.items()
                if classification.industries_for(f"我们是做{w}的") != (r,)}


def test_an_ambiguous_trade_names_two_real_rows_and_is_no_listed_word(classification):
    for word, rows in classification.phrases.ambiguous.items():
        assert len(rows) == 2 and set(rows) <= set(classification.rows), word
        assert word not in classification.synonyms and word not in classification.phrases.heads, word
