"""The matter advisor page (with htmx partials) and the regulations browser."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from soegov.accounts.roles import BUSINESS_ROLES
from soegov.advisor import selectors, services
from soegov.core.errors import SoegovError
from soegov.core.forms import form_action
from soegov.core.gates import role_required

# Where the engine's error paths show up in the form.
FIELD_OF_PATH = {"enterprise.level": "level", "enterprise.ownership": "ownership", "enterprise": "level",
                 "type": "type", "amount": "amount", "date": "date", "policy": "policy",
                 "start": "start"}


business_page = role_required(BUSINESS_ROLES, "您的角色无权使用事项顾问")


def _policies(user: Any) -> list[Any]:
    """The packs the user's jurisdiction applies first, then the others."""
    from soegov.enterprises.selectors import jurisdiction_list

    mine: list[str] = []
    for j in jurisdiction_list(user=user):
        mine += [p for p in j.policy_packs if p not in mine]
    every = selectors.packs()
    return sorted(every, key=lambda p: (p.id not in mine, mine.index(p.id) if p.id in mine else 0, p.id))


@login_required
@business_page
def attributes(request: HttpRequest) -> HttpResponse:
    """htmx partial: the attribute fields of the chosen matter type."""
    return render(request, "advisor/_attributes.html",
                  {"attr_fields": selectors.attribute_fields(request.GET.get("type", ""), request.GET)})


@login_required
@business_page
def advisor(request: HttpRequest) -> HttpResponse:
    """Enter a matter, see every obligation with its article, reasons, attachments and deadline."""
    from soegov.enterprises.models import Ownership
    from soegov.enterprises.selectors import enterprise_get, enterprise_list
    from soegov.policy.catalogue import MATTER_TYPES

    data = request.POST if request.method == "POST" else request.GET
    values: dict[str, Any] = {k: data.get(k, "") for k in data}
    policies = _policies(request.user)
    enterprise = None
    if values.get("enterprise"):
        try:
            enterprise = enterprise_get(user=request.user, pk=int(values["enterprise"]))
        except (ValueError, Http404):
            enterprise = None
        if enterprise is not None:
            # The registry knows the enterprise's level and ownership; the form need not ask.
            values["level"] = str(enterprise.level)
            values["ownership"] = enterprise.ownership
            if not values.get("policy") and enterprise.jurisdiction.policy_packs:
                values["policy"] = enterprise.jurisdiction.default_policy
    if not values.get("policy") and policies:
        values["policy"] = policies[0].id
    errors: dict[str, str] = {}
    view = None
    status = 200
    if request.method == "POST":
        if values.get("enterprise") and enterprise is None:
            errors["enterprise"] = "所选企业不存在或不在您的范围内"
        mt = MATTER_TYPES.get(values.get("type", ""))
        specs = getattr(mt, "attributes", None) or {}
        with form_action(request, flash=False) as outcome:
            if errors:
                raise SoegovError("invalid_enterprise", errors["enterprise"], "enterprise")
            doc = services.build_document(values, specs)
            view = services.advise(doc, policy=values.get("policy", ""), start=str(values.get("start") or "").strip())
        if not outcome.ok:
            path = outcome.path or ""
            field = FIELD_OF_PATH.get(path) or (f"attr_{path.split('.', 1)[1]}" if path.startswith("attributes.") else "")
            errors[field or "general"] = outcome.error
            status = 400
    ctx = {
        "values": values, "errors": errors, "view": view, "policies": policies,
        "types": sorted(MATTER_TYPES.items(), key=lambda kv: kv[0]), "ownerships": Ownership.choices,
        "enterprises": enterprise_list(user=request.user), "attr_fields": selectors.attribute_fields(values.get("type", ""), values),
    }
    template = "advisor/_panel.html" if request.headers.get("HX-Request") and request.method == "POST" else "advisor/advisor.html"
    return render(request, template, ctx, status=status if not request.headers.get("HX-Request") else 200)


@login_required
@business_page
def regulations(request: HttpRequest) -> HttpResponse:
    """The list of policy packs."""
    return render(request, "advisor/regulations.html", {"packs": selectors.packs()})


@login_required
@business_page
def pack(request: HttpRequest, pack_id: str) -> HttpResponse:
    """One pack's full text, each rule linked to the article item it cites."""
    p = selectors.pack_get(pack_id)
    if p is None:
        raise Http404("无此制度")
    by_article = selectors.rules_by_article(p)
    articles = []
    last_chapter = None
    for number in sorted((getattr(p, "articles", {}) or {}).keys()):
        art = p.articles[number]
        chapter = getattr(art, "chapter", None)
        articles.append({
            "a": art, "number": number, "chapter": chapter if chapter != last_chapter else None,
            "rules": [{"r": r, "anchor": selectors.rule_anchor(r), "cite": selectors.rule_cite(r)}
                      for r in by_article.get(int(number), [])],
        })
        last_chapter = chapter
    from soegov.policy.catalogue import AUTHORITIES, KINDS, MATTER_TYPES

    rules = []
    for r in getattr(p, "rules", []) or []:
        ob = getattr(r, "obligation", None)
        rules.append({"r": r, "anchor": selectors.rule_anchor(r), "cite": selectors.rule_cite(r),
                      "types": [selectors.label(MATTER_TYPES, t) for t in getattr(r, "types", ()) or ()],
                      "kind": selectors.label(KINDS, getattr(ob, "kind", None)) if ob else "（说明）",
                      "authority": selectors.label(AUTHORITIES, getattr(ob, "authority", None)) if ob else ""})
    return render(request, "advisor/pack.html", {
        "p": p, "articles": articles, "rules": rules, "interpretations": getattr(p, "interpretations", []) or [],
    })


@login_required
@business_page
def decision_list(request: HttpRequest, pack_id: str) -> HttpResponse:
    """The decision list (事项清单) the engine derives from a pack: what needs a collective decision, by whom."""
    p = selectors.pack_get(pack_id)
    if p is None:
        raise Http404("无此制度")
    from soegov.policy.catalogue import BODIES, VOTING_METHODS
    from soegov.policy.decision_list import decision_list as engine_decision_list

    listing = engine_decision_list(p.id, lang="zh")
    entries = [{
        "e": e,
        "bodies": [selectors.label(BODIES, b) for b in e.get("bodies") or []],
        "voting": selectors.label(VOTING_METHODS, e.get("voting_method")) if e.get("voting_method") else "",
    } for e in listing.get("entries", [])]
    return render(request, "advisor/decision_list.html", {"p": p, "listing": listing, "entries": entries})
