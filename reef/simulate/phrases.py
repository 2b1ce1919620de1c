"""Sentence templates of the simulated community, by intent. ``{slot}`` names are filled by
:mod:`reef.simulate.grammar`; the question bank carries paraphrase groups (ground truth for
repeated-question clustering).

Example:
    >>> len(QUESTION_BANK) >= 20
    True
"""
from __future__ import annotations

__all__ = [
    "OPENERS", "CLOSERS", "EXPERIENCE", "DETAIL", "QUESTION_BANK", "GAP_QUESTIONS", "ANSWER",
    "THANKS", "PRAISE", "ONE_LINERS", "AGREE", "DISAGREE", "ATTACK", "COMPLAINT", "RUMOUR",
    "CLARIFY", "GUIDE_TITLES", "GUIDE_STEPS", "GUIDE_ACTIONS", "MEETUP", "PHOTO", "VIDEO", "ANNOUNCE", "POLLS",
    "CAMPAIGN_POST", "OFFICIAL_REPLY", "BLAND", "CRISIS", "ASK_SPECIFICS", "SELLING", "BACKLASH_REPLY",
]

OPENERS = ("说实话，", "家人们，", "提车{months}个月了，", "作为{year}{model}车主，", "分享一下，", "简单说两句，",
           "跑了{km}公里了，", "不吹不黑，", "刚从{region}回来，", "", "", "", "来交作业了，", "老车主路过，")
CLOSERS = ("以上纯个人感受。", "有问题评论区问我。", "仅供参考哈。", "欢迎大家补充！", "就酱。", "", "", "大家怎么看？",
           "希望对新车主有帮助。", "先写这么多，后面再更新。")
EXPERIENCE = (
    "{model}的{term}{pred}。", "这台车{term}{pred}，{detail}", "用下来感觉{term}{pred}。",
    "{term}这块{pred}，{detail}", "开了{months}个月，{term}{pred}。", "我觉得{model}{term}{pred}。",
    "对比之前开的油车，{term}{pred}。", "{year}{model}的{term}，{pred}。",
)
DETAIL = (
    "上周跑了一趟{region}，全程{km}公里，中途补电{n}次。", "百公里电耗大概{kwh}度。", "冬天零下{cold}度表显打了{pct}折。",
    "高速{speed}巡航，剩余续航还有{km2}公里。", "在超充站从{soc}%充到80%用了{mins}分钟。",
    "4S店给的保养报价是{yuan}元。", "后排坐三个成年人也不挤。", "车机升级到{ota}之后流畅了不少。",
    "胎压保持在{bar}bar左右。", "通勤每天{commute}公里，一周充一次电。",
)
# Canonical questions: (aspect, paraphrases). The index is the paraphrase group.
QUESTION_BANK = (
    ("续航与充电", ("冬天续航掉多少？", "北方冬天续航大概打几折？", "零下的时候续航衰减厉害吗？", "冬季掉电严重不，{model}车主说说")),
    ("续航与充电", ("家里装充电桩要准备什么材料？", "安装家充桩需要物业同意吗？", "私人充电桩怎么申请安装？", "小区装桩流程是啥？")),
    ("续航与充电", ("超充站充电要多久？", "快充从10%到80%实际多长时间？", "{model}快充速度怎么样？", "直流快充实际要充多久啊")),
    ("智能与车机", ("OTA升级要多久？", "{ota}升级大概需要多长时间？", "每次OTA要等多久才能开车？", "车机升级一次多久啊？")),
    ("智能与车机", ("NOA在哪些城市能用？", "城市领航现在开放了哪些城市？", "{region}能用城市NOA吗？", "城市NOA覆盖范围有多大？")),
    ("智能与车机", ("车机怎么连CarPlay？", "手机投屏怎么弄？", "苹果手机能投屏到车机吗？", "车机支持CarPlay吗？")),
    ("售后与服务", ("首保什么时候做？", "第一次保养多少公里做？", "首保要花钱吗？", "新车首保时间是多久？")),
    ("售后与服务", ("保养一次多少钱？", "常规保养大概花多少？", "{model}小保养价格多少？", "一年保养费用大概多少啊")),
    ("质量与故障", ("车门异响怎么处理？", "门板有异响是通病吗？", "关门时咯吱响怎么办？", "车门异响能保修吗？")),
    ("质量与故障", ("12V电瓶亏电怎么办？", "小电瓶没电了怎么处理？", "停了一周12V亏电正常吗？", "小电瓶亏电要换吗？")),
    ("质量与故障", ("仪表盘故障灯亮了怎么办？", "黄色故障灯亮了还能开吗？", "故障灯突然亮正常吗？", "仪表报故障要去店里吗？")),
    ("价格", ("现在落地价多少？", "{model}在{region}落地要多少钱？", "最近有优惠吗？", "现在入手{model}划算吗？")),
    ("价格", ("保险第一年多少钱？", "新能源车保险贵不贵？", "{model}首年保费多少？", "交强险加商业险一年多少？")),
    ("外观", ("哪个颜色最耐看？", "{model}选什么颜色好？", "白色和灰色哪个好看？", "纠结颜色，大家选的啥？")),
    ("外观", ("贴车衣值不值？", "隐形车衣有必要吗？", "车衣贴哪个牌子好？", "新车要不要贴车衣？")),
    ("空间", ("后备箱能放下婴儿车吗？", "后备箱空间够一家人出游吗？", "婴儿车放得进后备箱吗？", "后备箱到底多大？")),
    ("舒适性", ("后排坐着晕车吗？", "家里人坐后排容易晕车怎么办？", "动能回收让人晕车怎么调？", "后排晕车有办法吗？")),
    ("操控", ("底盘硬不硬？", "悬挂是偏舒适还是偏运动？", "过减速带颠不颠？", "{model}底盘调校怎么样？")),
    ("动力", ("高速超车有劲吗？", "80以后加速还猛吗？", "高速再加速怎么样？", "满载爬坡动力够吗？")),
    ("配置", ("{year}和老款配置差在哪？", "新款加了什么配置？", "{year}值得加钱上吗？", "新老款区别大吗？")),
    ("安全性", ("AEB误刹车遇到过吗？", "自动紧急制动会误触发吗？", "有没有遇到过幽灵刹车？", "AEB灵敏度能调吗？")),
    ("内饰", ("座椅有异味怎么办？", "新车内饰味道多久散？", "车里有味道正常吗？", "新车甲醛味怎么去？")),
    ("油耗", ("百公里电耗多少算正常？", "你们的电耗是多少？", "高速电耗大概多少？", "市区电耗正常是多少？")),
    ("售后与服务", ("取送车服务怎么预约？", "上门取送车要钱吗？", "APP里怎么约取送车？", "取送车服务覆盖哪些城市？")),
)
# Indexes into QUESTION_BANK that the community never answers (planted knowledge gaps).
GAP_QUESTIONS = (5, 15, 23)
ANSWER = (
    "{model}的话，{fact}", "我去年问过店里，{fact}", "亲测：{fact}", "{fact}有问题可以私信我。", "楼主别急，{fact}",
    "我的经验是{fact}", "查了用户手册，{fact}", "回答一下：{fact}", "之前也纠结过，{fact}",
)
THANKS = ("谢谢大佬！", "感谢解答，问题解决了🙏", "太有用了，感谢{name}", "明白了，多谢！", "谢谢，照着做已经好了。",
          "感谢老哥耐心解答", "收到，谢谢！", "好的好的，非常感谢！", "谢谢{name}，学到了")
