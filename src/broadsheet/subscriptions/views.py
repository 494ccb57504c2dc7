from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadsheet.subscriptions.models import Plan


def plans(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.filter(is_public=True, is_retired=False)
    return render(request, "subscriptions/plans.html", {"plans": plans})
