"""The contract's vocabulary: matter types and their attributes, kinds, authorities, attachments.

These codes are fixed by ../shared/spec/CONTRACT.md and shared by every policy pack; what each
matter *requires* lives in the packs, never here.
"""

from __future__ import annotations

from soegov.policy.record import Record


class Label(Record):
    """A code with its Chinese and English names."""

    __slots__ = ("code", "label", "label_en")

    code: str
    label: str
    label_en: str

    def __init__(self, code: str, label: str, label_en: str) -> None:
        self.code = code
        self.label = label
        self.label_en = label_en


class AttributeSpec(Record):
    """One type-specific fact a matter may carry."""

    __slots__ = ("name", "kind", "label", "label_en", "choices", "default")

    name: str
    kind: str  # bool | choice | int | decimal | text
    label: str
    label_en: str
    choices: tuple[str, ...]
    default: object  # used (and said in a note) when the input leaves the fact out

    def __init__(self, name: str, kind: str, label: str, label_en: str, choices: tuple[str, ...] = (), default: object = None) -> None:
        self.name = name
        self.kind = kind
        self.label = label
        self.label_en = label_en
        self.choices = choices
        self.default = default


class MatterType(Record):
    """A kind of matter, with the attributes it accepts."""

    __slots__ = ("code", "label", "label_en", "attributes")

    code: str
    label: str
    label_en: str
    attributes: dict[str, AttributeSpec]

    def __init__(self, code: str, label: str, label_en: str, attributes: dict[str, AttributeSpec] | None = None) -> None:
        self.code = code
        self.label = label
        self.label_en = label_en
        self.attributes = attributes if attributes is not None else dict()


def _labels(rows: list[tuple[str, str, str]]) -> dict[str, Label]:
    return {code: Label(code, zh, en) for code, zh, en in rows}


OWNERSHIPS = _labels([
    ("sole", "国有独资", "wholly state-owned (sole)"),
    ("wholly_owned", "国有全资", "wholly state-owned (several state holders)"),
    ("controlled", "国有控股", "state-controlled"),
    ("de_facto_controlled", "国有实际控股", "de facto state-controlled"),
    ("minority", "国有参股", "state minority stake"),
])

KINDS = _labels([
    ("approval", "审核批准", "approval"),
    ("prior_filing", "事前核准备案", "prior filing"),
    ("post_filing", "事后备案", "post filing"),
    ("report", "报告", "report"),
    ("collective_decision", "“三重一大”集体决策", "collective decision"),
    ("leader_approval", "领导人员权限内审批", "within a leader's authority"),
    ("prohibited", "严控/严禁事项", "prohibited"),
    ("recommendation", "建议任免", "recommendation (the company's own organs decide)"),
])

AUTHORITIES = _labels([
    ("city_government", "市政府", "city government"),
    ("sasac", "国资监管机构", "state-asset supervisor (SASAC)"),
    ("county_government", "县政府常务会议", "county government executive meeting"),
    ("county_soe_party_committee", "县国有企业党工委", "county SOE party working committee"),
    ("county_finance_bureau", "县财政局(县国资委)", "county finance bureau (county SASAC)"),
    ("enterprise", "企业决策机构", "the enterprise's decision bodies"),
    ("level1_enterprise", "市属一级国有企业", "the level-1 state-owned group"),
    ("city_party_committee", "市委(常委会)", "city party committee"),
    ("organization_department", "组织(人事)部门", "organisation (personnel) department"),
    ("discipline_commission", "纪委监委", "discipline inspection and supervision commission"),
])

# Roles an overlay pack names where each jurisdiction has its own body; a local pack maps each role it
# sits under to one of its authorities (pack.yaml `roles`), so an overlay is reusable without code.
ROLES = _labels([
    ("investor", "履行出资人职责的机构", "the body performing the investor's duties"),
])

ATTACHMENTS = _labels([
    ("request_letter", "请示或报告", "request or report letter"),
    ("feasibility_study", "可行性研究报告、专家论证意见或中介机构评估意见", "feasibility study / expert or intermediary opinion"),
    ("valuation_and_audit", "资产评估报告、经审计的财务报告", "asset valuation / audited financial report"),
    ("contract_and_articles", "拟签订(已签订)的合同意见书和章程", "contract opinion and articles of association"),
    ("partner_due_diligence", "合资合作方情况、资信证明、协议草案及尽职调查报告", "partner information, credit and due diligence"),
    ("internal_resolution", "党组织研究意见及董事会、股东会或经理办公会决议", "party organisation opinion and board/shareholder/GM-office resolution"),
    ("government_approval", "政府有关部门批准文件、专业技术鉴定文件、法律意见书", "government approvals, technical appraisals, legal opinions"),
    ("funding_source", "资金来源说明", "statement of funding source"),
    ("legal_opinion", "企业法律顾问出具的法律意见书", "legal opinion of the enterprise's counsel"),
    ("other", "其他有关材料", "other material"),
])

