import pytest

from safeguarding.accounts.services import user_create
from safeguarding.core.audit import SystemActor
from tests.conftest import sign_in


@pytest.mark.django_db
def test_an_administrator_can_maintain_reference_data_in_the_admin(client):
    admin = user_create(
        username="admin1", password="x" * 16, person=None, roles=["administrator"], actor=SystemActor("test")
    )
    sign_in(client, admin)
    assert client.get("/admin/accounts/organisation/").status_code == 200
    assert client.get("/admin/accounts/organisation/add/").status_code == 200
    analyst = user_create(
        username="analyst1", password="x" * 16, person=None, roles=["analyst"], actor=SystemActor("test")
    )
    client.logout()
    sign_in(client, analyst)
    assert client.get("/admin/accounts/organisation/").status_code == 302


@pytest.mark.django_db
def test_writes_through_the_admin_are_in_the_audit_trail(client):
    from safeguarding.accounts.models import Area
    from safeguarding.core.models import AuditEvent

    admin = user_create(
        username="admin2", password="x" * 16, person=None, roles=["administrator"], actor=SystemActor("test")
    )
    sign_in(client, admin)
    assert client.post("/admin/accounts/area/add/", {"code": "E0601", "name": "Testshire"}).status_code == 302
    area = Area.objects.get(code="E0601")
    created = AuditEvent.objects.get(action="create", object_type="accounts.area", object_id=str(area.pk))
    assert created.actor == admin and created.changes["name"] == "Testshire"
    client.post(f"/admin/accounts/area/{area.pk}/change/", {"code": "E0601", "name": "Testshire West"})
    updated = AuditEvent.objects.get(action="update", object_type="accounts.area", object_id=str(area.pk))
    assert updated.actor == admin and updated.changes["name"] == ["Testshire", "Testshire West"]
    client.post(f"/admin/accounts/area/{area.pk}/delete/", {"post": "yes"})
    assert not Area.objects.filter(pk=area.pk).exists()
    assert AuditEvent.objects.get(action="delete", object_type="accounts.area", object_id=str(area.pk)).actor == admin
