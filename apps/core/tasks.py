from django_tasks import task

from apps.core.cache_cleanup import purge_expired_cache_rows


@task()
def purge_expired_cache() -> int:
    return purge_expired_cache_rows()
