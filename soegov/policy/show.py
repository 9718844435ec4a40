"""`soegov policy show`: a pack's metadata and rules, or the text of one article or item."""

from __future__ import annotations

from typing import Any

from soegov.core.errors import InputError
from soegov.policy.loader import get_registry
from soegov.policy.model import Pack


def _parse_ref(ref: str) -> tuple[int, int | None]:
    head, _, tail = ref.rpartition(":")[2].partition(".")
    try:
        return int(head), (int(tail) if tail else None)
    except ValueError:
        raise InputError("invalid_article", f"条文编号应为数字，如 12 或 12.6，收到 {ref!r}", "article",
                         f"an article is a number such as 12 or 12.6, got {ref!r}") from None


def show(pack_id: str, ref: str | None = None, *, lang: str = "zh") -> dict[str, Any]:
    """Data and text for a pack, or for one article (`12`) or item (`12.6`)."""
    pack = get_registry().get(pack_id)
    if ref is None:
        return _pack(pack, lang)
    number, item_no = _parse_ref(ref)
    document = ref.rpartition(":")[0] or pack.document
    articles = pack.articles if document == pack.document else (
        pack.sources[document].articles if document in pack.sources else {})
    article = articles.get(number)
    if article is None:
        raise InputError("unknown_article", f"{pack.id} 没有 {document} 第{number}条", "article",
                         f"{pack.id} has no article {number} of {document}")
    rules = [r.id for r in pack.rules if r.citation.document == document and r.citation.article == number
             and (item_no is None or r.citation.item == item_no)]
    if item_no is not None:
        item = article.item(item_no)
        if item is None:
            raise InputError("unknown_article", f"{pack.id} 第{number}条没有第{item_no}项", "article",
                             f"{pack.id} art. {number} has no item {item_no}")
        data = {"document": document, "article": number, "item": item_no, "text": item.text, "rules": rules}
        head = f"{pack.title} 第{number}条第{item_no}项" if lang == "zh" else f"{pack.id} art. {number}({item_no})"
        return {"data": data, "text": f"{head}\n{item.text}\n" + _rules_line(rules, lang)}
    data = {"document": document, "article": number, "chapter": article.chapter, "text": article.text,
            "items": [{"item": it.number, "text": it.text} for it in article.items], "rules": rules}
    if article.source:
        data |= {"source": article.source, "verified": bool(article.verified)}
    lines = [f"{pack.title} 第{number}条（{article.chapter}）" if lang == "zh" else f"{pack.id} art. {number} ({article.chapter})"]
    if article.items:
        if article.lead:
            lines.append(article.lead)
        lines.extend(f"  ({it.number}) {it.text}" for it in article.items)
    else:
        lines.append(article.text)
    if article.source:
        lines.append(("来源：" if lang == "zh" else "Read at: ") + article.source
                     + ("" if article.verified else ("（原文未核对，见解释说明）" if lang == "zh" else " (not verified: see the notes)")))
    lines.append(_rules_line(rules, lang))
    return {"data": data, "text": "\n".join(lines)}


def _rules_line(rules: list[str], lang: str) -> str:
    if not rules:
        return "（本条未编为规则）" if lang == "zh" else "(no rule cites this)"
    return ("规则：" if lang == "zh" else "Rules: ") + ", ".join(rules)


def _pack(pack: Pack, lang: str) -> dict[str, Any]:
    data = pack.summary()
    data["rules"] = [{"id": r.id, "types": list(r.types), "citation": r.citation.as_dict(),
                      "kind": r.obligation.kind if r.obligation else None,
                      "authority": r.obligation.authority if r.obligation else None} for r in pack.rules]
    data["parameters"] = [param.as_dict() for param in pack.parameters.values()]
    data["interpretations"] = [{"id": i.id, "title": i.title, "text": i.text, "text_en": i.text_en}
                               for i in pack.interpretations]
    zh = lang == "zh"
    lines = [f"{pack.title}（{pack.id}）", f"发文机关：{pack.issuer}　文号：{pack.doc_number or '—'}　印发：{pack.issued}" if zh
             else f"Issuer: {pack.issuer}  number: {pack.doc_number or '—'}  issued: {pack.issued}"]
    for v in pack.versions:
        lines.append(f"版本 {v.version}：{v.in_force_from} 至 {v.in_force_until or '未定'}" if zh
                     else f"Version {v.version}: {v.in_force_from} to {v.in_force_until or 'open'}")
    lines.append(f"条文 {len(pack.articles)} 条，规则 {len(pack.rules)} 条" if zh
                 else f"{len(pack.articles)} articles, {len(pack.rules)} rules")
    if pack.parameters:
        lines.append("门槛参数：" if zh else "Thresholds (parameters):")
        for param in pack.parameters.values():
            values = "，".join(f"{d} 起 {v} 元" for d, v, _ in param.values) if zh else ", ".join(
                f"{v} from {d}" for d, v, _ in param.values)
            refs = "、".join(c.short(lang) for c in param.references)
            lines.append(f"- {param.name}：{param.description}（{values}；{refs}）" if zh
                         else f"- {param.name}: {param.description_en or param.description} ({values}; {refs})")
    if pack.overlays:
        lines.append(("上位规则层：" if zh else "Sits under: ") + ", ".join(pack.overlays)
                     + (f"（角色：{pack.roles}）" if zh and pack.roles else f" (roles: {pack.roles})" if pack.roles else ""))
    if pack.sources:
        data["sources"] = [{"document": src.document, "title": src.title, "edition": src.edition,
                            "in_force_from": src.in_force_from, "note": src.note,
                            "articles": [{"article": a.number, "source": a.source, "verified": bool(a.verified)}
                                         for a in src.articles.values()]} for src in pack.sources.values()]
        lines.append("引用的文件（条文 · 是否核对）：" if zh else "Texts quoted (article · verified):")
        for src in pack.sources.values():
            arts = "、".join(f"{a.number}{'' if a.verified else '（未核对）'}" if zh else
                            f"{a.number}{'' if a.verified else ' (unverified)'}" for a in src.articles.values())
            lines.append(f"- {src.document} 《{src.title}》{src.edition}：第 {arts} 条" if zh
                         else f"- {src.document} {src.title}, {src.edition}: arts. {arts}")
    lines.append("解释说明：" if zh else "Interpretation notes:")
    for i in pack.interpretations:
        lines.append(f"- [{i.id}] {i.title}：{i.text if zh else i.text_en or i.text}")
    return {"data": data, "text": "\n".join(lines)}
