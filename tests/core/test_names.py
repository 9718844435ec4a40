"""soegov.core.names: the words a reader gets for the codes the engine speaks in (pages and the CLI's reports)."""

from __future__ import annotations

from soegov.core.names import cited, pack_title, plain


def test_a_pack_and_a_national_text_are_named_by_their_titles() -> None:
    assert pack_title("yining-2024") == "伊宁市市属国有企业监督管理办法"
    # The national texts are no packs: the overlay that quotes them holds their titles.
    assert pack_title("prc-company-law-2023") == "中华人民共和国公司法（2023年修订）"
    assert pack_title("cpc-constitution") == "中国共产党章程"
    assert pack_title("no-such-text") == "no-such-text"


def test_a_citation_in_a_text_reads_as_the_regulation_and_its_article() -> None:
    assert plain("须报市政府批准（yining-2024 第12条第6项）") == "须报市政府批准（《伊宁市市属国有企业监督管理办法》第12条第6项）"
    assert plain("国家层面规则 3（prc-company-law-2023 第73条）") == "国家层面规则 3（《中华人民共和国公司法（2023年修订）》第73条）"
    assert plain("依《cpc-party-group-regulations》第27条") == "依《中国共产党党组工作条例》第27条"


def test_what_names_no_document_stays_as_written() -> None:
    # A date, an address, a file name or a hyphenated word that is no document id is left alone.
    text = "2026-03-01 见 /advisor/yining-2024/ 与 report-2026.pdf、re-check 第2条"
    assert plain(text) == text


def test_an_input_field_is_named_in_words() -> None:
    assert plain("以下事实未提供，未作检查：chair_role, items[0].communicated, notice_sent") == \
        "以下事实未提供，未作检查：会议主持人, 第1个议题的会前沟通, 会议通知"


def test_cited_names_only_the_documents_that_cite_an_article() -> None:
    text = "缺少制度编号（如 yining-2024）；缺少属性 counter_party：yining-2024 第12条第7项，可选：intra_group"
    assert cited(text) == "缺少制度编号（如 yining-2024）；缺少属性 counter_party：《伊宁市市属国有企业监督管理办法》第12条第7项，可选：intra_group"
    english = "missing policy (e.g. yining-2024); yining-2024 art. 12(7) depends on it; one of intra_group"
    assert cited(english, "en") == ("missing policy (e.g. yining-2024); 《伊宁市市属国有企业监督管理办法》 art. 12(7) depends on it;"
                                    " one of intra_group")
