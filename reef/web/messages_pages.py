"""Dashboard text of the capability pages: 知识礁, 危机室, 组织, 风险雷达, 周报, 发送到群 and 活动与涟漪, (zh, en).

Part of :data:`reef.web.messages.WEB_MESSAGES` (merged there; read it through :func:`reef.web.messages.tr`). The
shell's text (nav, login, 今日, members, tasks, imports, errors, jobs) stays in :mod:`reef.web.messages`.

Example:
    >>> CAPABILITY_MESSAGES["nav.kb"][0], CAPABILITY_MESSAGES["nav.campaigns"][1]
    ('知识礁', 'Campaigns and ripples')
"""
from __future__ import annotations

__all__ = ["CAPABILITY_MESSAGES"]

CAPABILITY_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.kb": ("知识礁", "Knowledge reef"),
    "kb.search": ("搜索问题（如：冬天续航掉多少）", "Search questions (e.g. winter range loss)"),
    "kb.go": ("搜索", "Search"), "kb.results": ("搜索结果", "Search results"),
    "kb.no_results": ("没有找到相关问题。", "No matching questions."),
    "kb.best": ("最佳回答", "Best answers"), "kb.repeated": ("重复提问", "Repeated questions"),
    "kb.gaps": ("知识缺口", "Knowledge gaps"), "kb.question": ("问题", "Question"), "kb.answer": ("回答", "Answer"),
    "kb.answerer": ("回答者", "Answered by"), "kb.score": ("得分", "Score"), "kb.accepted": ("已采纳", "Accepted"),
    "kb.answers": ("回答数", "Answers"), "kb.times_asked": ("被问次数", "Times asked"), "kb.askers": ("提问人数", "Askers"),
    "kb.answered": ("已回答", "Answered"), "kb.stage": ("用车阶段", "Ownership stage"), "kb.priority": ("优先级", "Priority"),
    "kb.reason": ("原因", "Reason"), "kb.kind": ("类型", "Kind"), "kb.answered_share": ("回答率", "Answered share"),
    "kb.none": ("尚未计算知识礁：请运行 `reef analyze`。", "The knowledge reef has not been computed: run `reef analyze`."),
    "nav.crisis": ("危机室", "Crisis room"),
    "crisis.none": ("尚无舆情时间线：请运行 `reef analyze`。", "No crisis timeline yet: run `reef analyze`."),
    "crisis.aspects": ("各方面近况", "Aspects now"), "crisis.aspect": ("方面", "Aspect"),
    "crisis.alarms": ("预警天数", "Alarm days"), "crisis.last_alarm": ("最近预警", "Last alarm"),
    "crisis.observed": ("负面帖", "Negative posts"), "crisis.baseline": ("基线", "Baseline"), "crisis.ratio": ("倍数", "Ratio"),
    "crisis.timeline": ("逐日时间线：{aspect}", "Day by day: {aspect}"), "crisis.day": ("日期", "Day"),
    "crisis.new_authors": ("新抱怨者占比", "New complainers"), "crisis.reach": ("触达", "Reach"),
    "crisis.buffer": ("该方面全部事实帖（不算缓冲）", "All factual posts on the aspect (not the buffer)"), "crisis.buffer_ratio": ("缓冲比（同话题 / 声浪）", "Buffer ratio (on topic / wave)"),
    "crisis.specifics": ("追问细节的回复", "Replies asking for specifics"), "crisis.alarm": ("预警", "Alarm"),
    "crisis.buffer_title": ("缓冲：声浪之前的事实帖", "Buffer: factual posts before the wave"),
    "crisis.window": ("负面声量按近 {hours} 小时计（{start} 至 {end}），与 `reef crisis` 同一口径；逐日时间线按自然日计。",
                      "Negative volume over the last {hours:hour} ({start} to {end}), the same figures as `reef crisis`; the "
                      "timeline counts calendar days."),
    "crisis.first_alarm": ("本轮首次预警", "First alarm of this wave"),
    "crisis.shared": ("与{aspect}同帖", "Same posts as {aspect}"), "crisis.p_value": ("p 值", "p-value"),
    "crisis.order": ("默认打开最近一次预警的方面；同时预警的，先看更显著的（p 值更低、倍数更高）。“同帖”是该方面负面帖中也属于所选方面的比例：接近 100% 的是同一波声浪的附带标签，不是另一波。",
                     "Opens on the aspect with the most recent alarm; among those alarmed at once, the strongest "
                     "(lowest p-value, biggest ratio) first. “Same posts” is the share of an aspect's negative posts that are also the "
                     "opened aspect's: near 100% is a side tag of the same wave, not a second one."),
    "crisis.wave_title": ("声浪：{aspect}", "The wave: {aspect}"),
    "crisis.calm_title": ("近 {hours} 小时的负面帖：{aspect}（当前没有声浪）", "Negative posts, last {hours:hour}: {aspect} (no current wave)"),
    "crisis.past_wave": ("上一波声浪已过去：{aspect}，{first} 首次预警、{last} 最后一次预警，距今 {days} 天（超过 {recent} 天即不算当前声浪）。",
                         "The last wave is past: {aspect}, first alarm {first}, last alarm {last}, {days:day} ago "
                         "(older than {recent:day} is no current wave)."),
    "crisis.ladder_behind": ("阶梯阶段取自截至 {at} 的阶梯结果（早于本页时刻，之后的升降未计入）。",
                             "Ladder stages are the ladder's as of {at} (before this moment: later changes are not known)."),
    "crisis.wave_summary": ("自 {start} 起 {n} 个负面帖，{authors} 位作者（其中核心成员 {core} 位），{unanswered} 帖尚无官方回应；"
                            "首次预警 {first}。", "{n:negative post} since {start} by {authors:author} (core members: {core}), "
                            "{unanswered} not yet answered; first alarm {first}."),
    "crisis.growth": ("近 48 小时每小时负面帖", "Negative posts per hour, last 48 hours"), "crisis.per_hour": ("负面帖", "Negative posts"),
    "crisis.stage": ("阶梯阶段", "Ladder stage"), "crisis.core": ("核心", "core"), "crisis.replies": ("回复", "Replies"),
    "crisis.likes": ("点赞", "Likes"), "crisis.answered": ("回应", "Answered"),
    "crisis.staff_replied": ("官方已在帖内回复", "brand/staff replied in thread"),
    "crisis.responded": ("已记录官方回应", "official response recorded"),
    "crisis.unanswered": ("未回应", "unanswered"),
    "crisis.wave_order": ("先回应的在前：未回应的在前，其次明确负面（情感分偏负且判为负面或投诉）的在仅倾向负面的之前，"
                          "再按触达（回复与互动）排，核心成员的帖按双倍计。",
                          "Whom to answer first: unanswered first, then clearly negative posts (a negative-leaning score "
                          "and a negative label or complaint) before those only leaning negative, then by reach (replies "
                          "and interactions), a core member's post counting double."),
    "crisis.facts": ("可引用的官方资料", "Official facts a correction can cite"),
    "crisis.no_wave": ("当前没有负面声浪：缓冲（同话题事实帖对声浪负面帖）和可引用的官方资料只在有声浪时列出。",
                       "No negative wave now: the buffer (factual posts on the wave's topic against its posts) and the "
                       "official facts to cite are listed only while there is a wave."),
    "crisis.no_facts": ("官方资料里没有与该方面相关的条目。", "No official fact names this aspect."),
    "crisis.untested_baseline": ("尚未检验任何方面：负面声浪检验需要 {days} 天基线，最早的负面帖在 {first}，第一次检验在 {at}。",
                                 "No aspect tested yet: the negative-wave test needs {days:day} of baseline; the first "
                                 "negative post is from {first}, the first test is at {at}."),
    "crisis.untested_quiet": ("尚未检验任何方面：近 {days} 天没有负面帖。", "No aspect tested: no negative post in the last {days:day}."),
    "crisis.wave_posts": ("声浪负面帖", "Wave posts"), "crisis.topic_buffer": ("同话题事实帖", "Factual posts on the wave's topic"),
    "crisis.buffer_note": ("缓冲只算声浪开始（{start}）前 {days} 天内、含声浪话题词（{terms}）的事实帖；"
                           "该方面全部事实帖多为别的话题，不能说明这次声浪有人顶着。",
                           "The buffer counts factual posts from the {days:day} before the wave ({start}) that use the "
                           "wave's topic words ({terms}); the aspect's factual posts in general are mostly on other topics "
                           "and do not show anyone is answering this wave."),
    "crisis.partial": ("截至 {until}", "until {until}"),
    "crisis.partial_window": ("过去 {hours} 小时：{start} 至 {until}", "last {hours:hour}: {start} to {until}"),
    "crisis.day_note": ("按自然日计；尚未结束的一天标出所计的过去若干小时，该行各数都按这一窗口计（与预警同一口径）。",
                        "Calendar days; the day not over yet is marked with the last hours it counts, and every figure of that row "
                        "covers that window (as the alert does)."),
    "crisis.why": ("推荐理由", "Why"),
    "crisis.no_pins": ("没有与声浪同话题的事实帖可置顶：需要官方发帖说明。",
                       "No factual post on the wave's topic to pin: an official post is needed."),
    "crisis.surface": ("建议置顶的事实帖（与声浪同话题）", "Factual posts to surface (on the wave's topic)"), "crisis.author": ("作者", "Author"),
    "crisis.surface_calm": ("建议置顶的事实帖（当前没有声浪：该方面的可信事实帖，按可信度排）",
                            "Factual posts to surface (no wave now: the aspect's credible factual posts, by credibility)"),
    "crisis.no_pins_calm": ("该方面没有可置顶的事实帖。", "No factual post on this aspect to pin."),
    "crisis.credibility": ("可信度", "Credibility"), "crisis.claims": ("具体说法", "Claims"),
    "crisis.chart": ("负面帖与基线（虚线为预警日）", "Negative posts vs baseline (dashed lines: alarm days)"),
    "crisis.alarm_days": ("预警日", "Alarm days"),
    "nav.risks": ("风险雷达", "Risk radar"),
    "nav.org": ("组织", "Organisation"),
    "org.none": ("还没有组织分层结果：请先运行 reef analyze。", "No organisation layers yet: run reef analyze first."),
    "org.groups": ("兴趣小组", "Interest groups"), "org.group": ("小组", "Group"), "org.terms": ("高频词", "Top terms"),
    "org.size": ("人数", "Members"), "org.growth": ("增长", "Growth"), "org.health": ("健康度", "Health"),
    "org.leaders": ("建议组长", "Suggested leaders"), "org.group_id": ("小组ID", "Group id"),
    "org.recorded": ("已任命 / 已邀请", "Appointed / invited"), "org.appointed": ("已任命", "appointed"),
    "org.invited": ("已邀请", "invited"), "org.team_name": ("项目团队", "Project team"),
    "org.team_seats": ("在队人数", "Members on it"), "org.team_members": ("成员 · 角色", "Members · role"), "org.plaza": ("广场话题发起者", "Plaza topic starters"),
    "org.seat": ("席位", "Seat"), "org.about": ("车型 · 地区 · 小组", "Model · region · group"), "org.why": ("依据", "Evidence"),
    "org.council": ("顾问团建议名单", "Proposed advisory council"), "org.teams": ("进行中的项目团队", "Active project teams"),
    "org.team_title": ("组建项目团队", "Build a project team"), "org.team_build": ("组建项目团队", "Build a project team"),
    "org.team_intro": ("填写项目需要哪些角色、各几人，系统从人才库里推荐一支团队：每位成员为什么合适、各角色是否配齐，以及每个角色的备选。"
                       "推荐只是建议，点“采用这支团队”后才会记录。",
                       "Say which roles the project needs and how many of each; Reef proposes a team from the talent pool: why each "
                       "member fits, whether every role is covered, and alternatives per role. Nothing is recorded until you adopt the team."),
    "org.team_more": ("更多选项：总人数、项目方面、限定小组、排除成员、备选人数", "More: team size, aspects, group, members to leave out, alternatives"),
    "org.team_submit": ("推荐团队", "Propose a team"),
    "org.team_refused": ("无法推荐：", "Cannot propose a team:"),
    "org.team_operators_only": ("组建团队需要运营人员或管理员权限；你可以查看别人分享的推荐结果。",
                                "Building a team needs an operator or admin; you can view a proposal someone shared with you."),
    "org.team_result": ("推荐的团队：{name}", "Proposed team: {name}"),
    "org.team_deadline": ("截止 {deadline}", "deadline {deadline}"), "org.team_days": ("距截止{days}天", "{days:day} to go"),
    "org.team_as_of": ("人才库数据截至 {as_of}", "talent pool as of {as_of}"),
    "org.team_role": ("角色", "Role"), "org.team_member": ("成员", "Member"), "org.team_fitness": ("适配度", "Fitness"),
    "org.team_why": ("推荐理由", "Why"), "org.team_weak": ("适配偏低", "Weak fit"),
    "org.team_objective": ("综合得分 {total}（适配 {fitness}，协作 {cohesion}，负担 -{penalty}）；只按技能逐个挑选的团队为 {base}。",
                           "Overall score {total} (fitness {fitness}, working together {cohesion}, load -{penalty}); "
                           "picking the most skilled member seat by seat scores {base}."),
    "org.team_adopt": ("采用这支团队", "Adopt this team"),
    "org.team_adopt_note": ("为每位成员记录一条“加入项目团队”（团队：{name}），团队随即出现在组织页的“进行中的项目团队”里。",
                            "Records an “add to a project team” action (team: {name}) for each member; the team then shows among the "
                            "active project teams on the Organisation page."),
    "org.team_adopted": ("已采用团队“{team}”：记录了{n}位成员。", "Adopted team “{team}”: {n:member} recorded."),
    "org.team_coverage": ("角色覆盖", "Role coverage"), "org.team_needed": ("需要", "Needed"), "org.team_filled": ("已安排", "Filled"),
    "org.team_seated": ("已就位", "seated"),
    "org.team_full": ("全部{n}个席位均已就位，无需再推荐。", "{n:seat is|seats are} filled: nothing to propose."),
    "org.team_alternatives": ("各角色备选", "Alternatives per role"), "org.team_replaces": ("可替换", "Would replace"),
    "org.team_change": ("得分变化", "Score change"),
    "risks.none": ("尚未计算风险雷达：请运行 `reef analyze`。", "The risk radar has not been computed: run `reef analyze`."),
    "risks.scores": ("四类风险", "Four risks"), "risks.score": ("分数", "Score"), "risks.level": ("级别", "Level"),
    "risks.part": ("组成部分", "Part"), "risks.value": ("数值", "Value"), "risks.note": ("说明", "Note"),
    "risks.evidence": ("证据", "Evidence"), "risks.subject": ("对象", "Subject"), "risks.trend": ("趋势（每周）", "Trend (weekly)"),
    "risks.alerts": ("风险提醒", "Alerts"), "risks.severity": ("严重度", "Severity"), "risks.family": ("风险", "Risk"), "risks.new": ("新", "New"),
    "risks.care": ("关怀名单", "Care list"), "risks.chart": ("四类风险分数", "The four risk scores"),
    "risks.report": ("风险周报", "Weekly risk report"),
    "risks.report_download": ("下载风险周报（HTML）", "Download the weekly risk report (HTML)"),
    "risks.report_note": ("本页雷达（截至 {as_of}）的四类风险、近几周走势、证据、本周新提醒和关怀名单，单个可打印的 HTML 文件（本页语言，便于转发和粘贴到邮件）；个人信息一律脱敏。",
                          "This page's radar (as of {as_of}): the four risks, recent weeks, evidence, this week's new alerts and the care "
                          "list in one printable HTML file in this page's language (safe to forward or paste into an e-mail); personal data always masked."),
    "level.high": ("高", "High"), "level.medium": ("中", "Medium"), "level.low": ("低", "Low"),
    # 周报 (reef/server/outputs.py): the report as a download, made in the background
    "nav.reports": ("周报", "Weekly report"),
    "reports.make": ("生成周报", "Make the weekly report"), "reports.failed": ("周报未生成：", "The report was not made:"),
    "reports.error.as_of": ("截至日期无效，或比数据的最新日期晚太多：请选数据范围内的日期，或留空（截至数据的最新日期）。",
                            "The as-of date is invalid or too far past the data: pick a date within the data, or leave it "
                            "empty (the data's latest date)."),
    "reports.make_as_of": ("生成周报（截至 {as_of}）", "Make the weekly report (as of {as_of})"),
    "reports.open": ("下载周报", "Download reports"),
    "reports.masked": ("周报中的个人信息（电话、车牌、车架号、证件号、微信/QQ 号）一律脱敏，与导出相同。",
                       "Personal data in reports (phones, plates, VINs, ID numbers, WeChat/QQ ids) is always masked, as in exports."),
    "reports.slow": ("生成前会先按截至时间更新分析，数据量大时需要几分钟；在后台运行，完成后在此下载。",
                     "The analyses are brought up to date first (minutes on a big store), in the background; download it here when done."),
    "reports.viewer": ("周报由运营生成；只读用户可下载已生成的周报。", "Operators make reports; viewers download the reports made."),
    "reports.as_of": ("截至", "As of"), "reports.as_of_hint": ("留空为数据的最后一天", "empty: the end of the data"),
    "reports.lang": ("语言", "Language"), "reports.list": ("已生成的周报", "Reports made"),
    "reports.started": ("已开始生成周报（后台任务 #{job}），完成后在下方下载。",
                        "The report is being made (background job #{job}); download it below when it is done."),
    "reports.html": ("HTML（可打印）", "HTML (printable)"), "reports.md": ("Markdown", "Markdown"),
    "lang.zh": ("中文", "Chinese"), "lang.en": ("英文", "English"),
    # 发送到群 on 风险雷达 (reef/risks/deliveries.py)
    "webhook.title": ("发送到群", "Send to the group"),
    "webhook.target": ("群机器人：{platform} {target}（每分钟最多 {n} 条）", "Robot: {platform} {target} (at most {n:post} a minute)"),
    "webhook.not_configured": ("尚未配置群机器人：在配置文件的 [risks] 中设置 webhook_url（机器人的 Webhook 地址）和 "
                               "webhook_platform（wecom、dingtalk 或 feishu），或添加 [[risks.robots]] 表（多个机器人，各有筛选条件），然后重启 reef serve。",
                               "No group robot is configured: set webhook_url (the robot's webhook address) and webhook_platform "
                               "(wecom, dingtalk or feishu) under [risks], or add [[risks.robots]] tables (several robots, each with a filter), in the "
                               "configuration file, then restart reef serve."),
    "webhook.problem": ("配置的群机器人无法使用：{problem}", "The configured robot cannot be used: {problem}"),
    "webhook.send": ("发送到群", "Send to the group"),
    "webhook.send_note": ("只发送尚未发到该群的新提醒，按每分钟上限在后台发送，其他人照常使用。",
                          "Sends the alerts new for this robot, paced per minute, in the background: nobody else waits."),
    "webhook.resend": ("重发失败", "Re-send failed"),
    "webhook.test": ("发送测试消息", "Send a test message"),
    "webhook.test_sent": ("测试消息已送达群机器人。", "The test message reached the robot."),
    "webhook.test_failed": ("测试消息未送达（至少一个机器人）：原因见下方发送记录。",
                            "The test message did not arrive (at least one robot): the delivery log below gives the reason."),
    "webhook.pending": ("{n} 条提醒发送失败，尚未补发。", "{n:failed delivery is|failed deliveries are} not yet re-sent."),
    "webhook.other": ("管理员：发送到其他机器人（留空为已配置的机器人）", "Admins: send to another robot (empty: the configured one)"),
    "webhook.url": ("Webhook 地址", "Webhook URL"), "webhook.platform": ("平台", "Platform"),
    "webhook.jobs": ("发送任务", "Sends"), "webhook.log": ("发送记录（最近 {n} 条）", "Delivery log (latest {n})"),
    "webhook.log_none": ("还没有发送记录。", "Nothing sent yet."),
    "webhook.sent": ("已发送", "sent"), "webhook.failed": ("失败", "failed"),
    "webhook.attempts": ("尝试次数", "Attempts"), "webhook.error": ("原因", "Reason"), "webhook.alert": ("提醒", "Alert"),
    "webhook.result": ("已发送 {sent}，失败 {failed}", "sent {sent}, failed {failed}"),
    # One row per configured robot ([[risks.robots]] and risks.webhook_url): reef/risks/deliveries.py robot_status
    "webhook.robots": ("群机器人 {n} 个（每个网址每分钟最多 {m} 条；每条提醒发给筛选条件相符的每个机器人）",
                       "{n:robot} (at most {m:post} a minute per URL; each alert goes to every robot whose filter it passes)"),
    "webhook.robot": ("机器人", "Robot"), "webhook.filter": ("筛选", "Filter"),
    "webhook.last_sent": ("最近送达", "Last delivered"), "webhook.last_failure": ("最近失败", "Last failure"),
    "webhook.robot_pending": ("失败待补发", "Failed, not re-sent"),
    "platform.wecom": ("企业微信", "WeCom"), "platform.dingtalk": ("钉钉", "DingTalk"), "platform.feishu": ("飞书", "Feishu"),
    "nav.campaigns": ("活动与涟漪", "Campaigns and ripples"),
    "campaigns.none": ("尚无活动涟漪：请导入带种子成员的活动并运行 `reef analyze`。",
                       "No campaign ripples yet: import campaigns with seed members and run `reef analyze`."),
    "campaigns.list": ("活动", "Campaigns"), "campaigns.rings": ("按圈层的参与者", "Adopters by ring"),
    "campaigns.daily": ("每日新参与者（按圈层）", "New adopters per day, by ring"),
    "campaigns.boost": ("助推名单与建议致谢语", "Boost list with suggested acknowledgements"),
    "campaigns.ring": ("第 {ring} 圈", "Ring {ring}"), "campaigns.carriers": ("传递者", "Carriers"),
    "campaigns.items": ("相关内容", "Items"), "campaigns.seed": ("种子", "Seed"), "campaigns.snippet": ("内容摘要", "Snippet"),
    "campaigns.do_boost": ("记录助推", "Record boost"), "campaigns.topic": ("话题", "Topic"), "campaigns.last_day": ("最近参与", "Last adoption"),
}
