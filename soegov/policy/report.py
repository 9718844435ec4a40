"""Readable reports of engine results for people (Chinese by default, English with --lang en).

Every verdict says which layer of the law decided it (the local measure or a layer above it, such as the
national rules) and cites the texts of both.
"""

from __future__ import annotations

from soegov.policy.catalogue import ATTACHMENTS, AUTHORITIES, BODIES, KINDS, OWNERSHIPS, VOTING_METHODS

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs `soegov classify` start-up time
if TYPE_CHECKING:
    from typing import Any

# How a layer reads in a report; a layer a third jurisdiction adds reads as its own name.
_LAYERS = {"local": ("地方办法", "local measure"), "national": ("国家层面规则", "national rules")}


def layer_name(layer: str | None, lang: str) -> str:
    """A layer's name for people."""
    names = _LAYERS.get(layer or "local")
    return (names[0] if lang == "zh" else names[1]) if names else str(layer)


def _cite(c: dict[str, Any] | None, lang: str) -> str:
    if not c:
        return ""
    if lang == "zh":
        ref = f"第{c['article']}条" + (f"第{c['item']}项" if c.get("item") else "") + (
            f"第{c['subitem']}目" if c.get("subitem") else "")
    else:
        ref = f"art. {c['article']}" + (f"({c['item']})" if c.get("item") else "") + (
            f".{c['subitem']}" if c.get("subitem") else "")
    unverified = ("（原文未核对）" if lang == "zh" else " (text not verified)") if c.get("verified") is False else ""
    return f"{c['document']} {ref}{unverified}"


def _deadline(d: dict[str, Any] | None, lang: str) -> str:
    if not d:
        return "无固定时限" if lang == "zh" else "none fixed"
    if d.get("immediate"):
        span = "立即" if lang == "zh" else "immediately"
    elif "hours" in d:
        span = f"{d['hours']}小时内" if lang == "zh" else f"within {d['hours']} hours"
    else:
        span = f"{d['working_days']}个工作日内" if lang == "zh" else f"within {d['working_days']} working days"
    if lang == "zh":
        return f"{d.get('counted_from', '')}{span}（{_cite(d.get('citation'), lang)}）"
    return f"{span}, counted from {d.get('counted_from', '')} ({_cite(d.get('citation'), lang)})"


