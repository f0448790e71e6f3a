"""The app's URLs plus the bare one-INSERT view of ``bench/wsgi_bare.py``."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from siputri.urls import urlpatterns as app_urlpatterns

BARE_TABLE = "bench_bare_insert"


@csrf_exempt
@require_POST
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BARE_TABLE} (body) VALUES (%s)", [request.body.decode()])  # noqa: S608
    return HttpResponse(status=201)


urlpatterns = [path("bench/insert/", bare_insert), *app_urlpatterns]
