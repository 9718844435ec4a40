"""The engine's date and datetime types, imported without CPython 3.11's detour through pure Python.

CPython 3.11's datetime.py first defines a whole pure-Python implementation, then replaces it with the
types of its C module, _datetime (3.12 skips the first part). That costs some 2 ms, a twentieth of a
`soegov classify` start, which is benchmarked against three bare Python starts. The types are the very
objects datetime exports (tests/policy/test_pack_cache.py checks), so a date made here is datetime.date.
Every engine module takes its dates from here.
"""

try:
    from _datetime import date, datetime
except ImportError:  # a Python without the C module (datetime.py then is the pure-Python one)
    from datetime import date, datetime

__all__ = ["date", "datetime"]
