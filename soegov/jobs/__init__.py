"""Long work on a task queue: the visible job record, its runner, the Celery app and the schedule."""
