"""The API's error body, shared by every app's endpoints: the contract's {"error": {"code", "message", "path"}}."""

from __future__ import annotations

from ninja import Schema


class ErrorBody(Schema):
    code: str
    message: str
    path: str | None = None


class ErrorOut(Schema):
    error: ErrorBody


# The error statuses every endpoint may answer (a SoegovError, a denial, a record out of scope).
ERROR_RESPONSES: dict[int, type[Schema]] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
