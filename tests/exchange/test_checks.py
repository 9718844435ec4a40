"""The collector's §4.1 validation and §4.2 anomalies (types 1–5), each on both sides."""

from __future__ import annotations

import pytest

from soegov.exchange import checks as c
from soegov.exchange.error_codes import PackageError
from soegov.exchange.records import VoteMode
from tests.exchange import samples


def _ctx(**kw):
    items = kw.pop("items", {"F01-001": samples.item()})
    return c.Context(items=items, regulations=kw.pop("regulations", [samples.regulation()]), **kw)


def _types(meeting, ctx):
    return sorted({a.type for a in c.anomalies(meeting, ctx)})


# --- §4.1 -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("record", "field", "says"), [
    (samples.item(code="F01001"), "item_code", "编码格式异常"),
    (samples.item(code="X01-001"), "item_code", "无法通过事项编码找到事项目录"),
    (samples.item(meetings=("党委会", "茶话会")), "item_meeting_list", "会议类型[茶话会]未定义"),
    (samples.item(meetings=()), "item_meeting_list", "至少应有一个决策会议"),
])
def test_item_rules(record, field, says):
    with pytest.raises(PackageError, match=says.replace("[", r"\[").replace("]", r"\]")) as exc:
        c.validate(record)
    assert exc.value.path == field


def test_valid_item_passes():
    c.validate(samples.item())


def test_regulation_rules():
    reg = samples.regulation()
    c.validate(reg, active_items=[])
    reg.regulation_type_name = "管理办法"
    with pytest.raises(PackageError, match="制度类型“管理办法”未定义"):
        c.validate(reg)
    reg = samples.regulation()
    reg.vote_modes.append(VoteMode("F09-009", "全票通过"))
    with pytest.raises(PackageError, match="F09-009"):
        c.validate(reg, active_items=["F01-001"])
    c.validate(samples.regulation(), active_items=["F09-009"])
    reg = samples.regulation(mode="举手")
    with pytest.raises(PackageError, match="表决方式“举手”未定义"):
        c.validate(reg)


@pytest.mark.parametrize(("change", "says"), [
    (lambda m: setattr(m, "meeting_type_name", "碰头会"), "会议类型[碰头会]未定义"),
    (lambda m: setattr(m.subjects[0], "item_codes", ["F09-009"]), "F09-009"),
    (lambda m: setattr(m.subjects[0], "relations", [("旧会议", "旧议题")]), "关联的会议“旧会议”未找到"),
    (lambda m: setattr(m.subjects[0], "relations", [("2026年第1次党委会", "别的")]), "关联的议题“别的”"),
    (lambda m: setattr(m.subjects[0], "source_name", "随便"), "source_name“随便”"),
    (lambda m: setattr(m.subjects[0], "special_name", "随便"), "special_name“随便”"),
    (lambda m: setattr(m.subjects[0], "pass_flag", "同意"), "pass_flag“同意”"),
    (lambda m: setattr(m.subjects[0], "approval_flag", "是"), "approval_flag“是”"),
    (lambda m: setattr(m.subjects[0], "adopt_flag", "通过"), "adopt_flag“通过”"),
])
def test_meeting_and_subject_rules(change, says):
    meeting = samples.meeting()
    stored = {"2026年第1次党委会": {"前置研究"}}
    c.validate(meeting, active_items=["F01-001"], stored_subjects=stored)
    change(meeting)
    with pytest.raises(PackageError, match=says.replace("[", r"\[").replace("]", r"\]")):
        c.validate(meeting, active_items=["F01-001"], stored_subjects=stored)


def test_default_item_code_and_stored_relation_pass():
    meeting = samples.meeting(subjects=[samples.subject(codes=("默认",), relations=(("2026年第1次党委会", "前置研究"),))])
    c.validate(meeting, active_items=[], stored_subjects={"2026年第1次党委会": {"前置研究"}})


# --- §4.2 -----------------------------------------------------------------------------------------

