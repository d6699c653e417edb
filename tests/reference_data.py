"""The rows the data migrations write (catalogs, SMS templates, the coal-mine routing rule,
confirmed calendar years). A transactional test (live server, two connections) flushes every
table afterwards, these rows included; the next test gets them back from here. Each seeding
function is idempotent, so calling this when nothing was flushed changes nothing."""

import importlib

from django.apps import apps

SEEDING_MIGRATIONS = (
    ("apps.catalogs.migrations.0002_seed", "forwards"),
    ("apps.sms.migrations.0002_seed_templates", "forwards"),
    ("apps.sms.migrations.0003_merge_referred_into_not_our_duty", "forwards"),
    ("apps.public.migrations.0002_seed_coal_mine_rule", "forwards"),
    ("apps.workcalendar.migrations.0002_confirm_package_years", "confirm"),
)


def ensure_reference_data() -> None:
    from apps.catalogs.models import Channel
    from apps.sms.models import SmsTemplate

    if Channel.objects.exists() and SmsTemplate.objects.exists():
        return
    for module, function in SEEDING_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
