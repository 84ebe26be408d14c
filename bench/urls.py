"""The site's URLs plus the pages' baseline: a signed-in page with the site's layout and no data of its own."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import include, path


@login_required
def floor(request):
    """The cost every page pays: middleware, session, sign-in and two-factor checks, the bell and base.html."""
    return render(request, "base.html", {})


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("config.urls")),
]
