"""QA pass on the leaders pages: refused forms keep what was typed, each page cites its own pack, the score
is shown as a percentage on a stated scale, and an intended 403 is one log line, not a traceback."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from soegov.leaders import appointments, contracts, pay
from soegov.leaders.models import Appointment, PayRecord, PerformanceContract
from tests.factories import EnterpriseFactory, JurisdictionFactory
from tests.leaders.factories import PDF, TARGETS, doc, leader, reviewer, sanction, tree

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)
    return c


def xundian() -> dict:
    j = JurisdictionFactory(policy_packs=["xundian-2020"])
    l1 = EnterpriseFactory(jurisdiction=j, name="寻甸县测试集团")
    return {"j": j, "l1": l1}


def test_refused_start_and_step_keep_what_was_typed() -> None:
    t = tree()
    c = _client(reviewer(t["j"]))
    url = f"/leaders/enterprise/{t['l2'].pk}/act/appoint/"
    r = c.post(url, {"kind": "appoint", "person_name": "钱七", "post": "deputy_gm", "term_start": "2025-02-30"})
    page = r.content.decode()
    assert r.status_code == 400 and 'role="alert"' in page and not Appointment.objects.exists()
    assert 'value="钱七"' in page and 'value="2025-02-30"' in page and '<option value="deputy_gm" selected>' in page
    c.post(url, {"kind": "appoint", "person_name": "钱七", "post": "general_manager", "term_start": "2025-04-01"})
    appt = Appointment.objects.get()
    r = c.post(f"/leaders/appointments/{appt.pk}/act/step/", {
        "version": appt.version, "title": "提名文件", "doc_number": "伊测党〔2025〕3号", "decided_on": "2025-03-01",
        "comment": "经党委会研究"})
    page = r.content.decode()
    assert r.status_code == 400 and "请上传文件" in page
    assert 'value="伊测党〔2025〕3号"' in page and 'value="提名文件"' in page and 'value="2025-03-01"' in page
    assert 'value="经党委会研究"' in page and appt.done_steps.count() == 0


def test_refused_contract_score_and_pay_keep_what_was_typed() -> None:
    t = tree()
    rev = reviewer(t["j"])
    gm = leader(t["l2"], "张三")
    c = _client(rev)
    rows = {"t_name": ["利润总额", "营业收入", "资产负债率", ""], "t_unit": ["万元", "万元", "%", ""],
            "t_weight": ["50", "30", "19", ""], "t_target": ["1000", "5000", "60", ""],
            "t_direction": ["higher", "higher", "lower", "higher"]}
    r = c.post(f"/leaders/{gm.pk}/act/sign/", {"kind": "annual", "year": "2025", "signed_on": "2025-01-15", **rows})
    page = r.content.decode()
    assert r.status_code == 400 and "权重合计应为 100，现为 99" in page
    assert 'value="资产负债率"' in page and 'name="t_weight" value="19"' in page  # each row as typed
    assert 'id="c_signed" value="2025-01-15"' in page and not PerformanceContract.objects.exists()
    contract = contracts.contract_sign(actor=rev, leader=gm, kind="annual", year=2025, targets=TARGETS, signed_on="2025-01-15")
    r = c.post(f"/leaders/{gm.pk}/act/score/", {"contract": contract.pk, "version": contract.version, "result_0": "1100",
                                                 "result_1": "五千", "result_2": "55", "scored_on": "2025-12-20",
                                                 "reward": "发放绩效年薪"})
    page = r.content.decode()
    assert r.status_code == 400 and "不是数字" in page
    for v in ('value="1100"', 'value="五千"', 'value="55"', 'value="2025-12-20"', 'value="发放绩效年薪"'):
        assert v in page
    # The amounts are checked before the file: the user sees the amount error, and keeps what was typed.
    r = c.post(f"/leaders/{gm.pk}/act/pay/", {"year": "2025", "base_pay": "30万", "performance_pay": "200000",
                                               "tenure_incentive": "0", "decision_number": "伊国资发〔2025〕8号"})
    page = r.content.decode()
    assert r.status_code == 400 and "基本年薪" in page and "请上传文件" not in page
    assert 'value="30万"' in page and 'value="伊国资发〔2025〕8号"' in page and 'value="200000"' in page
    r = c.post(f"/leaders/{gm.pk}/act/pay/", {"year": "2025", "base_pay": "300000", "performance_pay": "200000",
                                               "tenure_incentive": "0", "decision_number": "伊国资发〔2025〕8号"})
    assert r.status_code == 400 and "请上传文件" in r.content.decode() and 'value="300000"' in r.content.decode()
    r = c.post(f"/leaders/{gm.pk}/act/pay/", {"year": "2025", "base_pay": "300000", "performance_pay": "200000",
                                               "tenure_incentive": "0", "decision_number": "伊国资发〔2025〕8号",
                                               "title": "薪酬决定", "file": SimpleUploadedFile("p.pdf", PDF)})
    assert r.status_code == 302 and PayRecord.objects.get().base_pay == 300000


def test_the_pay_form_is_open_while_no_pay_is_recorded_and_asks_for_its_file_at_once() -> None:
    import re

    t = tree()
    rev = reviewer(t["j"])
    gm = leader(t["l2"], "张三")
    page = _client(rev).get(f"/leaders/{gm.pk}/").content.decode()
    assert re.search(r'<details id="pay-form" open>', page)
    file_input = re.search(r'<input type="file" name="file" id="p_file"[^>]*>', page)
    assert file_input and " required" in file_input.group(0) and "决定文件（必填" in page
    pay.pay_set(actor=rev, leader=gm, year=2025, base_pay="300000", performance_pay="200000", tenure_incentive="0",
                decision_number="伊国资发〔2025〕8号", decision=doc(gm.enterprise, actor=rev))
    page = _client(rev).get(f"/leaders/{gm.pk}/").content.decode()
    assert '<details id="pay-form">' in page  # folded once a year's pay is on the page


def test_targets_are_typed_one_row_each_and_a_row_is_added_without_script() -> None:
    t = tree()
    rev = reviewer(t["j"])
    gm = leader(t["l2"], "张三")
    c = _client(rev)
    page = c.get(f"/leaders/{gm.pk}/").content.decode()
    assert page.count('name="t_name"') == 4 and "名称|单位" not in page  # three example rows and a blank one
    rows = {"t_name": ["利润总额", "营业收入", ""], "t_unit": ["万元", "万元", ""], "t_weight": ["60", "40", ""],
            "t_target": ["1000", "5000", ""], "t_direction": ["higher", "lower", "higher"]}
    base = {"kind": "annual", "year": "2025", "signed_on": "2025-01-15"}
    more = c.post(f"/leaders/{gm.pk}/act/sign/", {**base, **rows, "add_row": "1"})
    page = more.content.decode()
    assert more.status_code == 200 and page.count('name="t_name"') == 4 and 'value="营业收入"' in page
    assert not PerformanceContract.objects.exists()  # adding a row saves nothing
    assert c.post(f"/leaders/{gm.pk}/act/sign/", {**base, **rows}).status_code == 302
    targets = PerformanceContract.objects.get().targets
    assert [(x["name"], x["direction"]) for x in targets] == [("利润总额", "higher"), ("营业收入", "lower")]


def test_achievement_as_percentage_and_the_scale_explained() -> None:
    t = tree()
    rev = reviewer(t["j"])
    gm = leader(t["l2"], "张三")
    contract = contracts.contract_sign(actor=rev, leader=gm, kind="annual", year=2025, targets=TARGETS, signed_on="2025-01-15")
    contracts.contract_score(actor=rev, contract=contract, results=["1100", "5000", "60"], scored_on="2025-12-20")
    page = _client(rev).get(f"/leaders/{gm.pk}/").content.decode()
    assert "<td>110.00 %</td>" in page and "<td>100.00 %</td>" in page and "1.1000" not in page
    assert "100 分表示每项指标恰好完成目标" in page and "最高按 120 % 计" in page


def test_yining_page_cites_only_yining() -> None:
    t = tree()
    rev = reviewer(t["j"])
    gm = leader(t["l2"], "张三")
    pay.pay_set(actor=rev, leader=gm, year=2025, base_pay="300000", performance_pay="200000", tenure_incentive="0",
                decision_number="伊国资发〔2025〕8号", decision=doc(t["l2"]))
    sanction(t["l2"], "张三", 2025, tier="circulated_criticism", rate="0", policy="yining-2024")
    c = _client(rev)
    page = c.get(f"/leaders/{gm.pk}/").content.decode()
    assert "寻甸" not in page and "伊宁办法第九条" in page and "伊宁办法第十条" in page
    assert "伊宁办法第三十条未规定扣减薪酬" in page and 'id="sanction-form"' not in page
    assert "寻甸" not in c.get(f"/leaders/enterprise/{t['l2'].pk}/").content.decode()
    assert "寻甸" not in c.get("/leaders/").content.decode()


def test_xundian_page_cites_only_xundian() -> None:
    x = xundian()
    rev = reviewer(x["j"])
    gm = leader(x["l1"], "李四")
    pay.pay_set(actor=rev, leader=gm, year=2025, base_pay="300000", performance_pay="200000", tenure_incentive="0",
                decision_number="寻国资〔2025〕8号", decision=doc(x["l1"]))
    sanction(x["l1"], "李四", 2025, tier="accountability", rate="0.05")
    c = _client(rev)
    page = c.get(f"/leaders/{gm.pk}/").content.decode()
    assert "伊宁" not in page and "本企业主要负责人（寻甸办法第二十二条）" in page
    assert "按寻甸办法第三十二条扣减" in page and "寻甸办法第二十八条" in page
    l2 = EnterpriseFactory(parent=x["l1"], name="寻甸县测试二级公司")
    page = c.get(f"/leaders/enterprise/{l2.pk}/").content.decode()
    assert "伊宁" not in page and "第七条" not in page and "第八条" not in page and "未规定企业领导人员任免程序" in page
    index = c.get("/leaders/").content.decode()
    assert "伊宁" not in index and "第七条" not in index and "第八条" not in index


def test_intended_403_is_one_log_line_without_traceback(caplog: pytest.LogCaptureFixture) -> None:
    t = tree()
    gm = leader(t["l2"], "张三")
    c = _client(reviewer(t["j"], entitled=False))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        r = c.get(f"/leaders/{gm.pk}/")
        r2 = c.post(f"/leaders/{gm.pk}/act/pay/", {"year": "2025", "base_pay": "1", "performance_pay": "1",
                                                    "decision_number": "x", "file": SimpleUploadedFile("p.pdf", PDF)})
    assert r.status_code == 403 and r2.status_code == 403 and "个人信息" in r.content.decode()
    forbidden = [rec for rec in caplog.records if "Forbidden" in rec.getMessage()]
    assert len(forbidden) == 2 and not any(rec.exc_info for rec in forbidden)


def test_refused_recruitment_result_keeps_what_was_typed() -> None:
    t = tree()
    rev = reviewer(t["j"])
    rec = appointments.recruitment_open(actor=rev, enterprise=t["l2"], post="general_manager", decision=doc(t["l2"]),
                                        decided_on="2025-03-01", announcement="公开选聘总经理一名")
    r = _client(rev).post(f"/leaders/recruitments/{rec.pk}/close/", {"version": rec.version, "recruitment": rec.pk,
                                                                     "hired": "1", "hired_name": "", "result": "经考察选出一人"})
    page = r.content.decode()
    assert r.status_code == 400 and "聘任人选" in page and 'value="经考察选出一人"' in page
    rec.refresh_from_db()
    assert rec.status == "open"


def test_a_refused_step_takes_its_upload_back() -> None:
    """A step refused after its file was sent leaves no document record and no stored file behind."""
    import hashlib

    from soegov.core.files import file_exists
    from soegov.leaders.models import Document

    t = tree()
    c = _client(reviewer(t["j"]))
    c.post(f"/leaders/enterprise/{t['l2'].pk}/act/appoint/",
           {"kind": "appoint", "person_name": "钱七", "post": "general_manager", "term_start": "2025-04-01"})
    appt = Appointment.objects.get()
    data = PDF + b"% only in this test\n"
    r = c.post(f"/leaders/appointments/{appt.pk}/act/step/", {
        "version": appt.version, "title": "提名文件", "doc_number": "伊测党〔2025〕3号", "decided_on": "2999-01-01",
        "file": SimpleUploadedFile("提名.pdf", data, content_type="application/pdf")})
    assert r.status_code == 400 and "日期不能晚于今天" in r.content.decode()
    assert not Document.objects.exists() and appt.done_steps.count() == 0
    assert not file_exists(hashlib.sha256(data).hexdigest())
