"""Django's admin, installed with a site that audits every write (see admin_site.py).

Kept apart from apps.py: two AppConfig classes in one module would leave Django unsure which
one is the audit app's."""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "chuangwen.audit.admin_site.AuditedAdminSite"
