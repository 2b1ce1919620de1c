"""Round-2 claim rules (docs/text-claims.md, "Round 2 rules"): each rule with what it must catch and its look-alikes.

The sentences are written for these tests in the forum's style; none is copied from a labelled fixture.
"""
from __future__ import annotations

import pytest

from reef.text.claims import extract_claims
from reef.text.evaluate import claim_scores
from reef.text.numerals import parse_colloquial_range, parse_number


def _found(text: str) -> list[tuple[str, float]]:
    return [(c["attribute"], c["value"]) for c in extract_claims(text)]


@pytest.mark.parametrize("text,value", [
    ("1万3", 13_000.0), ("24万6", 246_000.0), ("2万零500", 20_500.0), ("2万500", 20_500.0), ("7万5千", 75_000.0),
])
def test_split_amounts_are_one_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["1万35", "2万5千3", "万3"])
def test_malformed_split_amounts_are_refused(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text,expected", [
    ("七八万", (70_000.0, 80_000.0)), ("两三万", (20_000.0, 30_000.0)), ("三四十万", (300_000.0, 400_000.0)),
    ("八九", (8.0, 9.0)), ("五五", None), ("八七", None), ("一二", None), ("五百", None),
])
def test_colloquial_ranges_are_read_only_for_ascending_neighbours(text, expected):
    assert parse_colloquial_range(text) == expected


@pytest.mark.parametrize("text,value", [
    ("它就值20万，别太当回事", 20.0),                  # 值
    ("车商开价十二万五千，我没要", 12.5),              # 开价
    ("二手车商给出价9万，值得卖吗", 9.0),               # 出价
    ("三十万的车保养贵一点正常", 30.0),                 # N万的车
    ("15万买新的不香吗", 15.0),                         # N万买
    ("折合人民币24万6，比国内贵", 24.6),                # 人民币, split amount
    ("这车也就值个七八万", 7.0),                        # colloquial range, lower value
    ("北京这边降价以后只有1万3的优惠", 1.3),            # split amount after a price word
    ("我问了价格，销售说最低，23万", 23.0),              # a price word earlier in the sentence
    ("26.98万元是这款的裸车最低价格", 26.98),            # a strong price word later in the clause
])
def test_a_car_price_without_a_price_word_before_it(text, value):
    assert ("price", value) in _found(text)


@pytest.mark.parametrize("text", [
    "开了13万了，发动机还很安静",                       # mileage: 开了 N万
    "我的车13万都没有烧机油",                           # mileage: N万都没有
    "优惠不大，开了两年3万",                             # mileage after a duration, despite 优惠 earlier
    "价格便宜，月销2万也正常",                           # a sales volume
    "4万就换了变速箱油",                                # mileage: N万就换
    "我16万后用的5w40",                                 # mileage: N万后
    "换个中段要2.4万，太贵了",                          # a part
    "一个大灯卖5万，抢钱",                               # a part
    "一年保险五千多",                                    # insurance
    "宝骏310w挺省心",                                    # a model code, not 310万
    "这价格五块钱买个挂件不亏",                          # under 1,000 元: not a car or a discount
])
def test_money_and_mileage_look_alikes_are_not_prices(text):
    assert not [a for a, _ in _found(text) if a == "price"], _found(text)


@pytest.mark.parametrize("text,values", [
    ("优惠五千，比去年少", [0.5]),
    ("最多优惠5、6千，不会超过1万", [0.5, 1.0]),
    ("店里优惠2万零500", [2.05]),
])
def test_discounts_in_thousands_and_split_amounts(text, values):
    assert [v for a, v in _found(text) if a == "price"] == values


@pytest.mark.parametrize("text", [
    "五千公里换一次机油",                 # 千 is a distance here
    "转速三千转的时候有异响",             # and revolutions here
    "同事的车卖了五千",                   # 千 without a discount: too small to be a car's price claim
])
def test_thousands_are_only_discounts(text):
    assert not [a for a, _ in _found(text) if a == "price"], _found(text)


