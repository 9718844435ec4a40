"""What the HR system says once checked: its people, posts and memberships (a Dataset), stored with a preview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class PersonRow:
    id: str
    name: str
    unit: int  # Enterprise pk
    username: str = ""
    left: bool = False
    where: str = ""


@dataclass
class PostRow:
    person: str
    enterprise: int
    post: str
    start: dt.date | None
    end: dt.date | None
    where: str = ""

    @property
    def key(self) -> str:
        return f"post:{self.person}:{self.enterprise}:{self.post}"


@dataclass
class MemberRow:
    person: str
    enterprise: int
    body: str
    role: str
    principal: bool
    voting: bool
    start: dt.date | None
    end: dt.date | None
    where: str = ""

    @property
    def key(self) -> str:
        return f"member:{self.person}:{self.enterprise}:{self.body}"


@dataclass
class Dataset:
    """The HR system's people, posts and memberships for the enterprises in scope, checked."""

    as_of: dt.date
    scope: set[int]  # Enterprise pks the source speaks for
    people: dict[str, PersonRow] = field(default_factory=dict)
    posts: list[PostRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    digest: str = ""

    def as_json(self) -> dict[str, Any]:
        """The dataset as stored with a preview, to be applied later exactly as previewed."""
        return {
            "as_of": self.as_of.isoformat(), "scope": sorted(self.scope), "digest": self.digest,
            "people": [vars(p) for p in self.people.values()],
            "posts": [{**vars(p), "start": _iso(p.start), "end": _iso(p.end)} for p in self.posts],
            "members": [{**vars(m), "start": _iso(m.start), "end": _iso(m.end)} for m in self.members],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Dataset:
        """The dataset stored by as_json."""
        def day(v: str | None) -> dt.date | None:
            return dt.date.fromisoformat(v) if v else None

        ds = cls(as_of=dt.date.fromisoformat(data["as_of"]), scope=set(data["scope"]), digest=data.get("digest", ""))
        ds.people = {p["id"]: PersonRow(**p) for p in data["people"]}
        ds.posts = [PostRow(**{**p, "start": day(p["start"]), "end": day(p["end"])}) for p in data["posts"]]
        ds.members = [MemberRow(**{**m, "start": day(m["start"]), "end": day(m["end"])}) for m in data["members"]]
        return ds


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None
