from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig


class ClinicConfig(AppConfig):
    default = True
    name = "clinic"
    verbose_name = "Clinic"

    def ready(self) -> None:
        from . import security_signals, sessions, signals  # noqa: F401  (receivers)


class ClinicStaticFilesConfig(StaticFilesConfig):
    """Static files without the npm install tree that lives beside them in static/."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "node_modules", "package*.json"]
