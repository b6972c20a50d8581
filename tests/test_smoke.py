import pytest


@pytest.mark.django_db
def test_home_page_greets_a_signed_in_business_manager(client, signed_in):
    signed_in(client, "business_manager")
    response = client.get("/")
    assert response.status_code == 200
    assert "What needs your attention" in response.content.decode()
