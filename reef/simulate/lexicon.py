"""Vocabulary of the simulated community: brand, models, spec sheet, circles, aspects, people.

Everything here is data; :mod:`reef.simulate.grammar` combines it into sentences. The
brand (澜途) and its models are fictional.

Example:
    >>> SPECS["澜途S7"]["range_cltc"]
    620.0
    >>> "改装" in CIRCLES
    True
"""
from __future__ import annotations

__all__ = [
    "BRAND", "MODELS", "MODEL_YEARS", "SPECS", "SPEC_UNITS", "SPEC_WORDS", "SELLING_POINTS",
    "CIRCLES", "CIRCLE_ASPECTS", "ASPECTS", "ASPECT_TERMS", "POS_PRED", "NEG_PRED", "NEU_PRED",
    "LATENT_TYPES", "REGIONS", "PLATE_PREFIX", "NAME_HEAD", "NAME_TAIL", "EMOJI", "TRAD",
]

BRAND = "澜途"
MODELS = ("澜途S7", "澜途L9", "澜途X5", "澜途S5")
MODEL_YEARS = ("2024款", "2025款", "2026款")
# The official spec sheet; misinformation contradicts it, the text layer checks claims against it.
SPECS: dict[str, dict[str, float]] = {
    "澜途S7": {"range_cltc": 620.0, "accel_0_100": 5.4, "battery_kwh": 77.0, "dc_charge_10_80": 22.0, "price": 21.98, "warranty": 8.0},
    "澜途L9": {"range_cltc": 705.0, "accel_0_100": 4.9, "battery_kwh": 100.0, "dc_charge_10_80": 25.0, "price": 32.98, "warranty": 8.0},
    "澜途X5": {"range_cltc": 520.0, "accel_0_100": 6.9, "battery_kwh": 62.0, "dc_charge_10_80": 28.0, "price": 15.98, "warranty": 6.0},
    "澜途S5": {"range_cltc": 480.0, "accel_0_100": 7.6, "battery_kwh": 55.0, "dc_charge_10_80": 30.0, "price": 12.98, "warranty": 6.0},
}
SPEC_UNITS = {"range_cltc": "km", "accel_0_100": "s", "battery_kwh": "kWh", "dc_charge_10_80": "min", "price": "万元", "warranty": "年"}
# How members write each attribute and its unit: (attribute phrase, unit forms).
SPEC_WORDS = {
    "range_cltc": (("CLTC续航", "官方续航", "CLTC纯电续航", "标称续航"), ("km", "公里")),
    "accel_0_100": (("零百加速", "百公里加速", "0-100加速"), ("秒", "s")),
    "battery_kwh": (("电池容量", "电池包", "电池"), ("度", "kWh")),
    "dc_charge_10_80": (("10-80%快充", "快充10%到80%", "直流快充10-80"), ("分钟", "min")),
    "price": (("官方指导价", "落地前指导价", "起售价"), ("万", "万元")),
    "warranty": (("三电质保", "电池质保", "整车质保"), ("年",)),
}
SELLING_POINTS = (
    ("800V高压快充", "全系800V高压平台，充电10分钟补能300公里"),
    ("城市NOA", "城市领航辅助驾驶全国都能开"),
    # The spec sheet's warranty is 8 years (S7, L9) or 6 (X5, S5): the selling point names no figure that one model contradicts.
    ("三电终身质保", "首任车主三电终身质保，整车质保以各车型配置表为准"),
    ("澜途OS车机", "8295芯片车机，语音可见即可说"),
)
CIRCLES = ("改装", "影音", "长途自驾", "充电与续航", "智能驾驶", "保养维修", "摄影")
ASPECTS = ("动力", "价格", "内饰", "配置", "安全性", "外观", "操控", "油耗", "空间", "舒适性",
           "续航与充电", "智能与车机", "售后与服务", "质量与故障")