BODIES = _labels([
    ("party_committee", "党委会", "party committee"),
    ("board", "董事会", "board of directors"),
    ("gm_office", "总经理办公会", "general manager's office meeting"),
])

CATEGORIES = _labels([
    ("major_decision", "重大决策", "major decision"),
    ("personnel", "重要人事任免", "important personnel appointment"),
    ("major_project", "重大项目安排", "major project"),
    ("large_fund", "大额度资金运作", "large fund operation"),
])

VOTING_METHODS = _labels([
    ("oral", "口头表决", "oral vote"),
    ("show_of_hands", "举手表决", "show of hands"),
    ("ballot", "投票表决", "ballot"),
])

VOTES = _labels([
    ("for", "赞成", "for"),
    ("against", "反对", "against"),
    ("abstain", "弃权", "abstain"),
])


# The meeting-check codes (violations) with their messages; {member} and {item} are filled in. A pack
# switches each on, cites it and says whether it voids the item (pack.yaml `meeting.checks`).
MEETING_CHECKS = _labels([
    ("no_quorum", "出席的决策机构成员不足法定人数，会议不得召开，所作决定无效",
     "not enough members present: the meeting could not decide"),
    ("not_a_meeting", "以传阅会签、碰头会或个别征求意见等方式作出决策，不符合集体决策要求",
     "decided by circulation, informal huddle or canvassing, not in a meeting"),
    ("ad_hoc_item", "议题“{item}”未列入会前确定的议题，属临时动议，不得决策",
     "item {item} was not on the agenda fixed before the meeting"),
    ("unprepared_item", "议题“{item}”未完成调研论证、沟通协商、征求意见等准备程序，不应提交会议决策",
     "item {item} was put to the meeting before its preparation was complete"),
    ("materials_late", "议题“{item}”的决策材料未提前送达参会人员", "materials for item {item} were not sent in advance"),
    ("no_notice", "会前未向与会人员发出正式通知", "no formal notice was sent before the meeting"),
    ("principal_not_last", "议题“{item}”主要负责人{member}在其他出席成员发表意见之前表态，未执行末位表态制",
     "on item {item} the principal {member} stated a view before every other member present had spoken"),
    ("personnel_not_ballot", "议题“{item}”涉及重要人事任免，未采取投票表决", "personnel item {item} was not decided by ballot"),
    ("recused_member_voted", "{member}应回避议题“{item}”却参与表决，其票不计", "{member} was recused on item {item} but voted; the vote is not counted"),
    ("vote_by_non_member", "{member}不是该决策机构成员，其表决不计", "{member} is not a member of the body; the vote is not counted"),
    ("no_clear_stance", "出席成员{member}未就议题“{item}”表明赞成、反对或弃权的明确态度",
     "{member} was present but stated no clear for/against/abstain on item {item}"),
    ("disputed_not_postponed", "议题“{item}”存在较大争议，非紧急情况下应暂缓决定",
     "item {item} was seriously disputed and, with no emergency, should have been postponed"),
    ("no_item_quorum", "议题“{item}”到会成员不足规定人数（{member}），不得讨论决定",
     "too few members present for item {item} ({member}): it may not be decided"),
    ("bundled_vote", "议题“{item}”与其他议题合并表决，未逐项表决",
     "item {item} was voted together with other items, not item by item"),
    ("not_communicated", "议题“{item}”党政主要领导会前未沟通或未达成原则意见，一般不得上会研究",
     "item {item} went to the meeting without the principal leaders' prior consultation and agreement in principle"),
    ("related_directors_below_three", "议题“{item}”关联董事回避后，出席的无关联关系董事不足三人，应当提交股东会（履行出资人职责的机构）审议",
     "on item {item} fewer than three unrelated directors were present once the related ones withdrew: "
     "the matter goes to the shareholders' meeting (the investor)"),
    ("wrong_chair", "会议未由规定的人员召集和主持（{member}）", "the meeting was not convened and chaired by whom the rules name ({member})"),
    ("required_attendee_absent", "{member}应当列席会议而未列席", "{member} should have attended as a non-voting member but did not"),
    ("oversight_not_informed", "议题“{item}”研究前未提前告知企业纪检委员和监事会、听取其意见",
     "the discipline member and the supervisory board were not told of item {item} beforehand and heard"),
])

# Who convenes and chairs, and who attends without a vote (xundian art. 9): the roles a meeting names.
CHAIR_ROLES = _labels([
    ("party_secretary", "党组织书记", "party secretary"),
    ("chairman", "董事长", "chairman of the board"),
    ("vice_chairman", "副董事长", "vice-chairman of the board"),
    ("general_manager", "总经理", "general manager"),
    ("deputy_general_manager", "副总经理", "deputy general manager"),
    ("other", "其他人员", "someone else"),
])
ATTENDEE_ROLES = _labels([
    ("supervisory_board_chair", "监事会主席", "chair of the supervisory board"),
    ("discipline_member", "纪检委员", "discipline inspection member"),
])


