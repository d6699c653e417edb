from django.db import transaction
from django.db.models.signals import post_delete, post_save

from apps.workcalendar import store
from apps.workcalendar.models import CalendarOverride, CalendarYear


def calendar_changed(**kwargs) -> None:
    # This process sees its own change at once. Other processes are told only after commit:
    # told earlier, they could rebuild from the not-yet-committed state and keep the old
    # calendar under the new version.
    store.invalidate_local()
    transaction.on_commit(store.bump_shared_version)


def connect() -> None:
    for model in (CalendarOverride, CalendarYear):
        post_save.connect(calendar_changed, sender=model, dispatch_uid=f"workcalendar-save-{model.__name__}")
        post_delete.connect(
            calendar_changed, sender=model, dispatch_uid=f"workcalendar-delete-{model.__name__}"
        )