PRAISE = ("拍得太好看了！", "这{work}绝了👍", "{name}太用心了，收藏了", "质量很高，必须顶！", "大佬的作业总是这么专业",
          "构图好棒，求参数", "写得真细，新车主福音", "这个必须加精！", "干货满满，感谢分享", "{name}出品必属精品")
ONE_LINERS = ("+1", "顶", "打卡", "mark", "路过", "前排", "同款{model}路过", "沙发", "支持一下", "插个眼", "{n}楼报到",
              "来了来了", "坐等更新", "已阅", "哈哈哈", "学习了", "👍", "蹲一个")
AGREE = ("同意楼上", "说得对，我也是这样", "确实，{term}这点深有同感", "一样一样", "+1，{term}我也觉得{pred}")
DISAGREE = ("我不太同意，{term}其实{pred}", "你这个说法有问题，我的{term}就{pred}", "老车主都知道不是这样的",
            "新车主别带节奏，{term}没那么夸张", "不同意，数据摆在那里", "各有各的看法吧，我觉得{term}{pred}")
ATTACK = ("你懂个屁", "新来的就别瞎BB了", "老车主了不起啊？倚老卖老", "脑子有问题吧", "水军滚", "你是不是收钱了",
          "菜就多练", "一看就是没车的键盘侠", "真是无语，什么人都能发帖")
COMPLAINT = ("{model}的{term}{pred}，{detail}", "投诉！{term}{pred}，找了{n}次售后都没解决😡", "{term}真的{pred}，后悔买了",
             "升级{ota}以后{term}{pred}", "有没有人跟我一样，{term}{pred}？", "{term}{pred}，客服电话打了{n}次也没人管")
