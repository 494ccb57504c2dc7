"""Readers report comments here; the desk itself lives under /desk/."""

from django.urls import URLPattern

app_name = "reports"
urlpatterns: list[URLPattern] = []
