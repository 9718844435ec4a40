"""Build a pack's articles.yaml from the seed text in ../shared/seeds (run by hand, output committed).

The installed package must carry its own copy of the article texts, and the law tests check
that every quoted citation still matches the seed, so this script is the one way the copy is made.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
PACKS = Path(__file__).resolve().parents[1] / "soegov" / "policy" / "packs"

ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十", "二十一"]
CN_NUM = {o: i + 1 for i, o in enumerate(ORDINALS)}

YINING_CHAPTERS = [
    "第一章 总则", "第二章 国资监管机构主要职责和义务", "第三章 市属国有企业主要职责",
    "第四章 市属国有企业负责人管理", "第五章 市属国有企业重大事项管理", "第六章 报告程序",
    "第七章 监督检查", "第八章 责任追究", "第九章 附 则",
]


def split_items(body: str, left: str, right: str) -> tuple[str, list[dict]]:
    """Split an article body into its lead text and ordinal items (一)(二)… found in sequence."""
    positions = []
    start = 0
    for ordinal in ORDINALS:
        marker = f"{left}{ordinal}{right}"
        pos = body.find(marker, start)
        if pos < 0:
            break
        positions.append((pos, len(marker)))
        start = pos + len(marker)
    if not positions:
        return body, []
    lead = body[: positions[0][0]]
    items = []
    for n, (pos, size) in enumerate(positions):
        end = positions[n + 1][0] if n + 1 < len(positions) else len(body)
        text = body[pos + size : end]
        items.append({"number": n + 1, "text": text.strip(), "subitems": split_subitems(text)})
    return lead.strip(), items


def split_subitems(text: str) -> list[dict]:
    """Numbered sub-items '1.' '2.' … inside an item, found in sequence."""
    positions = []
    start = 0
    n = 1
    while True:
        m = re.compile(rf"(?<![0-9]){n}[.．]\s?").search(text, start)
        if not m:
            break
        positions.append((m.start(), m.end()))
        start = m.end()
        n += 1
    subs = []
    for i, (_pos, end_marker) in enumerate(positions):
        end = positions[i + 1][0] if i + 1 < len(positions) else len(text)
        subs.append({"number": i + 1, "text": text[end_marker:end].strip()})
    return subs if len(subs) >= 2 else []


def yining() -> dict:
    """Articles of yining-2024, numbered by the article map in ARTICLES.md."""
    raw = (SEEDS / "yining-2024-soe-supervision.txt").read_text(encoding="utf-8")
    body = "".join(line.strip() for line in raw.splitlines())
    body = body[body.index("第一章 总则") :]
    body = body[: body.index("附件:")]
    openings = []
    for line in (SEEDS / "ARTICLES.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| (\d+) \| ([^|]+) \| ([^|]+) \|", line)
        if m:
            openings.append((int(m.group(1)), m.group(3).split("…")[0].strip()))
    # Chapter titles repeat the openings of some articles (art. 4, 6): hide them behind markers.
    for n, title in enumerate(YINING_CHAPTERS):
        assert title in body, title
        body = body.replace(title, f"\x00{n}\x00")
    starts = []
    cursor = 0
    for number, opening in openings:
        pos = body.index(opening, cursor)
        starts.append((number, pos))
        cursor = pos + 1
    articles = []
    for i, (number, pos) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(body)
        chunk = body[pos:end]
        chapter = [t for n, t in enumerate(YINING_CHAPTERS) if body.find(f"\x00{n}\x00") < pos][-1]
        chunk = re.sub("\x00[^\x00]*\x00", "", chunk).strip()
        lead, items = split_items(chunk, "（", "）")
        articles.append({"number": number, "chapter": chapter, "text": chunk, "lead": lead, "items": items})
    return {"document": "yining-2024", "articles": articles}


def xundian() -> dict:
    """Articles of xundian-2020 by their own 第N条 headings."""
    raw = (SEEDS / "xundian-2020-sanzhong-yida.txt").read_text(encoding="utf-8")
    chapter = ""
    articles = []
    for line in raw.splitlines():
        line = line.strip()
        if re.match(r"^第[一二三四五六七八九十]+章", line):
            chapter = line
            continue
        m = re.match(r"^第([一二三四五六七八九十]+)条\s*(.*)$", line)
        if m:
            number = cn_to_int(m.group(1))
            articles.append({"number": number, "chapter": chapter, "text": m.group(2)})
        elif line.startswith("相关文件"):
            break
        elif articles and line:
            articles[-1]["text"] += line
    for art in articles:
        lead, items = split_items(art["text"], "(", ")")
        art["lead"] = lead
        art["items"] = items
    return {"document": "xundian-2020", "articles": articles}


def cn_to_int(s: str) -> int:
    """Chinese numerals up to 99 (二十四 → 24)."""
    if s in CN_NUM:
        return CN_NUM[s]
    if s.startswith("十"):
        return 10 + CN_NUM[s[1:]]
    tens, _, ones = s.partition("十")
    return CN_NUM[tens] * 10 + (CN_NUM[ones] if ones else 0)


def main() -> int:
    """Write articles.yaml for both seed documents."""
    for doc in (yining(), xundian()):
        out = PACKS / doc["document"] / "articles.yaml"
        out.parent.mkdir(parents=True, exist_ok=True)
        header = f"# Article texts of {doc['document']}, generated by tools/extract_articles.py from the seed text.\n"
        out.write_text(header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
        print(out, len(doc["articles"]), "articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
