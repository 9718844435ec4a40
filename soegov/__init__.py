"""soegov: major-matter reporting and collective-decision compliance for state-owned enterprises."""

__version__ = "0.1.0"
