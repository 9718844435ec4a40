from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "soegov.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        # Each app's `jobs.py` registers the kinds of work it hands to the queue.
        from soegov.jobs import registry

        registry.autodiscover()
