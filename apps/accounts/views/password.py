from django.contrib import messages
from django.contrib.auth import password_validation, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from apps.accounts.forms import PasswordChangeForm
from apps.accounts.services import password_change, password_change_required
from apps.accounts.views.login import safe_next
from apps.audit import actions
from apps.audit.services import audit_log


@sensitive_post_parameters()
@login_required
def password_change_view(request):
    reason = password_change_required(request.user)
    next_url = safe_next(request)
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                user = password_change(
                    actor=request.user, new_password=form.cleaned_data["new_password1"], request=request
                )
            except ValidationError as exc:
                form.add_error("new_password1", exc)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, "密码已修改。")
                return redirect(next_url or "home")
        elif "old_password" in form.errors:
            audit_log(
                actor=request.user,
                action=actions.PASSWORD_CHANGE,
                target=request.user,
                result="failure",
                request=request,
                detail={"reason": "原密码不正确"},
            )
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "reason": reason,
            "next": next_url,
            "rules": password_validation.password_validators_help_texts(),
        },
    )
