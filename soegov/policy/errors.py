"""Errors of the rules engine."""

from __future__ import annotations

from soegov.core.errors import SoegovError


class PackError(SoegovError):
    """A policy pack file that does not load: names the file and the place in it."""

    def __init__(self, where: str, message: str):
        super().__init__("invalid_pack", f"{where}: {message}", where, f"{where}: {message}")


class MissingFact(Exception):
    """A rule needs a fact the input left out; the engine turns it into an InputError."""

    def __init__(self, path: str):
        super().__init__(path)
        self.path = path