def _board_after_party(board_present: int = 5, yes: int = 5, counsel: bool = True):
    """A party pre-study followed by the board decision on the same item: the configured order."""
    party = samples.meeting(name="党委会前置研究", subjects=[samples.subject(sid="p1", name="研究购置设备")])
    board = samples.meeting(name="董事会决策", type_name="董事会", present=board_present, subjects=[
        samples.subject(sid="b1", name="购置设备", yes=yes, counsel=counsel,
                        relations=(("党委会前置研究", "研究购置设备"),))])
    return party, board


def test_clean_chain_has_no_anomaly():
    party, board = _board_after_party()
    board_reg = samples.regulation()
    board_reg.regulation_name = "董事会议事规则"
    ctx = _ctx(regulations=[board_reg], subjects=c.subject_nodes(party))
    assert c.anomalies(board, ctx) == []
    # The party subject, once the board subject refers back to it, is no longer a missing pre-study.
    ctx = _ctx(subjects={**c.subject_nodes(party), **c.subject_nodes(board)})
    assert c.anomalies(party, ctx) == []


def test_type3_party_meeting_without_later_decision():
    party, _ = _board_after_party()
    assert c.NO_PRESTUDY in _types(party, _ctx(subjects=c.subject_nodes(party)))
    # A one-meeting item needs no follow-up.
    one = _ctx(items={"F01-001": samples.item(meetings=("党委会",))})
    assert c.NO_PRESTUDY not in _types(party, one)


def test_type2_board_before_party_is_wrong_order():
    board = samples.meeting(name="董事会决策", type_name="董事会", subjects=[samples.subject(sid="b1")])
    found = [a for a in c.anomalies(board, _ctx()) if a.type == c.WRONG_ORDER]
    assert found and "党委会→董事会" in found[0].cause
    # Same length, wrong positions: one record per differing position.
    party, board2 = _board_after_party()
    items = {"F01-001": samples.item(meetings=("董事会", "党委会"))}
    wrong = [a for a in c.anomalies(board2, _ctx(items=items, subjects=c.subject_nodes(party)))
             if a.type == c.WRONG_ORDER]
    assert len(wrong) == 2


def test_type2_skipped_when_the_chain_branches():
    s = samples.subject(relations=(("甲会", "甲"), ("乙会", "乙")))
    meeting = samples.meeting(name="董事会决策", type_name="董事会", subjects=[s])
    assert c.WRONG_ORDER not in _types(meeting, _ctx())


@pytest.mark.parametrize(("counsel", "opinion", "legal", "raised"), [
    (False, False, True, True), (True, False, True, False), (False, True, True, False), (False, False, False, False)])
def test_type1_legal_review(counsel, opinion, legal, raised):
    meeting = samples.meeting(subjects=[samples.subject(counsel=counsel, opinion=opinion)])
    ctx = _ctx(items={"F01-001": samples.item(legal=legal, meetings=("党委会",))})
    assert (c.LEGAL_REVIEW in _types(meeting, ctx)) is raised


@pytest.mark.parametrize(("rate", "present", "raised"), [
    ("1/2", 3, False), ("1/2", 2, True), ("2/3", 4, False), ("2/3", 3, True), ("1", 0, False), ("abc", 0, False)])
def test_type4_quorum_from_the_rules_of_procedure(rate, present, raised):
    meeting = samples.meeting(present=present)
    ctx = _ctx(items={"F01-001": samples.item(meetings=("党委会",))}, regulations=[samples.regulation(rate=rate)])
    assert (c.NO_QUORUM in _types(meeting, ctx)) is raised


def test_type4_needs_rules_of_procedure_named_for_the_meeting_type():
    meeting = samples.meeting(type_name="董事会", present=1)
    assert c.NO_QUORUM not in _types(meeting, _ctx())  # only the 党委会议事规则 is stored


