"""Editors manage plans in the admin; a plan in use is retired, never deleted."""

import pytest
from django.contrib.auth.models import Group, Permission

from broadsheet.accounts.models import User
from broadsheet.subscriptions import services
from broadsheet.subscriptions.models import Plan
from tests.subscriptions.conftest import OK_CARD, new_key


@pytest.fixture
def editor(db, plans):
    user = User.objects.create_user("desk@example.com", "a long enough password")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_editors_see_and_edit_plans(client, editor, plans):
    client.force_login(editor)
    assert "Digital Plus" in client.get("/admin/subscriptions/plan/").content.decode()

    plan = plans["digital"]
    page = client.get(f"/admin/subscriptions/plan/{plan.pk}/change/")
    assert page.status_code == 200
    assert 'name="trial_includes_comments"' in page.content.decode()


def test_a_plan_in_use_cannot_be_deleted(client, editor, plans, reader):
    editor.user_permissions.add(Permission.objects.get(codename="delete_plan"))
    services.subscribe(reader, plan="digital", card=OK_CARD, idempotency_key=new_key())
    client.force_login(editor)

    assert client.get(f"/admin/subscriptions/plan/{plans['digital'].pk}/delete/").status_code == 403
    client.post(
        "/admin/subscriptions/plan/",
        {"action": "delete_selected", "_selected_action": [plans["digital"].pk], "post": "yes"},
    )
    assert Plan.objects.filter(slug="digital").exists()

    unused = Plan.objects.create(name="Weekend", slug="weekend", price_cents=300)
    client.post(f"/admin/subscriptions/plan/{unused.pk}/delete/", {"post": "yes"})
    assert not Plan.objects.filter(slug="weekend").exists()


def test_retire_takes_a_plan_off_sale_and_keeps_its_subscribers(client, editor, plans, reader):
    sub = services.subscribe(reader, plan="digital", card=OK_CARD, idempotency_key=new_key())
    client.force_login(editor)

    client.post(
        "/admin/subscriptions/plan/",
        {"action": "retire", "_selected_action": [plans["digital"].pk, plans["free"].pk]},
    )
    assert Plan.objects.get(slug="digital").is_retired
    assert not Plan.objects.get(slug="free").is_retired
    assert "Digital" not in [p["name"] for p in client.get("/api/plans/").json()]
    sub.refresh_from_db()
    assert sub.is_current
    assert services.entitlements(reader).plan.slug == "digital"


def test_subscriptions_are_read_only_in_the_admin(client, plans, reader):
    admin = User.objects.create_superuser("root@example.com", "a long enough password")
    sub = services.subscribe(reader, plan="digital", card=OK_CARD, idempotency_key=new_key())
    client.force_login(admin)

    page = client.get(f"/admin/subscriptions/subscription/{sub.pk}/change/").content.decode()
    assert "trial started" in page
    assert 'name="_save"' not in page
    assert client.get("/admin/subscriptions/subscription/add/").status_code == 403


def test_the_admin_explains_invalid_plans(client, editor, plans):
    client.force_login(editor)
    free = plans["free"]
    response = client.post(
        f"/admin/subscriptions/plan/{free.pk}/change/",
        {
            "name": free.name, "slug": free.slug, "description": "", "display_order": 0,
            "price_cents": 500, "currency": "EUR", "period": "month", "trial_days": 0,
            "monthly_free_premium": 1, "is_public": "on",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "The free plan costs nothing." in response.content.decode()
    free.refresh_from_db()
    assert free.price_cents == 0
