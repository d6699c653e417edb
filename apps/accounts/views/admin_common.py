"""What the 系统管理 pages share (用户管理, 机构管理, 短信模板, 节假日): who may open them, and
how a service's ValidationError reaches the form."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.permissions import is_active_admin


def role_required(allowed, message: str):
    """A view decorator: logged in, and `allowed(user)`, else 403 with `message`."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


admin_required = role_required(is_active_admin, "只有系统管理员可以使用系统管理功能。")


def apply_validation_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, if the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def submit_form(request, form, perform) -> tuple[bool, object]:
    """For a POST with a valid form, run `perform(cleaned_data)` (one service call); a
    ValidationError it raises goes onto the form, which the page then shows again.

    Returns (True, what perform returned) when the service ran, else (False, None)."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        return True, perform(form.cleaned_data)
    except ValidationError as exc:
        apply_validation_errors(form, exc)
        return False, None