CRISIS = ("升级{ota}之后{term}{pred}，满电才显示{km2}公里", "OTA把{term}搞坏了，{detail}", "这次{ota}升级后{term}{pred}，退回旧版本吧",
          "{ota}推送后快充功率只有{kw}kW了，{term}{pred}", "不止我一个吧，{ota}以后{term}{pred}")
ASK_SPECIFICS = ("具体是哪个部分？能发下截图吗", "你是什么温度下测的？", "能说下具体车速和胎压吗", "有没有完整的充电记录？")
RUMOUR = ("听说{model}的{attr}其实只有{value}{unit}，官方在虚标", "内部消息：{model}{attr}实际是{value}{unit}",
          "朋友在4S店工作，说{model}的{attr}是{value}{unit}", "{model}{attr}就{value}{unit}，别被宣传骗了")
CLARIFY = ("辟谣一下：{model}的{attr}官方是{value}{unit}，配置表写得很清楚", "不对哦，{model}{attr}是{value}{unit}，可以查官网参数",
           "这个说法不准确，官方数据{attr}{value}{unit}，我实测也差不多", "别传谣了，{attr}{value}{unit}，附配置表截图")
GUIDE_TITLES = ("【攻略】{circle}新手完全指南", "【干货】{model}{term}全攻略", "{circle}保姆级教程（{year}版）",
                "【长文】{term}避坑指南", "新车主必看：{term}的{n}个技巧")
GUIDE_STEPS = ("第{i}步，{action}。", "{i}. {action}；", "步骤{i}：{action}。")
GUIDE_ACTIONS = ("先在APP里预约{term}检查", "准备好行驶证和身份证", "把胎压调到{bar}bar", "设置好充电上限到{pct}0%",
                 "进入设置-车辆-{term}选项", "找靠谱的店做{term}", "记录每次的{term}数据", "出发前规划好超充站")
MEETUP = ("【{region}】本周{weekday}{circle}车友聚会，地点{place}，报名加微信{wechat}", "组织一次{circle}自驾，{region}出发，感兴趣的联系{phone}",
          "{region}的{model}车主们，{weekday}下午{place}小聚，车牌{plate}的是我", "周末{place}拍车活动，名额{n}个，私信或电话{phone}")
PHOTO = ("【作业】{model}{color}，{place}随手拍📷", "{circle}作业：{place}夕阳下的{model}", "提车{months}个月纪念，{color}{model}",
         "{year}{model}改装后照片，{term}换了新的")
VIDEO = ("【视频】{model}{term}实测", "{km}公里长途vlog", "{model}冬季续航实测视频", "{circle}教程视频：{term}")
ANNOUNCE = ("【官方公告】{ota}版本开始推送，新增{feature}", "【官方】{region}新超充站上线", "【公告】{month}月车主活动报名开启",
            "【官方】关于{term}问题的说明", "【官方】{year}{model}正式上市")
POLLS = (("你最常用的充电方式？", ("家充", "超充", "公共快充", "换电")), ("下次OTA最想要什么功能？", ("哨兵模式", "CarPlay", "NOA扩城", "座椅记忆")),
         ("你选了什么颜色？", ("白", "灰", "蓝", "黑")), ("你的日常通勤距离？", ("20公里内", "20-50公里", "50公里以上")))
CAMPAIGN_POST = ("#{topic}# {model}陪我的第{n}个周末，{detail}", "参加#{topic}#，分享我的故事：{detail}", "#{topic}# 打卡！{term}{pred}",
                 "看到{name}发的#{topic}#，我也来一个：{detail}")
OFFICIAL_REPLY = ("您好，已收到反馈，售后专员会在24小时内联系您。", "感谢反馈，{term}问题已提交工程团队排查。", "抱歉给您带来不便，请私信车架号，我们跟进处理。")
BLAND = ("今天也来打卡", "有人吗", "顶一下", "最近群里好安静", "又是平平无奇的一天", "路过看看", "还有人在玩{circle}吗")
SELLING = ("800V快充是真的香", "城市NOA每天通勤都在用", "三电终身质保买得放心", "澜途OS车机流畅度吊打同级")
# A core member turning negative, replying anywhere: after-sales trouble and long-standing defects.
BACKLASH_REPLY = ("同样的{term}问题我反馈了{months}个月，售后一直拖着😡", "别提了，我的{term}{pred}，4S店来回跑了{n}次都没修好",
                  "作为老车主真心寒心，{term}的问题提了{months}个月到现在没人管", "{term}{pred}，客服只会说已登记，再这样我要去投诉了",
                  "提醒一下大家，{term}的老毛病一直没解决，售后态度也{pred}", "当初推荐了{n}个朋友买，现在{term}问题没人管，我都不好意思见他们")
