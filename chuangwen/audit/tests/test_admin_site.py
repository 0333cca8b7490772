"""Writes through Django's admin site are audited like any other change: the office superuser
who gives a liaison the office role leaves an entry naming the membership, its unit and role."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from chuangwen.accounts.models import Membership, Role, User
from chuangwen.audit.admin_site import AuditedAdminMixin, AuditedAdminSite
from chuangwen.audit.models import AuditEntry
from chuangwen.audit.services import verify_chain
from chuangwen.campaigns.models import Phase

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The values a browser would submit from the page's one POST form (inputs, selects, textareas)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_data(client: Client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {k: v for k, v in parser.data.items() if "__prefix__" not in k}


@pytest.fixture
def superuser(world) -> Client:
    boss = User.objects.create_superuser("office-root", password="Root-Passw0rd!")
    client = Client()
    client.force_login(boss)
    return client


def test_every_model_on_the_admin_site_is_audited():
    assert isinstance(admin.site, AuditedAdminSite)
    assert admin.site._registry
    unaudited = [
        m._meta.label for m, a in admin.site._registry.items() if not isinstance(a, AuditedAdminMixin)
    ]
    assert unaudited == []


def test_giving_a_liaison_the_office_role_in_the_admin_is_audited(world, superuser):
    liaison = world.liaison_a
    url = reverse("admin:accounts_user_change", args=[liaison.pk])
    data = form_data(superuser, url)
    n = int(data["memberships-TOTAL_FORMS"][0])
    data["memberships-TOTAL_FORMS"] = [str(n + 1)]
    data[f"memberships-{n}-unit"] = [str(world.office_unit.pk)]
    data[f"memberships-{n}-role"] = [Role.OFFICE_ADMIN]
    data[f"memberships-{n}-user"] = [str(liaison.pk)]
    data["display_name"] = ["松林联络员"]
    response = superuser.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=liaison, role=Role.OFFICE_ADMIN)

    added = AuditEntry.objects.get(action="admin.accounts.membership.add")
    assert (added.actor_name, added.object_id) == ("office-root", str(membership.pk))
    assert added.changes["role"] == [None, "office_admin"]
    assert added.changes["unit"] == [None, f"{world.office_unit} (#{world.office_unit.pk})"]
    assert added.changes["user"] == [None, f"松林联络员 (#{liaison.pk})"]
    assert added.ip == "127.0.0.1"

    changed = AuditEntry.objects.get(action="admin.accounts.user.change")
    assert changed.object_id == str(liaison.pk)
    assert changed.changes == {"display_name": ["", "松林联络员"]}
    assert verify_chain().ok


def test_removing_a_role_in_the_admin_is_audited_with_what_was_removed(world, superuser):
    liaison = world.liaison_a
    membership = liaison.memberships.get()
    url = reverse("admin:accounts_user_change", args=[liaison.pk])
    data = form_data(superuser, url)
    data["memberships-0-DELETE"] = ["on"]
    assert superuser.post(url, data).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = AuditEntry.objects.get(action="admin.accounts.membership.delete")
    assert entry.changes["id"] == [str(membership.pk), None]
    assert entry.changes["role"] == ["liaison", None]
    assert f"#{membership.pk}" in entry.object_repr


def test_a_password_set_in_the_admin_is_audited_without_the_password(world, superuser):
    url = reverse("admin:auth_user_password_change", args=[world.liaison_a.pk])
    response = superuser.post(
        url,
        {"password1": "Brand-New-Passw0rd!", "password2": "Brand-New-Passw0rd!", "usable_password": "true"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.accounts.user.change", object_id=str(world.liaison_a.pk))
    assert entry.changes == {"password": ["******", "******"]}


def test_an_object_added_in_the_admin_is_audited_with_its_values(world, superuser):
    url = reverse("admin:accounts_user_add")
    data = form_data(superuser, url)
    data.update(username=["newcomer"], password1=["Newcomer-Passw0rd!"], password2=["Newcomer-Passw0rd!"])
    response = superuser.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    newcomer = User.objects.get(username="newcomer")
    entry = AuditEntry.objects.get(action="admin.accounts.user.add")
    assert entry.object_id == str(newcomer.pk)
    assert entry.changes["username"] == [None, "newcomer"]
    assert entry.changes["password"] == [None, "******"]
    assert "Newcomer-Passw0rd!" not in str(entry.changes)


def test_deleting_in_the_admin_is_audited_with_the_last_values(world, superuser):
    phase = Phase.objects.get(campaign=world.campaign)
    url = reverse("admin:campaigns_phase_delete", args=[phase.pk])
    assert superuser.post(url, {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.get(action="admin.campaigns.phase.delete")
    assert entry.object_id == str(phase.pk)
    assert entry.changes["name"] == ["宣传发动", None]


def test_the_bulk_delete_action_is_audited_per_object(world, superuser):
    phase = Phase.objects.get(campaign=world.campaign)
    second = Phase.objects.create(
        campaign=world.campaign, seq=2, name="整体推进", start=phase.end, end=phase.end
    )
    url = reverse("admin:campaigns_phase_changelist")
    response = superuser.post(
        url, {"action": "delete_selected", "_selected_action": [phase.pk, second.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not Phase.objects.exists()
    deleted = set(
        AuditEntry.objects.filter(action="admin.campaigns.phase.delete").values_list("object_id", flat=True)
    )
    assert deleted == {str(phase.pk), str(second.pk)}


def test_deleting_a_user_in_the_admin_records_the_memberships_it_takes_along(world, superuser):
    liaison = world.liaison_a
    membership = liaison.memberships.get()
    url = reverse("admin:accounts_user_delete", args=[liaison.pk])
    assert superuser.post(url, {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.get(action="admin.accounts.user.delete")
    assert entry.changes["username"] == ["liaison_a", None]
    assert entry.changes["deleted_with_it"] == [
        [f"accounts.membership {membership} (#{membership.pk})"],
        None,
    ]
    assert verify_chain().ok


def test_an_admin_change_whose_audit_entry_cannot_be_written_is_not_kept(world, superuser, monkeypatch):
    liaison = world.liaison_a
    url = reverse("admin:accounts_user_change", args=[liaison.pk])
    data = form_data(superuser, url)
    data["display_name"] = ["不留痕迹"]

    def broken_log(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr("chuangwen.audit.admin_site.log_action", broken_log)
    with pytest.raises(RuntimeError):
        superuser.post(url, data)
    liaison.refresh_from_db()
    assert liaison.display_name == ""


def test_an_apps_own_admin_action_is_audited_per_object_it_changes_or_deletes(world):
    from django.test import RequestFactory

    @admin.action(description="rename")
    def rename(modeladmin, request, queryset):
        queryset.update(name="改名")

    @admin.action(description="drop")
    def drop(modeladmin, request, queryset):
        queryset.delete()

    class PhaseAdmin(admin.ModelAdmin):
        actions = [rename, drop]

    site = AuditedAdminSite(name="test-admin")
    site.register(Phase, PhaseAdmin)
    phase_admin = site._registry[Phase]
    phase = Phase.objects.get(campaign=world.campaign)
    boss = User.objects.create_superuser("office-root", password="Root-Passw0rd!")

    def run(action: str) -> None:
        request = RequestFactory().post("/", {"action": action, "_selected_action": [phase.pk], "index": 0})
        request.user = boss
        assert phase_admin.response_action(request, Phase.objects.all()).status_code == 302

    run("rename")
    changed = AuditEntry.objects.get(action="admin.campaigns.phase.change")
    assert changed.object_id == str(phase.pk)
    assert changed.changes == {"name": ["宣传发动", "改名"], "admin_action": [None, "rename"]}
    run("drop")
    assert not Phase.objects.exists()
    deleted = AuditEntry.objects.get(action="admin.campaigns.phase.delete")
    assert (deleted.object_type, deleted.object_id) == ("campaigns.phase", str(phase.pk))
    assert deleted.changes["name"] == ["改名", None]
    assert verify_chain().ok
