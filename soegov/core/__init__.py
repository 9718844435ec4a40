"""The shared layer every app stands on: errors, time, locking, scoping, role gates, rendering, files.

A leaf: it imports no soegov app. This package file imports nothing, so the rules engine can take
`soegov.core.errors` and `soegov.core.time` without loading Django (`soegov classify` start-up is measured).
"""
