from django_tasks import task

from apps.stats.services import export_run


@task()
def build_export(export_id: int) -> None:
    export_run(export_id)


@task()
def prune_stale_cells() -> int:
    from apps.stats.rebuild import prune_stale

    return prune_stale()


@task()
def prune_old_exports() -> int:
    from apps.stats.services import exports_prune

    return exports_prune()
