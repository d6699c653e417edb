from django_tasks import task

from apps.audit.services import audit_prune


@task()
def prune_audit_log() -> int:
    return audit_prune()
