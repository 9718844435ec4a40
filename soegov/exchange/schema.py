"""The XSDs of the 0004/0005/0006 XML files (soegov/exchange/schemas/) and checking a file against them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from soegov.exchange.error_codes import NOWHERE, ExchangeError, Where
from soegov.exchange.records import ITEM, MEETING, REGULATION

SCHEMA_DIR = Path(__file__).with_name("schemas")
SCHEMA_FILES = {ITEM: "item.xsd", REGULATION: "regulation.xsd", MEETING: "meeting.xsd"}


@cache
def schema(kind: str) -> etree.XMLSchema:
    """The compiled schema of a business type."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / SCHEMA_FILES[kind])))


def schema_errors(kind: str, xml: bytes) -> list[str]:
    """Every schema violation of an XML file, as "line N: message"; empty when it is valid."""
    try:
        doc = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return [f"XML 无法解析：{exc}"]
    s = schema(kind)
    if s.validate(doc):
        return []
    return [f"第 {e.line} 行：{e.message}" for e in s.error_log]


def check_schema(kind: str, xml: bytes, where: Where = NOWHERE) -> None:
    """Refuse an XML file that does not match its schema, naming the first problem."""
    errors = schema_errors(kind, xml)
    if errors:
        raise ExchangeError.SCHEMA.error(path="xml", schema=SCHEMA_FILES[kind], problem=errors[0], **where.fields())
