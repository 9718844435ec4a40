"""The supervisor's 批复 / 备案回执 frozen when the answer is given and signed with the organisation's SM2 key.

Frozen once, the answer's bytes never change afterwards (a later download is the same document, with its
signature inside); the organisation signs when the supervisor holds an active organisation certificate.
"""

from __future__ import annotations

from typing import Any

from soegov.core.rendering import render_docx, render_pdf
from soegov.matters.documents import available_kinds, build
from soegov.matters.models import Matter
from soegov.signatures import selectors as signature_selectors
from soegov.signatures import signing
from soegov.signatures.models import CertStatus, Holder, SignedDocument, SigningCertificate

PURPOSE = {"reply": "reply.seal", "receipt": "receipt.seal"}


def answer_ref(matter: Matter, kind: str) -> str:
    """The key under which a matter's answer document is frozen."""
    return f"matters.{kind}:{matter.pk}"


def seal_answer(*, actor: Any, matter: Matter) -> SignedDocument | None:
    """Freeze the matter's answer document and sign it as the supervisor (inside the answering transaction)."""
    kind = next((k for k in available_kinds(matter) if k in PURPOSE), None)
    if kind is None:
        return None
    doc = build(matter, kind)
    document = signing.freeze_document(actor=actor, kind=kind, ref=answer_ref(matter, kind), title=doc.title,
                                       renditions={"docx": render_docx(doc), "pdf": render_pdf(doc)})
    jurisdiction = matter.enterprise.jurisdiction
    if organisation_can_sign(jurisdiction):
        signing.sign_as_organisation(actor=actor, jurisdiction=jurisdiction, purpose=PURPOSE[kind],
                                     ref=document.ref, document=document)
    return document


def organisation_can_sign(jurisdiction: Any) -> bool:
    """The supervisor holds an active organisation certificate."""
    return SigningCertificate.objects.filter(holder=Holder.ORGANISATION, jurisdiction=jurisdiction,
                                             status=CertStatus.ACTIVE).exists()


def sealed_answer(matter: Matter, kind: str) -> SignedDocument | None:
    """The frozen answer document, if the answer was given since documents are frozen."""
    if kind not in PURPOSE:
        return None
    return signature_selectors.latest_document(answer_ref(matter, kind))


def seal_note(matter: Matter, kind: str) -> str:
    """What the matter page says about a document's signature ("" for the enterprise's own documents)."""
    from django.utils import timezone

    sealed = sealed_answer(matter, kind)
    if sealed is None:
        return ""
    seal = signature_selectors.signatures_on(sealed).first()
    if seal is None:
        return "未签章：答复时监管机构尚无机构签名证书"
    return (f"已由{seal.certificate.subject}电子签章（SM2，{timezone.localtime(seal.signed_at):%Y-%m-%d %H:%M}，"
            f"证书 {seal.certificate.serial}）")