@pytest.mark.parametrize("text,kept", [
    ("价格也比18款低2万", []),
    ("等你买了34万的车就会发现，再加5万，40万的车更好", [34.0, 40.0]),
    ("如果能有多两万预算，建议上豪华版", []),
    ("价格差了5万多呢", []),
    ("选装又加了3万", []),
    ("最多25万提裸车", [25.0]),           # 最多 is a hedge, not "more"
    ("2.5豪华版差不多25万落地", [25.0]),   # 差不多 is a hedge, not a difference
])
def test_differences_and_increments_are_not_prices(text, kept):
    assert [v for a, v in _found(text) if a == "price"] == kept


@pytest.mark.parametrize("text,values", [
    ("跑长途八升多，市区十升左右很正常", [8.0, 10.0]),
    ("已经很好了，我的市区13-14个", [13.0]),
    ("市内油耗15个没毛病", [15.0]),
    ("道路畅通8个可能不到，拥堵时15个油耗也不稀奇", [8.0, 15.0]),
    ("表显7.6L/100", [7.6]),
    ("油耗始终在8.2，换了轮胎也一样", [8.2]),
    ("路况好油耗可以低至5.5左右", [5.5]),
    ("油耗从9点多降到了7", [9.0, 7.0]),
    ("朋友的车还跑8.6升", [8.6]),
])
def test_colloquial_fuel_consumption(text, values):
    assert [v for a, v in _found(text) if a == "consumption_fuel"] == values


@pytest.mark.parametrize("text", [
    "机油加了4.5升就到刻度了",            # oil volume
    "1500公里烧一升机油",                 # oil consumption
    "高速跑了300公里用了20升",            # a fill, not per 100 km
    "换变速箱油要12L",                    # a fluid change
    "2.0L自吸动力够用",                   # displacement
    "市区开车坐3个人",                    # 个 as a classifier
    "看不懂上下三个油耗分别是什么",        # 个 as a classifier before 油耗
    "油耗由原来的6毛一公里下降到5毛",      # cost per km
    "长途跑了5个省",                      # 个 as a classifier
])
def test_litre_look_alikes_are_not_consumption(text):
    assert not [a for a, _ in _found(text) if a == "consumption_fuel"], _found(text)


@pytest.mark.parametrize("text,values", [
    ("综合8个油，朋友同款2.5L也差不多", [8.0]),   # a displacement, even after a consumption figure
    ("高速9个油，我这台2.0L自吸", [9.0]),
])
def test_displacement_after_a_consumption_figure_stays_a_displacement(text, values):
    assert [v for a, v in _found(text) if a == "consumption_fuel"] == values


@pytest.mark.parametrize("text,found", [
    ("十万公里免费保养，还挺实在", [("warranty", 10.0)]),
    ("优惠1万，延保两年不交钱", [("price", 1.0), ("warranty", 2.0)]),
    ("质保8年或15万公里", [("warranty", 8.0), ("warranty", 15.0)]),
    ("13年森已经过保修期了", []),                       # a model year
    ("09年11月的车，保修早过了", []),                  # a date
    ("送了上5年保险，延保另算", []),                    # insurance, not a warranty
])
def test_warranty_phrasing_and_years(text, found):
    assert [(a, v) for a, v in _found(text) if a == "warranty" or (a == "price" and found)] == found


def test_a_full_tank_distance_is_a_range_but_an_odometer_is_not():
    assert _found("一箱油跑570km左右") == [("range", 570.0)]
    assert _found("表显10万3千公里了") == []  # no car has a 103,000 km range


def test_claim_scores_reads_sentences_as_the_product_does():
    # Traditional script: reef.text.analyze converts to simplified before extracting; so does claim_scores.
    rows = [{"text": "百公裡電耗大概21.1度", "claims": [{"attribute": "consumption_electric", "value": 21.1,
                                                          "unit": "kWh/100km"}]}]
    assert extract_claims(rows[0]["text"]) == []  # the raw traditional sentence has no 百公里 cue
    scores = claim_scores(rows)
    assert scores["precision"] == 1.0 and scores["recall"] == 1.0


# Round 3 (docs/text-claims.md, "Round 3 rules"): forms, each with look-alikes it must leave alone.