# Which aspects each circle mostly talks about.
CIRCLE_ASPECTS = {
    "改装": ("外观", "操控", "动力", "内饰"),
    "影音": ("配置", "智能与车机", "内饰"),
    "长途自驾": ("续航与充电", "舒适性", "空间", "油耗"),
    "充电与续航": ("续航与充电", "油耗", "价格"),
    "智能驾驶": ("智能与车机", "安全性", "配置"),
    "保养维修": ("售后与服务", "质量与故障", "价格"),
    "摄影": ("外观", "空间", "内饰"),
}
ASPECT_TERMS = {
    "动力": ("动力", "提速", "电机", "超车加速", "动力响应"),
    "价格": ("价格", "落地价", "优惠", "性价比", "保险费"),
    "内饰": ("内饰", "座椅做工", "中控台", "内饰用料", "氛围灯"),
    "配置": ("配置", "音响", "HUD", "座椅通风", "全景天幕"),
    "安全性": ("安全性", "AEB", "车身结构", "安全配置", "气囊"),
    "外观": ("外观", "车漆", "前脸", "轮毂", "尾灯"),
    "操控": ("操控", "底盘", "转向手感", "悬挂", "过弯"),
    "油耗": ("能耗", "电耗", "百公里电耗", "高速电耗", "冬季能耗"),
    "空间": ("空间", "后排空间", "后备箱", "头部空间", "储物格"),
    "舒适性": ("舒适性", "隔音", "座椅", "滤震", "静谧性"),
    "续航与充电": ("续航", "冬季续航", "快充", "充电速度", "表显续航", "掉电"),
    "智能与车机": ("车机", "语音助手", "智驾", "NOA", "OTA", "泊车辅助"),
    "售后与服务": ("售后", "4S店", "服务态度", "取送车", "客服", "保养价格"),
    "质量与故障": ("异响", "故障灯", "做工", "车门密封", "质量", "12V电瓶"),
}
POS_PRED = ("真的没话说", "比预期好太多", "很扎实", "完全够用", "让我很满意", "可以打九分", "超出预期",
            "表现稳定", "越用越喜欢", "挺给力的", "yyds", "绝了", "没让人失望", "在同级里算顶尖")
NEG_PRED = ("太拉胯了", "让人失望", "问题不少", "越来越差", "虚标严重", "根本不行", "真的忍不了",
            "掉得厉害", "一言难尽", "坑太多", "跟宣传差距很大", "出了好几次问题", "完全没改善", "太离谱了")
NEU_PRED = ("中规中矩", "还算正常", "跟同级差不多", "有好有坏", "看个人需求", "没什么特别的", "够用但不惊艳")
LATENT_TYPES = ("lurker", "participant", "creator", "connector", "leader", "troll", "burnout_core",
                "misinformer", "newcomer")
REGIONS = ("广东深圳", "广东广州", "上海", "北京", "浙江杭州", "江苏南京", "四川成都", "湖北武汉",
           "重庆", "福建厦门", "陕西西安", "山东青岛", "湖南长沙", "天津", "河南郑州", "辽宁沈阳")
PLATE_PREFIX = ("粤B", "粤A", "沪A", "沪C", "京N", "浙A", "苏A", "川A", "鄂A", "渝A", "闽D", "陕A")
NAME_HEAD = ("老", "小", "阿", "大", "胖", "追风", "夜行", "山海", "晴天", "南山", "北漂", "浪迹",
             "爱车的", "奶爸", "车友", "奔跑的", "安静的", "靠谱", "佛系", "硬核")
NAME_TAIL = ("王", "李", "张", "杰", "强", "婷", "飞", "明", "涛", "鹏", "丽", "磊", "超", "静",
             "Leo", "Tony", "Kevin", "Amy", "司机", "骑士", "摄影师", "工程师", "奶爸", "车主")
EMOJI = ("😂", "👍", "🔥", "🙏", "😭", "⚡", "🚗", "😅", "💪", "🤔", "😡", "❤️", "🎉", "📷", "👏", "🤣")
# Simplified -> traditional, for the few members who write traditional characters.
TRAD = str.maketrans({"续": "續", "车": "車", "机": "機", "谢": "謝", "这": "這", "说": "說", "问": "問",
                      "题": "題", "电": "電", "实": "實", "时": "時", "里": "裡", "还": "還", "们": "們"})
