"""The demo data of `soegov demo`: one module per app, a shared account helper, and `load.load_demo` over them.

Only the CLI (and tests) import this package: no app imports it, so demo data can never reach a server
that was not started with `soegov demo`.
"""
