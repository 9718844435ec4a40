"""The REST API (django-ninja) with its OpenAPI document."""