def _obligation_head(n: int, ob: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    kind, auth = KINDS[ob["kind"]], AUTHORITIES[ob["authority"]]
    via = ""
    if ob.get("via"):
        via = f"（经{AUTHORITIES[ob['via']].label}审核报送）" if zh else f" (through {AUTHORITIES[ob['via']].label_en})"
    head = f"{n}. 【{kind.label}】{auth.label}{via}" if zh else f"{n}. [{kind.label_en}] {auth.label_en}{via}"
    if ob.get("layer", "local") != "local":
        head += f"［{layer_name(ob['layer'], lang)}］" if zh else f" [{layer_name(ob['layer'], lang)}]"
    return head + ("（提示性发现）" if ob.get("finding") and zh else " (finding)" if ob.get("finding") else "")


def _obligation_lines(n: int, ob: dict[str, Any], lang: str) -> list[str]:
    """One obligation of a verdict: what, who, the article, why, the deadline, the bodies and the documents."""
    zh = lang == "zh"
    lines = [_obligation_head(n, ob, lang)]
    lines.append(("   依据：" if zh else "   Source: ") + f"{_cite(ob['citation'], lang)} —— {ob['citation']['text']}")
    for also in ob.get("also_cited") or ():
        lines.append((f"   另依据（{layer_name(also.get('layer'), lang)}，本项义务已满足其要求）：" if zh
                      else f"   Also ({layer_name(also.get('layer'), lang)}, met by this duty): ") + _cite(also, lang))
    lines.append(("   理由：" if zh else "   Why: ") + ob["why"])
    if ob["kind"] in ("prior_filing", "post_filing", "report") or ob.get("deadline"):
        lines.append(("   时限：" if zh else "   Deadline: ") + _deadline(ob.get("deadline"), lang))
    if ob.get("review_deadline"):
        lines.append(("   监管机构答复：" if zh else "   Supervisor answers: ") + _deadline(ob["review_deadline"], lang))
    if ob.get("bodies"):
        names = [BODIES[b].label if zh else BODIES[b].label_en for b in ob["bodies"]]
        lines.append(("   决策机构次序：" if zh else "   Bodies in order: ") + " → ".join(names))
    if ob.get("voting_method"):
        method = VOTING_METHODS.get(ob["voting_method"])
        lines.append(("   表决方式：" if zh else "   Voting: ") + (method.label if zh and method else ob["voting_method"]))
    if ob["attachments"]:
        names = [ATTACHMENTS[a].label if zh else ATTACHMENTS[a].label_en for a in ob["attachments"]]
        lines.append(("   材料：" if zh else "   Documents: ") + ("；".join(names) if zh else "; ".join(names)))
    return lines


def _explain_lines(explain: dict[str, Any], lang: str, notes: list[dict[str, Any]]) -> list[str]:
    """Every rule tried (with its layer), whether it held and why, and the nearest threshold."""
    zh = lang == "zh"
    lines = ["", "逐条检查：" if zh else "Rules tried:"]
    said = {n.get("rule"): n["message"] for n in notes}
    for t in explain["rules"]:
        if zh and t["result"].startswith("提示 "):
            # A note by what it says (it is among the notes above when it held), not by its code.
            t = {**t, "result": f"提示：{said[t['rule']]}" if t["rule"] in said else "提示事项"}
        mark = "✔" if t["matched"] else "✘"
        layer = t.get("layer", "local")
        shown = "" if layer == "local" else (f"［{layer_name(layer, lang)}］" if zh else f" [{layer_name(layer, lang)}]")
        # A reader finds the rule by its article; the rule's id is for pack authors (`soegov policy show`).
        lines.append(f"{mark}{shown} {_cite(t['citation'], lang)} → {t['result']}" if zh
                     else f"{mark} {t['rule']}{shown} {_cite(t['citation'], lang)} → {t['result']}")
        for r in t["reasons"]:
            lines.append(f"     {'·' if r['held'] else '✘'} {r['text']}")
    nearest = explain.get("nearest_threshold")
    if nearest:
        lines.append(("最近门槛：" if zh else "Nearest threshold: ") + nearest["text"])
    return lines


def _layers_lines(policy: dict[str, Any], decided_by: str | None, lang: str) -> list[str]:
    """Which layers applied, in force or not, and which one decided."""
    zh = lang == "zh"
    layers = policy.get("layers") or []
    if len(layers) < 2:
        return []
    shown = []
    for layer in layers:
        state = (("施行中" if layer["in_force"] else "未施行") if zh else ("in force" if layer["in_force"] else "not in force"))
        shown.append(_layer_title(layer, state, lang))
    out = [("适用规则层：" if zh else "Layers applied: ") + ("；".join(shown) if zh else "; ".join(shown))]
    if decided_by:
        out.append(("决定层级：" if zh else "Decided by: ") + layer_name(decided_by, lang))
    return out


def _layer_title(layer: dict[str, Any], state: str, lang: str) -> str:
    """A layer by its document's title, what layer it is and its state: 《伊宁市…办法》（地方办法，施行中）."""
    name = layer_name(layer["layer"], lang)
    title = layer.get("title") or layer["id"]
    # The national layer's title describes it (国家层面规则（党内法规…）) and already says which layer it is;
    # an English reader is given that description in English, and a regulation's own (Chinese) title.
    describes = title.startswith(layer_name(layer["layer"], "zh"))
    if lang == "zh":
        return f"{title}（{state}）" if describes else f"《{title}》（{name}，{state}）"
    return f"{name} ({state})" if describes else f"《{title}》 ({name}, {state})"


def classify_text(result: dict[str, Any], lang: str = "zh") -> str:
    """A classify verdict as a report a non-lawyer can act on."""
    zh = lang == "zh"
    p, m = result["policy"], result["matter"]
    lines = []
    state = ("施行中" if p["in_force"] else "不在施行期内") if zh else ("in force" if p["in_force"] else "NOT in force")
    lines.append(f"{p['title']}（版本 {p.get('version') or '—'}，{state}）" if zh
                 else f"《{p['title']}》 (version {p.get('version') or '—'}, {state})")
    ent = m["enterprise"]
    own = OWNERSHIPS[ent["ownership"]]
    amount = f"{m['amount']} 元" if m.get("amount") is not None else "未填"
    if zh:
        lines.append(f"事项：{m['label']}　金额：{amount}　日期：{m['date']}　企业：{ent['level']}级、{own.label}")
    else:
        lines.append(f"Matter: {m['label_en']}  amount: {m.get('amount') or '—'}  date: {m['date']}  "
                     f"enterprise: level {ent['level']}, {own.label_en}")
    lines.extend(_layers_lines(p, result.get("decided_by"), lang))
    lines.append("")
    obligations = result["obligations"]
    if obligations:
        lines.append(f"须履行的义务（{len(obligations)} 项）：" if zh else f"Obligations ({len(obligations)}):")
    for n, ob in enumerate(obligations, 1):
        lines.extend(_obligation_lines(n, ob, lang))
    if result["uncovered"]:
        lines.append("")
        lines.append("⚠ 本政策没有条款就这些事实点名该事项。" if zh
                     else "⚠ No item of this policy names the matter for these facts (uncovered).")
    if result["notes"]:
        lines.append("")
        lines.append("提示：" if zh else "Notes:")
        for note in result["notes"]:
            cite = f"（{_cite(note['citation'], lang)}）" if note.get("citation") and zh else (
                f" ({_cite(note['citation'], lang)})" if note.get("citation") else "")
            lines.append(f"- {note['message']}{cite}")
    if "explain" in result:
        lines.extend(_explain_lines(result["explain"], lang, result["notes"]))
    return "\n".join(lines)


def _count_line(what: dict[str, Any], lang: str) -> str:
    """Every layer's count and the one that decided, e.g. 地方办法 2 人 / 国家层面规则 3 人（决定）."""
    layers = what.get("layers") or []
    if len(layers) < 2:
        return ""
    zh = lang == "zh"
    parts = []
    for layer in layers:
        decided = ("（决定）" if zh else " (decides)") if layer["layer"] == what.get("decided_by") and \
            layer["required"] == what.get("required") else ""
        parts.append(f"{layer_name(layer['layer'], lang)} {layer['required']}（{_cite(layer['citation'], lang)}）{decided}"
                     if zh else f"{layer_name(layer['layer'], lang)} {layer['required']} ({_cite(layer['citation'], lang)}){decided}")
    return ("   各层要求：" if zh else "   Each layer: ") + ("；".join(parts) if zh else "; ".join(parts))


def meeting_text(result: dict[str, Any], lang: str = "zh") -> str:
    """A meeting check as a report, saying which layer's count decided each result."""
    zh = lang == "zh"
    q = result["quorum"]
    lines = [f"{result['policy']['title']} — {result['body']['label']}" if zh
             else f"《{result['policy']['title']}》 — {result['body']['label']}"]
    lines.extend(_layers_lines(result["policy"], result.get("decided_by"), lang))
    if q.get("rule") is None:
        # No layer sets a quorum for this body (the note says so): never print "0 needed — met".
        lines.append(f"法定人数：成员 {q['members']} 人，出席 {q['present']} 人 —— 适用的各层规则均未规定，未检查" if zh
                     else f"Quorum: {q['members']} members, {q['present']} present — no layer sets one: not checked")
    elif zh:
        lines.append(f"法定人数：成员 {q['members']} 人，出席 {q['present']} 人，至少需 {q['required']} 人 —— "
                     + ("达到" if q["met"] else "未达到"))
    else:
        lines.append(f"Quorum: {q['members']} members, {q['present']} present, {q['required']} needed — "
                     + ("met" if q["met"] else "NOT met"))
    if line := _count_line(q, lang):
        lines.append(line)
    for item in result["items"]:
        lines.extend(_item_lines(item, lang))
    lines.extend(_violation_lines(result["violations"], lang))
    for note in result.get("notes", []):
        lines.append(f"· {note['message']}")
    return "\n".join(lines)


def _item_lines(item: dict[str, Any], lang: str) -> list[str]:
    zh = lang == "zh"
    verdict = ("通过" if item["passed"] else "未通过") if zh else ("passed" if item["passed"] else "not passed")
    decided = item.get("decided_by")
    by = (f"，由{layer_name(decided, lang)}决定" if zh else f", decided by the {layer_name(decided, lang)}") if decided else ""
    if zh:
        lines = [f"议题 {item['id']}「{item['title']}」：{verdict}（赞成 {item['for']}，反对 {item['against']}，"
                 f"弃权 {item['abstain']}；基数 {item['base']}，至少需 {item['required']} 票赞成{by}）"]
    else:
        lines = [f"Item {item['id']} “{item['title']}”: {verdict} (for {item['for']}, against {item['against']}, "
                 f"abstain {item['abstain']}; base {item['base']}, {item['required']} needed{by})"]
    if line := _count_line(item, lang):
        lines.append(line)
    for note in item["notes"]:
        lines.append(f"   · {note['message']}")
    return lines


def _violation_lines(violations: list[dict[str, Any]], lang: str) -> list[str]:
    zh = lang == "zh"
    if not violations:
        return ["未发现违规。" if zh else "No violations found."]
    lines = ["违规：" if zh else "Violations:"]
    seen = set()
    for v in violations:
        key = (v["code"], v["item"], v["member"])
        if key in seen:
            continue
        seen.add(key)
        cited = "；".join(_cite(c, lang) for c in v.get("citations") or [v["citation"]]) if zh else \
            "; ".join(_cite(c, lang) for c in v.get("citations") or [v["citation"]])
        # In Chinese the message names the violation; the code is for machines (--json), not for readers.
        lines.append(f"- {v['message']}（{cited}）" if zh else f"- [{v['code']}] {v['message']} ({cited})")
    return lines
