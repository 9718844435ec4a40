"""Global search: every word narrows, each kind is scoped and gated as its list and page are, the grouped page
and the API answer with flat query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from soegov.accounts.roles import Role
from soegov.matters.models import Matter
from soegov.oversight.models import Case
from soegov.search.selectors import KINDS, grouped, kinds_for
from tests.bulk import make_findings, make_matters, make_meetings
from tests.factories import EnterpriseFactory, JurisdictionFactory, UserFactory
from tests.leaders.factories import leader
from tests.meetings.factories import make_body
from tests.querycount import queries, query_texts

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _matter(enterprise: Any, title: str, **kw: Any) -> Matter:
    return Matter.objects.create(enterprise=enterprise, policy="yining-2024", matter_type="donation", title=title,
                                 occurred_on=dt.date(2026, 3, 2), **kw)


@pytest.fixture
def world() -> dict[str, Any]:
    yn = JurisdictionFactory(code="yn", name="伊宁市", policy_packs=["yining-2024"])
    other = JurisdictionFactory(code="elsewhere", name="别处市", policy_packs=["yining-2024"])
    water = EnterpriseFactory(jurisdiction=yn, name="伊宁市供排水有限责任公司")
    child = EnterpriseFactory(parent=water, name="伊宁市净水科技有限公司")
    city = EnterpriseFactory(jurisdiction=yn, name="伊宁市城投建设工程有限公司")
    far = EnterpriseFactory(jurisdiction=other, name="别处市供排水有限责任公司")
    return {"yn": yn, "water": water, "child": child, "city": city, "far": far,
            "reviewer": UserFactory(role=Role.SUPERVISOR_REVIEWER, jurisdiction=yn),
            "filer": UserFactory(role=Role.ENTERPRISE_FILER, enterprise=water)}


def _titles(user: Any, q: str, kind: str = "matters") -> set[str]:
    return {h.title for g in grouped(user, q, shown=50) if g.kind.key == kind for h in g.hits}


def test_every_word_narrows_across_title_number_and_enterprise(world: dict[str, Any]) -> None:
    _matter(world["water"], "出售闲置厂房", doc_number="伊供排水发〔2026〕7号")
    _matter(world["water"], "转让土地使用权")
    _matter(world["city"], "出售闲置设备")
    r = world["reviewer"]
    assert _titles(r, "出售") == {"出售闲置厂房", "出售闲置设备"}
    assert _titles(r, "出售 供排水") == {"出售闲置厂房"}  # a word of the title and a word of the enterprise's name
    assert _titles(r, "供排水　厂房") == {"出售闲置厂房"}  # the full-width space of a Chinese keyboard splits too
    assert _titles(r, "〔2026〕7号") == {"出售闲置厂房"}  # the 文号
    assert _titles(r, "出售 土地") == set()


def test_each_kind_is_found_by_its_words(world: dict[str, Any]) -> None:
    body = make_body(world["water"], kind="board")
    from tests.meetings.factories import MeetingFactory, TopicFactory

    MeetingFactory(body=body, title="2026年第3次董事会")
    TopicFactory(enterprise=world["water"], title="管网改造投资方案")
    case = Case.objects.create(enterprise=world["water"], policy="yining-2024", title="管网工程违规分包追责",
                               facts="x", violation="yn29_2", doc_number="伊国资追〔2026〕2号")
    leader(world["water"], name="张伟", post="general_manager")
    inspector = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=world["yn"])
    make_findings([world["water"]], 1)
    assert _titles(inspector, "第3次 董事会", "meetings") == {"2026年第3次董事会"}
    assert _titles(inspector, "管网 方案", "topics") == {"管网改造投资方案"}
    assert _titles(inspector, "追〔2026〕2号", "cases") == {case.title}
    assert _titles(inspector, "张伟 供排水", "leaders") == {"张伟"}
    assert _titles(inspector, "拆分支付", "findings") == {"疑似化整为零"}  # shown by its Chinese name, not its code
    assert _titles(inspector, "净水", "enterprises") == {"伊宁市净水科技有限公司"}
    assert _titles(inspector, world["child"].uscc[-6:], "enterprises") == {"伊宁市净水科技有限公司"}


def test_scope_is_the_lists_scope(world: dict[str, Any]) -> None:
    _matter(world["water"], "供水管网改造")
    _matter(world["child"], "净水设备采购")
    _matter(world["city"], "城投管网改造")
    _matter(world["far"], "别处管网改造")
    assert _titles(world["reviewer"], "管网") == {"供水管网改造", "城投管网改造"}  # his jurisdiction only
    assert _titles(world["filer"], "管网") == {"供水管网改造"}  # his enterprise and its subsidiaries
    assert _titles(world["filer"], "采购") == {"净水设备采购"}
    assert _titles(world["filer"], "供排水", "enterprises") == {"伊宁市供排水有限责任公司"}


def test_kinds_follow_the_gates_of_the_pages_they_open(world: dict[str, Any]) -> None:
    keys = {k.key for k in kinds_for(world["filer"])}
    assert "cases" not in keys and "findings" not in keys and "matters" in keys  # supervisor_page
    assert {k.key for k in kinds_for(world["reviewer"])} == set(KINDS)
    admin = UserFactory(role=Role.SYSTEM_ADMIN)
    assert kinds_for(admin) == []  # 三员分立: no business data, and no search box
    assert 'id="top-q"' not in _client(admin).get("/").content.decode()
    assert 'id="top-q"' in _client(world["filer"]).get("/").content.decode()
    # A kind the role may not open is not answered even when asked for by name.
    Case.objects.create(enterprise=world["water"], policy="yining-2024", title="供排水追责", facts="x", violation="yn29_2")
    page = _client(world["filer"]).get("/search/", {"q": "供排水", "kind": "cases"}).content.decode()
    assert "供排水追责" not in page
    assert _client(world["filer"]).get("/api/v1/search/cases", {"q": "供排水"}).status_code == 404


def test_the_page_groups_counts_and_pages_one_kind(world: dict[str, Any]) -> None:
    for i in range(7):
        _matter(world["water"], f"管网改造第{i}期")
    c = _client(world["reviewer"])
    page = c.get("/search/", {"q": "管网"}).content.decode()
    assert "重大事项 7" in page and "查看全部 7 条重大事项" in page
    assert page.count('class="hit-title"') == 5  # the first five; the rest one click away
    one = c.get("/search/", {"q": "管网", "kind": "matters", "size": "3", "page": "3"}).content.decode()
    assert one.count('class="hit-title"') == 1 and "第 3 / 3 页" in one
    assert 'href="/matters/' in one


def test_a_capped_count_is_shown_as_a_lower_bound(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("soegov.search.selectors.COUNT_CAP", 6)
    for i in range(7):
        _matter(world["water"], f"管网改造第{i}期")
    page = _client(world["reviewer"]).get("/search/", {"q": "管网"}).content.decode()
    assert "全部 6+" in page and "重大事项 6+" in page and "查看全部超过 6 条重大事项" in page
    assert "查看全部 6 条" not in page


def test_no_words_and_bad_input_answer_plainly(world: dict[str, Any]) -> None:
    c = _client(world["reviewer"])
    for q in ("", "   ", "　"):
        r = c.get("/search/", {"q": q})
        assert r.status_code == 200 and "即可在您有权查看的范围内查找" in r.content.decode()
    r = c.get("/search/", {"q": "长" * 5000, "kind": "nonsense", "page": "abc"})
    assert r.status_code == 200 and "没有找到" in r.content.decode()
    r = c.get("/search/", {"q": "%_\\' OR 1=1 --"})
    assert r.status_code == 200 and "没有找到" in r.content.decode()


def test_the_api_groups_and_pages(world: dict[str, Any]) -> None:
    for i in range(3):
        _matter(world["water"], f"管网改造第{i}期")
    c = _client(world["reviewer"])
    body = c.get("/api/v1/search", {"q": "管网 改造"}).json()
    assert [(g["kind"], g["count"]) for g in body] == [("matters", 3)]
    assert body[0]["hits"][0]["url"].startswith("/matters/")
    r = c.get("/api/v1/search/matters", {"q": "管网", "limit": 2})
    assert len(r.json()) == 2 and r["X-Total-Count"] == "3" and 'rel="next"' in r["Link"]
    assert c.get("/api/v1/search/nonsense", {"q": "管网"}).status_code == 404


def test_the_grouped_page_runs_the_same_queries_at_ten_times_the_rows(world: dict[str, Any]) -> None:
    inspector = UserFactory(role=Role.SUPERVISOR_INSPECTOR, jurisdiction=world["yn"])
    ents = [world["water"], world["city"]]
    bodies = [make_body(e, kind="board") for e in ents]
    c = _client(inspector)
    url = "/search/?q=有限 公司"

    def add(n: int) -> None:
        make_matters(ents, n)
        make_meetings(bodies, n)
        make_findings(ents, n, cases_every=1)
        for i in range(n):
            leader(ents[i % 2], name=f"领导{i}", post="deputy_gm")

    add(8)
    small = queries(c, url)
    add(72)
    large = queries(c, url)
    assert large == small, query_texts(c, url)
    page = c.get(url).content.decode()
    for label in ("重大事项", "决策会议", "追责案件", "台账检查发现", "企业领导人员", "企业"):
        assert f"{label} <span" in page
    assert "查看全部 80 条重大事项" in page


def test_a_token_limited_to_some_parts_of_the_api_finds_only_their_kinds(world: dict[str, Any]) -> None:
    from soegov.accounts import services as account_services

    _matter(world["water"], "供排水管网改造")
    r = world["reviewer"]
    _, matters_only = account_services.token_create(actor=r, name="事项脚本", apis=["matters"])
    _, registry_only = account_services.token_create(actor=r, name="名录脚本", apis=["registry"])
    _, everything = account_services.token_create(actor=r, name="全部")

    def kinds(key: str, path: str = "/api/v1/search") -> list[str]:
        answer = Client().get(path, {"q": "供排水"}, HTTP_AUTHORIZATION=f"Bearer {key}")
        return [g["kind"] for g in answer.json()] if answer.status_code == 200 else [str(answer.status_code)]

    assert kinds(matters_only) == ["matters"]
    assert kinds(registry_only) == ["enterprises"]
    assert kinds(everything) == ["matters", "enterprises"]
    assert Client().get("/api/v1/search/enterprises", {"q": "供排水"},
                        HTTP_AUTHORIZATION=f"Bearer {matters_only}").status_code == 404


def test_a_meeting_is_found_by_its_minutes_number_and_words_are_marked(world: dict[str, Any]) -> None:
    from soegov.meetings.models import Minutes
    from tests.meetings.factories import MeetingFactory

    meeting = MeetingFactory(body=make_body(world["water"], kind="board"), title="2026年第5次董事会")
    Minutes.objects.create(meeting=meeting, doc_number="伊供排水纪〔2026〕5号")
    assert _titles(world["reviewer"], "纪〔2026〕5号", "meetings") == {"2026年第5次董事会"}
    page = _client(world["reviewer"]).get("/search/", {"q": "董事会 <b>"}).content.decode()
    assert "没有找到" in page  # "<b>" is a word like any other, and it is in no title
    page = _client(world["reviewer"]).get("/search/", {"q": "第5次 纪〔2026〕"}).content.decode()
    assert "2026年<mark>第5次</mark>董事会" in page and "伊供排水<mark>纪〔2026〕</mark>5号" in page


def test_marked_escapes_text_and_words() -> None:
    from soegov.web.templatetags.soegov_tags import marked

    assert marked("a&b <i>x</i> AMP", ["amp", "<i>"]) == "a&amp;b <mark>&lt;i&gt;</mark>x&lt;/i&gt; <mark>AMP</mark>"
    assert marked("<script>", []) == "&lt;script&gt;"


def test_one_kind_paged_runs_the_same_queries_at_ten_times_the_rows(world: dict[str, Any]) -> None:
    c = _client(world["reviewer"])
    url = "/search/?q=有限 公司&kind=matters"
    make_matters([world["water"], world["city"]], 60)
    small = queries(c, url)
    make_matters([world["water"], world["city"]], 540)
    assert queries(c, url) == small, query_texts(c, url)
    api = "/api/v1/search/matters?q=有限 公司&limit=50"
    small = queries(c, api)
    make_matters([world["water"], world["city"]], 60)
    assert queries(c, api) == small, query_texts(c, api)