@pytest.mark.parametrize("text,values", [
    ("堵车的时候10个，跑高速只有7~8个很正常", [10.0, 7.0]),      # N~M个 + 很
    ("他们说的是综合油耗，我得12个纯市区", [12.0]),              # N个 + 纯
    ("冬天油耗都要高，跑个9-10升不奇怪", [9.0]),                 # 跑个 N-M升, 油耗 earlier in the sentence
    ("平时维持在7L，这车油耗确实可以", [7.0]),                   # 油耗 later in the sentence governs N L
    ("平均油耗常年在9.4到9.9之间", [9.4]),                       # 常年 filler; a span closed by 之间
    ("油耗看路况，在6.8-8.5升之间", [6.8]),                      # a decimal span is not a displacement
    ("我觉得油耗大概在7到8之间吧", [7.0]),                       # bare span + 之间
    ("高速100km时速6个多", [6.0]),                                # a speed, not a distance, before litres
    ("5km15个油耗也正常", [15.0]),                                # a number glued to km is not a model code
])
def test_round3_fuel_consumption_forms(text, values):
    assert [v for a, v in _found(text) if a == "consumption_fuel"] == values


@pytest.mark.parametrize("text,values", [
    ("油耗有点高，平均从7，6到了8，3个", [7.6, 8.3]),            # full-width comma as the decimal point
    ("最近油耗7，9个了", [7.9]),
])
def test_round3_full_width_comma_as_a_decimal_point(text, values):
    assert [v for a, v in _found(text) if a == "consumption_fuel"] == values


@pytest.mark.parametrize("text", [
    "油耗不错，家里3，4个人坐也够",          # a list of small numbers, then a classifier
    "油耗还行，买了3，5年了",                # no fuel unit after
    "高速跑了300公里加了25升，还剩一半",     # a fill, with 油 words, no 油耗
    "我1.5的油耗不高",                       # an engine size before 的油耗
    "2.0的油耗可以赶上3.0的日系了",          # engine sizes
    "油耗高，3个月保养一次",                 # 个月
    "时速120公里，油箱还剩20升",              # tank content
])
def test_round3_fuel_look_alikes(text):
    assert not [a for a, _ in _found(text) if a == "consumption_fuel"], _found(text)


@pytest.mark.parametrize("text,values", [
    ("预算不多，25万以内买suv有什么推荐", [25.0]),                # a bound + 买/suv
    ("30万内哪款车加速最快", [30.0]),                            # a bound, a car later in the clause
    ("比20万以上的国产车都要好", [20.0]),                        # N万以上的XX车
    ("内饰相当于8.5万的水平", [8.5]),                            # a price level
    ("这配置当时落地要三十多万", [30.0]),                         # N多万
    ("十五万到十六万之间属于合理价格", [15.0]),                   # a price word later in the clause
    ("4S店最多降个两三万", [2.0]),                               # 降个 N万
    ("今天去店里，优惠9000送膜", [0.9]),                         # a discount in 元, unit left out
    ("现金优惠了15000", [1.5]),
])
def test_round3_price_forms(text, values):
    assert [v for a, v in _found(text) if a == "price"] == values


@pytest.mark.parametrize("text", [
    "5万以内保养都免费",                      # a mileage bound, no car or purchase
    "开了10多万公里还很好",                   # N多万 before 公里
    "丢了三万的自行车",                        # not a car
    "优惠了好几次，2020年买的",              # a year, not a bare discount
    "优惠300元的券",                          # under 1,000 元
    "加装一万装潢花得值",                      # fitting-out, not the car
    "优惠9，送膜",                            # too small for 元
    "小区停车3万的车位",                      # 车位 is not a car
])
def test_round3_price_look_alikes(text):
    assert not [a for a, _ in _found(text) if a == "price"], _found(text)


def test_round3_fitting_out_right_before_only():
    # 加装 blocks the amount right after it, not a discount later in the sentence.
    assert [v for a, v in _found("2.0时尚加装2万，优惠1.2万") if a] == [1.2]


