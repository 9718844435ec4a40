"""Backups of an installation (database, uploaded files, keys, audit anchors) and their verified restore."""
