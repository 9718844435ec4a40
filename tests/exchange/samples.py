"""Sample packages for the exchange tests (plain data, no database)."""

from __future__ import annotations

from soegov.exchange.records import Attendee, Item, Meeting, Regulation, Subject, VoteMode

MEMBERS = ["张书记", "李董事长", "王总经理", "赵委员", "钱委员"]


def item(code: str = "F01-001", meetings: tuple[str, ...] = ("党委会", "董事会"), legal: bool = True) -> Item:
    return Item(item_id=f"id-{code}", item_name=f"事项{code}", item_code=code, meetings=list(meetings), legal_flag=legal)


def regulation(rate: str = "1/2", mode: str = "赞成票超过应到会成员人数的1/2") -> Regulation:
    return Regulation(regulation_id="reg-1", regulation_name="党委会议事规则", regulation_type_name="议事规则",
                      approval_date="2024-01-05", effective_date="2024-01-10", audit_flag=True, rate=rate,
                      vote_modes=[VoteMode("默认", mode)], formal_files={"党委会议事规则.pdf": b"%PDF-1.4 rules"},
                      evidence_files={"合法性审查意见.pdf": b"%PDF-1.4 review"})


def subject(sid: str = "s1", name: str = "购置设备", codes: tuple[str, ...] = ("F01-001",), yes: int = 5,
            relations: tuple[tuple[str, str], ...] = (), counsel: bool = True, opinion: bool = False) -> Subject:
    return Subject(subject_id=sid, subject_name=name, item_codes=list(codes), pass_flag="通过", approval_flag="否",
                   adopt_flag="是", subject_result="同意", source_name="企业自主决策",
                   attendances=[("孙律师", "法律顾问" if counsel else "财务部长")],
                   deliberations=[(m, "同意" if i < yes else "不同意") for i, m in enumerate(MEMBERS)],
                   relations=list(relations),
                   opinion_files={"法律意见书.pdf": b"%PDF-1.4 opinion"} if opinion else {},
                   material_files={"可行性报告.docx": b"PK docx bytes"})


def meeting(name: str = "2026年第5次党委会", type_name: str = "党委会", present: int = 5,
            subjects: list[Subject] | None = None) -> Meeting:
    return Meeting(meeting_id=f"m-{name}", meeting_name=name, meeting_type_name=type_name, meeting_time="2026-11-20",
                   moderator="张书记",
                   attendees=[Attendee(m, i < present, "" if i < present else "出差") for i, m in enumerate(MEMBERS)],
                   subjects=subjects if subjects is not None else [subject()],
                   minutes_files={"会议纪要.pdf": b"%PDF-1.4 minutes"}, notice_files={"会议通知.pdf": b"%PDF-1.4 notice"})