@pytest.mark.parametrize("text,found", [
    ("优惠13000，送两年保养", [("price", 1.3), ("warranty", 2.0)]),   # free maintenance package
    ("送三年九次保养，贴膜", [("warranty", 3.0)]),
    ("一年两次保养，费用不高", []),                                   # a service interval, nothing given
    ("热车半分到一分钟充分热车", []),                                 # 充分 is not 充电
    ("一箱油剩两格时加了30升大概跑400公里", [("range", 400.0)]),     # 剩 is far from the distance
    ("还剩100公里续航", []),                                          # remaining range stays out
])
def test_round3_warranty_charging_and_range(text, found):
    assert [(a, v) for a, v in _found(text)
            if a in ("warranty", "charging_time", "range") or (a == "price" and found)] == found


@pytest.mark.parametrize("text,values", [
    ("最近油耗豁到6.4了", [6.4]),
    ("油耗北京环路上下班8.8，还行", [8.8]),
    ("我冬天油耗最高的时候上过13.4", [13.4]),
    ("油耗目前显示8.4，挺满意", [8.4]),
])
def test_round3_oilhao_governs_the_first_bare_number_in_its_clause(text, values):
    assert [v for a, v in _found(text) if a == "consumption_fuel"] == values


@pytest.mark.parametrize("text", [
    "油耗比之前高了2",                # a difference
    "油耗跟时速120有关",              # a speed
    "油耗一公里6毛钱",                # a cost
    "油耗算上保养一年5千",            # money
    "油耗排名第5",                    # a rank
    "怠速油耗估计在15左右",           # idling: litres per hour
    "2.0的油耗可以赶上3.0的日系了",   # engine sizes
    "油耗高，我家3口人够用",          # a count of people
])
def test_round3_oilhao_look_alikes(text):
    assert not [a for a, _ in _found(text) if a == "consumption_fuel"], _found(text)


# Round 4 (docs/text-claims.md, "Round 4 rules"): non-car money, denominators, trips, counted nouns; and the forms
# the check set missed.
@pytest.mark.parametrize("text", [
    "这边上牌手续费1.3万，太黑了",                # a fee
    "听说4S店利润和运费加起来也在4万左右",          # a dealer's margin and freight
    "首付3万，月供两千多",                          # a down payment
    "轮胎和底盘这两年已经值回2万了",                # paid back, not worth
    "在他的报价上加2000-4000元就能提",              # an add-on
    "跑满八百公里油表还剩一格",                     # a trip, not a full-tank range
    "三个油封都换了",                               # a counted noun, not litres
])
def test_round4_look_alikes_are_not_claims(text):
    assert _found(text) == []


@pytest.mark.parametrize("text,found", [
    ("价格确实不错，就是手续费1.3万有点多", []),             # the fee, not the price named earlier
    ("关税降了以后到岸价格3万元的小车", [("price", 3.0)]),   # a car's price after the tax word
    ("一箱油跑满九百公里没问题", [("range", 900.0)]),        # a full tank: a range
    ("平均时速40，仪表显示9.1升/100千米", [("consumption_fuel", 9.1)]),  # the denominator is not a range
    ("续航表显520公里", [("range", 520.0)]),
])
def test_round4_guards_keep_real_claims(text, found):
    assert _found(text) == found


@pytest.mark.parametrize("text,values", [
    ("三年车况好的话18～19万左右我觉得合理", [18.0]),     # a verdict after a bare amount
    ("总的来说12-14万正常", [12.0]),
    ("我想把价格和他谈到二十三万六", [23.6]),              # a service word in an earlier clause does not block
    ("9W入的手，车况还行", [9.0]),                          # W before 入
    ("预算就是25万以内原装进口", [25.0]),
    ("做保养的朋友说这个月优惠3万", [3.0]),                 # a 万 discount is the car's, whatever the clause is about
])
def test_round4_price_forms(text, values):
    assert [v for a, v in _found(text) if a == "price"] == values


@pytest.mark.parametrize("text", [
    "没做保养，换了四个轮胎价格共3600元",                  # a part's price after a service word
    "修车那边说报价1万多",                                 # a repair quote
    "12-14万公里的时候换的",                               # a mileage
])
def test_round4_price_look_alikes(text):
    assert [v for a, v in _found(text) if a == "price"] == []