@pytest.mark.parametrize(("mode", "present", "yes", "raised"), [
    ("赞成票超过应到会成员人数的1/2", 5, 3, False), ("赞成票超过应到会成员人数的1/2", 5, 2, True),
    ("赞成票超过应到会成员人数的2/3", 5, 4, False), ("赞成票超过应到会成员人数的2/3", 5, 3, True),
    ("全票通过", 5, 5, False), ("全票通过", 5, 4, True),
    ("赞成票超过到会成员人数的1/2", 3, 3, False), ("赞成票超过到会成员人数的1/2", 3, 2, True),
])
def test_type5_votes_short_of_the_vote_mode(mode, present, yes, raised):
    meeting = samples.meeting(present=present, subjects=[samples.subject(yes=yes)])
    ctx = _ctx(items={"F01-001": samples.item(meetings=("党委会",))}, regulations=[samples.regulation(mode=mode)])
    assert (c.VOTES_SHORT in _types(meeting, ctx)) is raised


def test_type5_only_for_passed_subjects():
    s = samples.subject(yes=0)
    s.pass_flag = "否决"
    meeting = samples.meeting(subjects=[s])
    assert c.VOTES_SHORT not in _types(meeting, _ctx(items={"F01-001": samples.item(meetings=("党委会",))}))


# --- the engine's judgement (xundian-2020 art. 11) ----------------------------------------------------

@pytest.mark.parametrize(("present", "yes", "types"), [
    (3, 3, set()), (2, 2, {c.NO_QUORUM}), (5, 3, set()), (5, 2, {c.VOTES_SHORT})])
def test_engine_judges_quorum_and_majority_on_both_sides(present, yes, types):
    meeting = samples.meeting(present=present, subjects=[samples.subject(yes=yes)])
    found = c.engine_anomalies(meeting, policy="xundian-2020", members=samples.MEMBERS, principal="张书记")
    assert {a.type for a in found} == types
    if found:
        assert "引擎判定" in found[0].cause


def test_engine_skips_unknown_bodies_and_applies_the_national_layer_where_the_pack_has_no_meeting_rules():
    meeting = samples.meeting(present=1)
    assert c.engine_anomalies(meeting, policy="xundian-2020", members=[]) == []
    other = samples.meeting(type_name="其他", present=1)
    assert c.engine_anomalies(other, policy="xundian-2020", members=samples.MEMBERS) == []
    # Yining sets no meeting rules, but the national layer binds its party committees: 1 vote of 5 does not carry.
    assert [a.type for a in c.engine_anomalies(meeting, policy="yining-2024", members=samples.MEMBERS)] == [5]


# --- a secret ballot: no per-person result, the tally in subject_result ----------------------------------

def _ballot(yes: int, against: int, abstain: int = 0):
    s = samples.subject()
    s.deliberations = [(m, c.BALLOT_WORD) for m in samples.MEMBERS]
    s.subject_result = f"同意任命；无记名投票：同意 {yes} 票、反对 {against} 票、弃权 {abstain} 票"
    return s


@pytest.mark.parametrize(("yes", "against", "raised"), [(3, 2, False), (2, 3, True), (5, 0, False), (0, 5, True)])
def test_type5_reads_a_ballots_tally(yes, against, raised):
    meeting = samples.meeting(subjects=[_ballot(yes, against)])
    ctx = _ctx(items={"F01-001": samples.item(meetings=("党委会",))}, regulations=[samples.regulation()])
    assert (c.VOTES_SHORT in _types(meeting, ctx)) is raised
    found = c.engine_anomalies(meeting, policy="xundian-2020", members=samples.MEMBERS, principal="张书记")
    assert ({a.type for a in found} == {c.VOTES_SHORT}) is raised


def test_a_ballot_without_a_readable_tally_counts_no_yes_vote():
    s = _ballot(5, 0)
    s.subject_result = "同意任命"
    assert c.ballot_tally(s) == (0, 0, 0)
    assert c.ballot_tally(samples.subject()) is None
