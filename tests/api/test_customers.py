"""Accounts and contacts: staff read, supervisors and administrators change (audited)."""

from __future__ import annotations

from accounts.models import Account, AuditCode, AuditEvent, Contact


def test_staff_read_accounts_and_their_contacts(world, as_role):
    accounts = as_role("agent").get("/accounts", {"q": "A-1"}).json()
    assert [account["name"] for account in accounts] == ["Account A"]
    contacts = as_role("agent").get(f"/accounts/{world.account_a.pk}/contacts").json()
    assert [(c["email"], c["can_sign_in"]) for c in contacts] == [("alice@a.example", True)]


def test_an_administrator_makes_changes_and_deletes_an_account(world, as_role):
    api = as_role("admin")
    made = api.post("/accounts", {"name": "Hosting 42", "external_id": "H-42"})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    changed = api.patch(f"/accounts/{pk}", {"notes": "VIP"})
    assert changed.json()["notes"] == "VIP"
    contact = api.post(f"/accounts/{pk}/contacts", {"email": "Owner@H42.example", "name": "O"})
    assert contact.status_code == 201
    assert api.patch(f"/contacts/{contact.json()['id']}", {"name": "Owner"}).json()["name"] == (
        "Owner"
    )
    assert api.delete(f"/contacts/{contact.json()['id']}").status_code == 204
    assert api.delete(f"/accounts/{pk}").status_code == 204
    assert not Account.objects.filter(pk=pk).exists()
    codes = set(AuditEvent.objects.values_list("code", flat=True))
    assert {
        AuditCode.ACCOUNT_ADDED,
        AuditCode.ACCOUNT_CHANGED,
        AuditCode.CONTACT_ADDED,
        AuditCode.CONTACT_DELETED,
        AuditCode.ACCOUNT_DELETED,
    } <= codes


def test_agents_may_not_change_customer_records(world, as_role):
    api = as_role("agent")
    assert api.post("/accounts", {"name": "X"}).status_code == 403
    assert api.patch(f"/accounts/{world.account_a.pk}", {"name": "Y"}).status_code == 403
    assert api.delete(f"/accounts/{world.account_a.pk}").status_code == 403
    world.account_a.refresh_from_db()
    assert world.account_a.name == "Account A"


def test_a_taken_external_id_or_address_is_400(world, as_role):
    api = as_role("admin")
    assert api.post("/accounts", {"name": "Dup", "external_id": "A-1"}).status_code == 400
    taken = api.post(f"/accounts/{world.account_b.pk}/contacts", {"email": "ALICE@a.example"})
    assert taken.status_code == 400
    bad = api.post(f"/accounts/{world.account_b.pk}/contacts", {"email": "not-an-address"})
    assert bad.status_code == 400
    assert "email" in bad.json()["errors"]
    assert Contact.objects.count() == 2


def test_an_unknown_account_is_404(as_role):
    assert as_role("admin").get("/accounts/424242").status_code == 404
    assert as_role("admin").get("/contacts/424242").status_code == 404