@pytest.mark.parametrize("text,found", [
    ("送了脚垫，6年15万公里保养", [("warranty", 6.0), ("warranty", 15.0)]),
    ("全车3年10万公里，另送贴膜", [("warranty", 3.0), ("warranty", 10.0)]),
    ("这车09年 十万公里 不知道值不值", []),                 # a model year and a mileage
    ("估计在6秒以内吧，有人测过零百吗", [("acceleration_0_100", 6.0)]),
    ("估计在6秒以内吧，我也不知道", []),                    # no acceleration in the sentence
    ("省道，时速70-100之间6.9L", [("consumption_fuel", 6.9)]),
    ("原来没高过8.5现在是10个油耗", [("consumption_fuel", 8.5), ("consumption_fuel", 10.0)]),
    ("原来没超过3次", []),
    ("市区最多10~11个，高速估计7个左右吧", [("consumption_fuel", 10.0), ("consumption_fuel", 7.0)]),
    ("家里有3个，估计2个左右吧", []),                       # 个 with no consumption before it
])
def test_round4_warranty_acceleration_and_fuel(text, found):
    assert _found(text) == found


# Round 5 (docs/text-claims.md, "Round 5 rules"): look-alikes first, since precision was the target that missed.
@pytest.mark.parametrize("text,found", [
    ("朋友那台2.0油耗比我低", []),                                   # an engine size right before 油耗
    ("你的1.6和我的1.8油耗差不多吧", []),                             # engine sizes in an X和Y list
    ("不管2.0还是2.5百公里油耗都下不了10个油", [("consumption_fuel", 10.0)]),
    ("我这台2.5油耗稳定在9.6", [("consumption_fuel", 9.6)]),          # the size goes, the consumption stays
    ("平均车速降到了19，油耗11.2", [("consumption_fuel", 11.2)]),     # a speed that went down, not a consumption
    ("油耗降到了7.5", [("consumption_fuel", 7.5)]),                   # the value 油耗 went to still counts
    ("入冬以后油耗涨了3个", []),                                      # a change
    ("今天堵了4个多小时，油耗还行", []),                              # a duration
    ("第三个5000公里平均油耗9.1", [("consumption_fuel", 9.1)]),       # an ordinal, not litres
    ("油耗方面我只看这两个，别的无所谓", []),                         # a pointed-at count
    ("变速箱油有两个油尺，油耗倒是没变", []),                         # a counted noun
    ("比原来那台省油至少3个", []),                                    # a difference
])
def test_round5_fuel_look_alikes(text, found):
    assert _found(text) == found


@pytest.mark.parametrize("text,found", [
    ("北方再贵也就两万多", []),                                      # a comparison with a filler word
    ("比进口版便宜最多2万", []),
    ("最贵的配置也就30万", [("price", 30.0)]),                        # a price, not a comparison
    ("高低配价格上下3万吧", []),                                      # a spread between trims
    ("裸车价格再下浮2万元", []),                                      # an increment
    ("裸车价格下浮个3万才合理", [("price", 3.0)]),                    # a cut (as labelled), not "再下浮"
    ("这个价位来说，八万不是个小数目", []),                          # a sum of money judged
    ("必须在店里上牌，价格1500元", []),                              # a fee: under 1万 元 with no discount
    ("问了价格了，16款的，4500元左右", []),                          # a quote under 1万 元, no discount
    ("我这边优惠3000元", [("price", 0.3)]),                          # a discount under 1万 still counts
    ("优惠六千，聊到最后给了八千", [("price", 0.6), ("price", 0.8)]),  # carried from an earlier discount
    ("选装包的话指导价要加1.5万", []),                                # an option's cost
    ("加价1.5万才能提", [("price", 1.5)]),                           # a dealer markup still counts
    ("价格上为多出的两万犹豫了", []),
])
def test_round5_price_look_alikes(text, found):
    assert _found(text) == found


