from soegov.cli import run

raise SystemExit(run())