def _b(name: str, zh: str, en: str, default: bool | None = None) -> AttributeSpec:
    return AttributeSpec(name, "bool", zh, en, (), default)


def _c(name: str, zh: str, en: str, *choices: str) -> AttributeSpec:
    return AttributeSpec(name, "choice", zh, en, choices)


def _i(name: str, zh: str, en: str) -> AttributeSpec:
    return AttributeSpec(name, "int", zh, en)


# Facts that decide a reporting clock (yining art. 20) for any matter.
COMMON_ATTRIBUTES: dict[str, AttributeSpec] = {
    a.name: a
    for a in (
        _b("urgent", "特殊紧急情况", "special urgency", default=False),
        _b("major_emergency", "重大紧急事项", "major emergency", default=False),
        _b("work_safety", "安全生产事项", "work-safety matter", default=False),
    )
}

_TYPES: list[tuple[str, str, str, tuple[AttributeSpec, ...]]] = [
    ("restructuring", "合并、分立、改制、解散、申请破产", "merger, division, restructuring, dissolution, bankruptcy",
     (_c("form", "形式", "form", "merger", "division", "restructuring", "dissolution", "bankruptcy"),)),
    ("strategy_plan", "发展战略和规划、中长期调整规划", "development strategy and plans", ()),
    ("main_business", "主业确定及主业调整", "main business definition or change", ()),
    ("annual_investment_plan", "年度投资计划", "annual investment plan", ()),
    ("non_main_investment", "非主业投资方案", "non-core-business investment", ()),
    ("equity_transfer", "产权转让", "transfer of state equity", ()),
    ("asset_transfer", "资产转让", "asset transfer", (AttributeSpec("asset_kind", "text", "资产类别", "kind of asset"),)),
    ("free_transfer", "国有产权无偿划转", "free transfer of state equity",
     (_c("counterparty", "划转对象", "counterparty", "government", "intra_group"),)),
    ("asset_loss_writeoff", "资产损失核销", "write-off of asset losses", ()),
    ("fiscal_fund_application", "财政资金申报", "application for fiscal funds", ()),
    ("expenditure", "资金支出(单笔)", "single payment",
     (_c("purpose", "用途", "purpose", "loan_repayment", "construction_payment", "goods_payment", "payroll", "tax", "other"),
      _c("expense_class", "支出类别", "expense class", "production", "non_production"),
      _b("budgeted", "预算内", "within the budget", default=False))),
    ("party_org_change", "党组织的建立与撤销", "setting up or dissolving a party organisation", ()),
    ("party_membership", "发展党员、党组织关系转接", "party membership and transfers", ()),
    ("party_org_election", "党组织换届、补选、改选", "party organisation elections", ()),
    ("party_life_meeting", "组织生活会、民主生活会", "party life meetings", ()),
    ("capital_budget", "国有资本经营预算方案", "state capital operating budget", ()),
    ("articles_of_association", "公司章程制定或修改", "articles of association", ()),
    ("new_company", "出资设立新公司", "investing to set up a new company", (_i("new_level", "新公司层级", "level of the new company"),)),
    ("capital_change", "增加或减少资本金", "increase or decrease of capital", ()),
    ("statistical_report", "统计报告、财务报告、保值增值情况报告", "statistical, financial and value-preservation reports", ()),
    ("asset_swap", "产权及资产置换、抵账", "swap of equity or assets, offsetting debts", ()),
    ("valuation_report", "资产评估报告核准/备案", "approval or filing of an asset valuation report",
     (_c("act_approved_by", "经济行为批准机构", "who approved the economic act", "city_government", "sasac", "enterprise"),)),
    ("bond_issuance", "公开市场债券发行方案", "public bond issuance", ()),
    ("donation", "对外捐赠(单次)", "single donation", ()),
    ("investment_project", "单项投资项目", "single investment project", (_b("within_annual_plan", "在年度投资计划内", "within the annual plan"),)),
    ("wage_budget", "年度工资总额预算方案", "annual total wage budget", ()),
    ("org_structure", "内设机构设置和调整、年度用工招聘计划", "internal organisation and annual hiring plan", ()),
    ("emergency_measures", "重大法律纠纷、安全事故、质量事故、突发事件的措施和方案", "measures for major disputes, accidents and emergencies", ()),
    ("sensitive_incident_measures", "重大敏感事件、群体性事件的措施及方案", "measures for sensitive or mass incidents", ()),
    ("decision_report", "党委前置研究、董事会决策、“三重一大”决策事项的报告", "report of pre-studies, board and 三重一大 decisions", ()),
    ("board_annual_report", "董事会年度工作报告、董事年度工作总结", "board annual report and directors' summaries", ()),
    ("mid_level_appointment", "中层人员(含副职)考察任免", "appointment of middle managers", ()),
    ("pay_distribution", "中层人员、一般员工薪酬收入分配方案", "pay distribution for managers and staff", ()),
    ("annual_financing_plan", "年度融资计划", "annual financing plan", ()),
    ("equity_acquisition", "股权收购", "equity acquisition", (_b("within_annual_plan", "在年度投资计划内", "within the annual plan"),)),
    ("idle_asset_disposal", "闲置资产处置", "disposal of idle assets",
     (_c("asset_kind", "资产类别", "kind of asset", "fixed_asset", "land"),
      _i("idle_months", "闲置月数", "months idle"),
      _b("involves_transaction", "涉及交易", "involves a transaction", default=False))),
    ("staff_crime", "重要工作人员涉嫌经济或刑事犯罪", "key staff suspected of economic or criminal offences", ()),
    ("business_plan_change", "年度经营计划变更", "change of the annual business plan", (_b("force_majeure", "不可抗力或客观条件变化", "force majeure or changed conditions"),)),
    ("headcount_change", "调整内设机构数量和人员职数", "change of internal units or posts", ()),
    ("new_subsidiary", "新增下级企业", "adding a subordinate enterprise", (_i("new_level", "新企业层级", "level of the new enterprise"),)),
    ("guarantee", "担保、融资、拆借资金给他企业", "guarantee, financing or lending to another company",
     (_b("counterparty_equity_related", "对方与本企业有股权关系", "counterparty is equity-related"),
      _b("guarantee_company", "本企业以担保为主业", "the enterprise is a guarantee company", default=False))),
    ("capital_income_payment", "上交国有资本经营收益", "payment of state capital income", (_b("overdue", "未按期上交", "overdue"),)),
    ("incident", "重大事故、问题和隐患", "major accident, problem or hazard", ()),
    ("integrity_responsibility", "党风廉政建设责任制落实情况", "implementation of integrity responsibility", ()),
    ("litigation", "涉诉案件及重大违纪、违规事件", "litigation and major violations",
     (_b("asset_loss_or_seizure", "造成国有资产损失或资产被查封冻结", "state assets lost, seized or frozen", default=False),)),
    ("financing", "融资项目", "financing project", ()),
    ("derivatives", "期权、期货等金融衍生业务", "options, futures and other derivatives", ()),
    ("unplanned_investment", "计划外追加投资", "unplanned additional investment", ()),
    ("procurement", "重大设备、技术引进和物资购置招投标", "tendering for major equipment, technology and materials", ()),
    ("construction_contract", "重大工程承发包", "major construction contracting", ()),
    ("profit_distribution", "利润分配和弥补亏损", "profit distribution and loss recovery", ()),
    ("budget", "财务预算决算", "financial budget and final accounts", ()),
    ("personnel_appointment", "中层以上经营管理人员、下属企业领导班子任免", "appointment of senior managers and subsidiary leaders",
     (_b("group", "二级国有企业集团", "the enterprise is a level-2 group"),
      AttributeSpec("post", "choice", "拟任免职务", "post", ("discipline_secretary", "other"), "other"))),
    ("delegate_appointment", "向控股参股企业委派股东代表、推荐董事监事经理财务负责人", "delegating representatives or nominating directors to invested companies",
     (_c("delegate_kind", "委派类别", "kind of delegation", "shareholder_representative", "nominee"),)),
    ("policy_implementation", "贯彻落实党和国家路线方针政策、法律法规及上级决定的重大措施",
     "major measures implementing party and state policy, law and higher decisions", ()),
    ("talent_mechanism", "党管人才在企业的实现形式", "how the party's management of talent is realised in the enterprise", ()),
    ("reserve_cadres", "后备领导人才的管理", "management of reserve leaders", ()),
    ("major_reward_sanction", "中层以上经营管理人员及子公司领导班子的重要奖惩", "major rewards and sanctions of managers and subsidiary leaders", ()),
    ("reportable_investment", "应向出资人或分管领导报告的重大投融资事项", "major investment or financing to be reported to the investor", ()),
    ("annual_business_plan", "年度经营计划、投融资计划和年度财务预算", "annual business plan, investment and financing plan, annual budget", ()),
    ("major_risk_event", "危及国有资产安全的重大事件", "major event endangering state assets",
     (_c("event", "事件", "event", "asset_loss", "seizure", "license_revoked", "debt_crisis"),)),
]

MATTER_TYPES: dict[str, MatterType] = {
    code: MatterType(code, zh, en, {**COMMON_ATTRIBUTES, **{a.name: a for a in attrs}})
    for code, zh, en, attrs in _TYPES
}
