import datetime

from django.apps import AppConfig


class StatsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.stats"
    verbose_name = "综合统计"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from apps.catalogs.models import Channel, Industry, ProblemType
        from apps.core import periodic
        from apps.stats import maintain
        from apps.stats.queries import forget_catalog_names

        # The aggregates follow every save and delete of a report or a handling hop, in the
        # same transaction (see apps/stats/maintain.py for why signals rather than hooks).
        maintain.connect()
        # Catalog names are cached for a minute; a saved entry or a flush (tests: it announces
        # itself with post_migrate) drops the cache at once.
        post_migrate.connect(forget_catalog_names, dispatch_uid="stats_catalog_migrate")
        for model in (Channel, Industry, ProblemType):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_catalog_names,
                    sender=model,
                    dispatch_uid=f"stats_catalog_{signal is post_save}_{model.__name__}",
                )
        # Day cells below province level past the recent window are never read (measures.py).
        periodic.register(
            "stats_prune_stale_cells", datetime.timedelta(days=1), "apps.stats.tasks.prune_stale_cells"
        )
        periodic.register(
            "stats_prune_old_exports", datetime.timedelta(hours=6), "apps.stats.tasks.prune_old_exports"
        )
