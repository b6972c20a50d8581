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
