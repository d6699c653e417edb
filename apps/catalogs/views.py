from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from apps.accounts.permissions import is_ministry_admin
from apps.catalogs.services import CATALOGS, catalog_entry_save


def _ministry_admin_or_404(request):
    # Other users get the same answer as for a page that does not exist.
    if not is_ministry_admin(request.user):
        raise Http404("页面不存在")


@login_required
def catalog_index(request):
    _ministry_admin_or_404(request)
    sections = [(kind, kind.model.objects.all()) for kind in CATALOGS.values()]
    return render(request, "catalogs/index.html", {"sections": sections, "active": "sysadmin"})


@login_required
def catalog_edit(request, slug: str, pk: int | None = None):
    _ministry_admin_or_404(request)
    kind = CATALOGS.get(slug)
    if kind is None:
        raise Http404("页面不存在")
    instance = get_object_or_404(kind.model, pk=pk) if pk is not None else None
    form = kind.form(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        entry = catalog_entry_save(actor=request.user, form=form, request=request)
        messages.success(request, f"已保存{kind.title}“{entry.name}”。")
        return redirect("catalogs:index")
    return render(request, "catalogs/edit.html", {"form": form, "kind": kind, "instance": instance,
                                                  "active": "sysadmin"})
