"""The response to a locked-out login (django-axes' AXES_LOCKOUT_CALLABLE).

axes answers a browser with the lockout page (registration/locked.html), but a script's request
(X-Requested-With: XMLHttpRequest) with bare numbers in JSON that tell a user nothing. Here both
say, in the user's language, why the login is refused and what to do.
"""

from axes.conf import settings
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def lockout_response(request, original_response=None, credentials=None):
    status = settings.AXES_HTTP_RESPONSE_CODE
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
    }
    cool_off = get_cool_off(request)
    if cool_off:
        context["cooloff_timedelta"] = cool_off
    if request.headers.get("x-requested-with") != "XMLHttpRequest":
        return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=status)
    if cool_off:
        minutes = round(cool_off.total_seconds() / 60)
        message = ngettext(
            "登录失败次数过多，该账号已被锁定，请在 %(minutes)s 分钟后再试。",
            "登录失败次数过多，该账号已被锁定，请在 %(minutes)s 分钟后再试。",
            minutes,
        ) % {"minutes": minutes}
        context["cooloff_minutes"] = minutes
        del context["cooloff_timedelta"]
    else:
        message = _("登录失败次数过多，该账号已被锁定，请联系局管理员解除锁定。")
    return JsonResponse({"message": message, **context}, status=status)
