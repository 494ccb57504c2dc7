"""Requests refused before any view runs still carry the site's security headers."""

from django.test import Client


def test_a_nul_refusal_carries_the_content_security_policy(db: None) -> None:
    response = Client().get("/search/?q=java%00script:alert(1)")
    assert response.status_code == 400
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self' 'nonce-" in policy
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
