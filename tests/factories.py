"""factory_boy factories; enterprises and members are made through the services, as the app makes them."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from soegov.accounts.models import User
from soegov.accounts.roles import Role
from soegov.enterprises import services
from soegov.enterprises.models import DecisionBody, Enterprise, Jurisdiction
from soegov.enterprises.uscc import make_uscc

PASSWORD = "Kx7#mQ2!vLp9"


def _pdf() -> bytes:
    """A real one-page PDF (the upload checks open every PDF)."""
    import io

    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def _png() -> bytes:
    """A real 4×4 PNG (the upload checks decode every image)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


# Documents as the upload checks want them: they open as what their first bytes claim.
PDF = _pdf()
PNG = _png()


def uscc(n: int) -> str:
    """A valid code, unique per n."""
    return make_uscc("91", "654002", f"TA{n:06d}")


class JurisdictionFactory(DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"j{n}")
    name = factory.Sequence(lambda n: f"测试市{n}")
    supervisor = factory.LazyAttribute(lambda o: f"{o.name}国资委")
    policy_packs = factory.LazyFunction(lambda: ["yining-2024"])


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    jurisdiction = factory.SubFactory(JurisdictionFactory)
    parent = None
    name = factory.Sequence(lambda n: f"测试集团{n}有限公司")
    uscc = factory.Sequence(uscc)
    ownership = "sole"

    @classmethod
    def _create(cls, model_class: type, *args: object, **kwargs: object) -> Enterprise:
        parent = kwargs.get("parent")
        if parent is not None:
            kwargs["jurisdiction"] = parent.jurisdiction  # type: ignore[attr-defined]
        return services.enterprise_create(actor=None, **kwargs)  # type: ignore[arg-type]


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = DecisionBody

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = "board"

    @classmethod
    def _create(cls, model_class: type, *args: object, **kwargs: object) -> DecisionBody:
        return services.body_create(actor=None, **kwargs)  # type: ignore[arg-type]


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.ENTERPRISE_FILER
    enterprise = None
    jurisdiction = None
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: object = None) -> None:
        if create:
            instance.save()
