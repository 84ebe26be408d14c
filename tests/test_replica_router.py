"""The read-replica switch (config/routers.py): named read-only pages read the replica, nothing writes there."""
from django.test import RequestFactory, override_settings
from django.urls import resolve

from config.routers import ReplicaReadsMiddleware, ReplicaRouter, replica_reads
from roles.models import Commune


def _served(path: str, method: str = "get") -> str:
    """Which database a read made while the view runs would use."""
    request = getattr(RequestFactory(), method)(path)
    request.resolver_match = resolve(path)
    seen = {}

    def view(request):
        seen["db"] = ReplicaRouter().db_for_read(Commune)
        return None

    middleware = ReplicaReadsMiddleware(lambda request: view(request))
    middleware.process_view(request, view, (), {})
    middleware(request)
    return seen["db"]


@override_settings(SAURO_REPLICA_URL_NAMES=["commune_dashboard"])
def test_a_named_dashboard_reads_the_replica_and_the_next_request_does_not():
    assert _served("/xa/thanh-mien/tong-quan/") == "replica"
    assert ReplicaRouter().db_for_read(Commune) == "default"  # reset once the response is out
    assert _served("/viec-cua-toi/") == "default"


@override_settings(SAURO_REPLICA_URL_NAMES=["commune_dashboard"])
def test_a_post_to_a_named_page_stays_on_the_primary():
    assert _served("/xa/thanh-mien/tong-quan/", method="post") == "default"


def test_writes_and_migrations_go_to_the_primary_even_inside_replica_reads():
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Commune) == "replica"
        assert router.db_for_write(Commune, instance=Commune()) == "default"
    assert router.db_for_read(Commune) == "default"
    assert router.allow_migrate("replica", "roles") is False
    assert router.allow_migrate("default", "roles") is True
