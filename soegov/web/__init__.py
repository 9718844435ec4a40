"""The Django project: settings, URLs, WSGI/ASGI, base templates, static files and CLI commands."""
