"""History of accounts and groups (django-simple-history): who changed a user's roles, rights or
status, and a group's permissions, with old → new values.

Registered from `SchoolsConfig.ready()`: auth's models are not ours to declare a history on.
Password hashes and login times are not history: they are left out, and a save of those alone
(each login writes `last_login`) records nothing.
"""

from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

NOT_HISTORY = ("password", "last_login")


class AccountRecords(HistoricalRecords):
    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= set(NOT_HISTORY):
            return
        super().post_save(instance, created, using=using, **kwargs)


def account_history_register():
    register(
        User,
        app="schools",
        records_class=AccountRecords,
        excluded_fields=list(NOT_HISTORY),
        m2m_fields=["groups", "user_permissions"],
        verbose_name=_("账号修改记录"),
    )
    register(Group, app="schools", m2m_fields=["permissions"], verbose_name=_("用户组修改记录"))
