"""Editing the catalogs: the ministry's system administrator only, every change audited.

Entries are never deleted (reports keep pointing at them); an entry that is no longer offered is
switched off with is_active.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from apps.accounts.permissions import is_ministry_admin
from apps.audit.services import audit_log
from apps.catalogs.forms import ChannelForm, IndustryForm, ProblemTypeForm
from apps.catalogs.models import Channel, Industry, ProblemType


@dataclass(frozen=True)
class CatalogKind:
    slug: str
    title: str
    model: type[models.Model]
    form: type[forms.ModelForm]


CATALOGS = {
    kind.slug: kind
    for kind in (
        CatalogKind("problem-types", "问题类型", ProblemType, ProblemTypeForm),
        CatalogKind("industries", "行业", Industry, IndustryForm),
        CatalogKind("channels", "举报形式", Channel, ChannelForm),
    )
}


def catalog_entry_save(*, actor, form: forms.ModelForm, request=None) -> models.Model:
    """Create or update one entry from a valid form, with an audit row, in one transaction."""
    if not is_ministry_admin(actor):
        raise PermissionDenied("只有应急管理部系统管理员可以维护基础数据。")
    creating = form.instance.pk is None
    with transaction.atomic():
        entry = form.save()
        audit_log(
            actor=actor, action="catalog.create" if creating else "catalog.update", target=entry,
            result="success", request=request, detail={"changed": sorted(form.changed_data)},
        )
    return entry
