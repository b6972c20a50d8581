"""The maintained lists are kept in the admin; the records about children are not."""

import pytest

from safeguarding.accounts.services import user_create
from safeguarding.core.audit import SystemActor
from tests.conftest import sign_in


@pytest.mark.django_db
def test_the_maintained_lists_are_in_the_admin_and_the_childrens_records_are_not(client):
    admin = user_create(
        username="admin1", password="x" * 16, person=None, roles=["administrator"], actor=SystemActor("test")
    )
    sign_in(client, admin)
    assert client.get("/admin/reviews/notificationreason/").status_code == 200
    assert client.get("/admin/reviews/reviewtheme/add/").status_code == 200
    for model in ("seriousincidentnotification", "notifiedchild", "agencysummaryrequest", "rapidreview"):
        assert client.get(f"/admin/reviews/{model}/").status_code == 404, model
