"""Personal data encrypted at rest (pay, scores): a Decimal model field stored as SM4-GCM text.

The key is derived from the key-encryption key in the key folder outside the database
(soegov.signatures.keystore), so a copy or a dump of the database shows no amount. Python code reads and
writes Decimal values as before. The database cannot compare sealed values, so such a field can be filtered
only on being null; no query of soegov filters, sorts or sums on one (the totals are added in Python).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldError
from django.db import models


class EncryptedDecimalField(models.DecimalField):
    """A DecimalField whose column holds the value sealed with SM4-GCM (text), bound to its table and column."""

    description = "Decimal encrypted with SM4"

    def get_internal_type(self) -> str:
        return "TextField"

    def _aad(self) -> bytes:
        return f"{self.model._meta.label_lower}.{self.name}".encode()

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        """The sealed text of the (quantized) Decimal, or None."""
        from soegov.signatures.keystore import seal_value

        value = self.to_python(value)
        if value is None:
            return None
        exact = format(value.quantize(Decimal(1).scaleb(-self.decimal_places)), "f")
        return seal_value(exact.encode("ascii"), self._aad())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        """The Decimal the column seals (KeyStoreError when it does not open)."""
        from soegov.signatures.keystore import open_value

        if value is None:
            return None
        try:
            return Decimal(open_value(str(value), self._aad()).decode("ascii"))
        except (InvalidOperation, UnicodeDecodeError) as exc:
            raise ValueError(f"{self._aad().decode()} 的加密值不是金额") from exc

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"{self.verbose_name} 加密存储，只能按是否为空查询，不能按值 ({lookup_name}) 查询")
        return super().get_lookup(lookup_name)


# {model name: [(field, verbose name, max_digits, decimal_places, null, default)]} for sealing_operations.
SealedFields = dict[str, list[tuple[str, str, int, int, bool, Any]]]


def sealing_operations(app_label: str, fields: SealedFields) -> list[Any]:
    """Migration operations turning Decimal columns into sealed ones: each column becomes text, every existing
    row is sealed under the key folder's KEK, then the field is an EncryptedDecimalField (no schema change).
    Reversed, the amounts are unsealed back into plain numbers."""
    from django.db import migrations

    def _each(apps: Any, change: Any, schema_editor: Any) -> None:
        for model_name, specs in fields.items():
            for row in apps.get_model(app_label, model_name).objects.all().iterator():
                names = []
                for name, *_ in specs:
                    value = getattr(row, name)
                    if value is not None:
                        setattr(row, name, change(str(value), f"{app_label}.{model_name}.{name}".encode(), specs))
                        names.append(name)
                if names:
                    row.save(update_fields=names)
        if schema_editor.connection.vendor == "postgresql":
            # The rows' deferred foreign-key checks must run now: PostgreSQL refuses to ALTER a table (the next
            # operation) while trigger events on it are pending in the transaction.
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def seal(apps: Any, schema_editor: Any) -> None:
        from soegov.signatures.keystore import seal_value

        def change(text: str, aad: bytes, specs: Any) -> str:
            places = next(p for n, _, _, p, _, _ in specs if aad.decode().endswith(f".{n}"))
            exact = format(Decimal(text).quantize(Decimal(1).scaleb(-places)), "f")
            return seal_value(exact.encode("ascii"), aad)

        _each(apps, change, schema_editor)

    def unseal(apps: Any, schema_editor: Any) -> None:
        from soegov.signatures.keystore import open_value

        _each(apps, lambda text, aad, specs: open_value(text, aad).decode("ascii"), schema_editor)

    def alter(encrypted: bool) -> list[Any]:
        ops = []
        for model_name, specs in fields.items():
            for name, label, digits, places, null, default in specs:
                extra: dict[str, Any] = {"null": True, "blank": True} if null else {}
                if default is not None:
                    extra["default"] = default
                field = (EncryptedDecimalField(label, max_digits=digits, decimal_places=places, **extra) if encrypted
                         else models.TextField(label, **extra))
                ops.append(migrations.AlterField(model_name=model_name, name=name, field=field))
        return ops

    # elidable: sealing changes only rows that exist; a new database (which runs the squashed migration) has none.
    return [*alter(False), migrations.RunPython(seal, unseal, elidable=True), *alter(True)]