@pytest.mark.parametrize("text,found", [
    ("跑了一箱油，520km，还剩三个格", []),                           # fuel still left: a trip
    ("一箱油能跑520km", [("range", 520.0)]),
])
def test_round5_remaining_fuel_is_not_a_range(text, found):
    assert _found(text) == found


@pytest.mark.parametrize("text,found", [
    ("油耗一直是8.5.挺满意", [("consumption_fuel", 8.5)]),            # "." as a full stop
    ("综合油耗九点多", [("consumption_fuel", 9.0)]),                  # Chinese numerals with 点多
    ("市区油耗会到12点几", [("consumption_fuel", 12.0)]),
    ("早上八点多出门", []),                                           # a time of day, not governed by 油耗
    ("油耗显示7.9.2公里后又变了", []),                                # "7.9.2": not a number with a full stop
    ("只优惠8K，还不送膜", [("price", 0.8)]),                        # K for 千 after 优惠
    ("一米要3k", []),                                                # K without a discount word
    ("裸车价25.8万时尚版，送了膜", [("price", 25.8)]),               # 时尚 is a trim, not 时 (a mileage)
    ("我提的22万2017款", [("price", 22.0)]),                         # a model year between the amount and 款
    ("车商收7万元，不卖", [("price", 7.0)]),                          # a dealer's offer for a used car
    ("5.5万收来的二手", [("price", 5.5)]),
    ("这5万收的是服务费", []),
    ("含保险落地价格26万多", [("price", 26.0)]),                      # 落地 includes the insurance
    ("保险报价4000元", []),                                           # an insurance quote
    ("时速80-100之间，7L左右", [("consumption_fuel", 7.0)]),          # a speed condition before litres
    ("均速20的时候也是9升多", [("consumption_fuel", 9.0)]),
    ("那车百公里9秒多", [("acceleration_0_100", 9.0)]),              # 百公里 right before seconds
    ("百公里油耗8个，怠速等了30秒", [("consumption_fuel", 8.0)]),
    ("4S店送六万公里保养", [("warranty", 6.0)]),                     # free maintenance offered, also "包养"
    ("送八万公里包养", [("warranty", 8.0)]),
    ("车开了十万公里保养过", []),
])
def test_round5_forms(text, found):
    assert _found(text) == found


@pytest.mark.parametrize("text, low, high", [("售价13.98-16.98万元", 13.98, 16.98), ("价格13.98~16.98万元", 13.98, 16.98),
                                             ("售价13.98至16.98万元", 13.98, 16.98), ("售价13万-16万元", 13.0, 16.0),
                                             ("售价13.98-16.98万", 13.98, 16.98)])
def test_a_price_range_with_wan_written_once(text, low, high):
    assert [(c["attribute"], c["value"], c["value_max"], c["unit"]) for c in extract_claims(text)] == [("price", low, high, "万元")]


@pytest.mark.parametrize("text, value", [("续航400多公里", 400.0), ("续航四百多公里", 400.0), ("续航五百多km", 500.0),
                                         ("一箱油能跑到700多公里", 700.0)])
def test_a_hedged_range_keeps_its_number(text, value):
    assert [(c["attribute"], c["value"]) for c in extract_claims(text)] == [("range", value)]


@pytest.mark.parametrize("text, model", [("汉兰达油耗10个", None), ("我在武汉，续航500公里", None),
                                         ("开的是1.5L7速双离合，油耗6个", None), ("汉的续航605公里", "汉"),
                                         ("理想L7续航210公里", "理想L7"), ("小鹏G6百公里加速3.9秒", "小鹏G6")])
def test_a_model_name_is_not_read_inside_a_longer_word(text, model):
    assert [c["model"] for c in extract_claims(text)] == [model]


@pytest.mark.parametrize("text, values", [("续航600公里，我只跑了400公里", [600.0]), ("充了一次电跑了三十多公里电量还有68％", []),
                                          ("满电跑了450公里", [450.0])])
def test_a_distance_driven_is_not_a_range_unless_a_full_charge_or_tank_is_named(text, values):
    assert [c["value"] for c in extract_claims(text) if c["attribute"] == "range"] == values
