"""The pages of the foundation: login, plans, the import preview, health, languages, and the 403s."""
from __future__ import annotations

import pytest
from django.urls import reverse

from tasks.models import Plan, PlanUpload, Task
from tests.conftest import DATA


def _upload(client, commune, name="000_phu_luc.docx", create_missing=False):
    with open(DATA / name, "rb") as handle:
        return client.post(reverse("plan_upload"), {"commune": commune.pk, "file": handle,
                                                    "create_missing": "on" if create_missing else ""})


def test_login_page_is_vietnamese_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_an_english_browser_still_gets_vietnamese_first(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in response.content.decode()
    assert response["Content-Language"] == "vi"


def test_language_switch_shows_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert "Log in" in response.content.decode()


def test_pages_need_a_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert "last_seen" in body["scheduler"]


def test_party_office_uploads_previews_and_confirms(login, people, thanh_mien):
    client = login(people["party_office"])

    response = _upload(client, thanh_mien)
    upload = PlanUpload.objects.get()
    assert response.status_code == 302
    preview = client.get(response["Location"])
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Kiện toàn Ban Chỉ đạo" in page and "6 rõ" in page
    assert "Tỷ lệ phủ sóng 5G trên địa bàn xã." in page and "Đạt trên 3,5%" in page
    assert Plan.objects.count() == 0, "a preview writes nothing"

    confirmed = client.post(reverse("plan_upload_confirm", args=[upload.pk]))
    plan = Plan.objects.get()
    assert confirmed["Location"] == reverse("plan_detail", args=[plan.pk])
    assert plan.tasks.count() == 11 and plan.imported_by == people["party_office"]
    assert not PlanUpload.objects.exists()


def test_cancel_saves_nothing(login, people, thanh_mien):
    client = login(people["party_office"])
    _upload(client, thanh_mien)
    upload = PlanUpload.objects.get()

    client.post(reverse("plan_upload_cancel", args=[upload.pk]))

    assert not PlanUpload.objects.exists() and Plan.objects.count() == 0


def test_a_broken_upload_shows_the_reason_in_both_languages(login, people, thanh_mien, tmp_path):
    client = login(people["party_office"])
    broken = tmp_path / "hong.docx"
    broken.write_bytes((DATA / "000_phu_luc.docx").read_bytes()[:5000])
    with open(broken, "rb") as handle:
        response = client.post(reverse("plan_upload"), {"commune": thanh_mien.pk, "file": handle})
    preview = client.get(response["Location"])

    assert preview.status_code == 422
    page = preview.content.decode()
    assert "Nothing was saved" in page or "Không có gì được lưu" in page
    assert 'lang="en"' in page
    assert Plan.objects.count() == 0 and Task.objects.count() == 0


@pytest.mark.parametrize("role", ["unit_head", "staff", "directing", "inspection", "front", "no_role"])
def test_only_the_party_office_and_administrator_may_import(login, people, thanh_mien, role):
    client = login(people[role])
    assert client.get(reverse("plan_upload")).status_code == 403
    assert _upload(client, thanh_mien).status_code == 403
    assert not PlanUpload.objects.filter(commune=thanh_mien).exists()


def test_another_communes_party_office_cannot_import_into_this_commune(login, people, thanh_mien):
    client = login(people["other_commune"])
    response = _upload(client, thanh_mien)

    assert response.status_code == 200 and response.context["form"].errors["commune"]
    assert not PlanUpload.objects.exists()


def test_administrator_may_import(login, people, thanh_mien):
    client = login(people["admin"])
    assert client.get(reverse("plan_upload")).status_code == 200


def test_another_person_cannot_open_or_confirm_my_upload(login, people, thanh_mien, client):
    login(people["party_office"])
    _upload(client, thanh_mien)
    upload = PlanUpload.objects.get()
    client.force_login(people["admin"])

    assert client.get(reverse("plan_upload_preview", args=[upload.pk])).status_code == 403
    assert client.post(reverse("plan_upload_confirm", args=[upload.pk])).status_code == 403
    assert Plan.objects.count() == 0


@pytest.mark.parametrize("role", ["party_office", "unit_head", "staff", "directing", "inspection", "front", "admin"])
def test_people_of_the_commune_see_the_plan_page(login, people, thanh_mien_plan, role):
    response = login(people[role]).get(reverse("plan_detail", args=[thanh_mien_plan.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tỷ lệ phủ sóng 5G trên địa bàn xã." in page
    assert "Đồng chí Thủ trưởng các cơ quan, đơn vị" in page


@pytest.mark.parametrize("role", ["other_commune", "no_role"])
def test_nobody_sees_another_communes_plan(login, people, thanh_mien_plan, role):
    client = login(people[role])
    assert client.get(reverse("plan_detail", args=[thanh_mien_plan.pk])).status_code == 403
    assert thanh_mien_plan.title not in client.get(reverse("home")).content.decode()


def test_the_plan_page_shows_the_six_ro_summary_and_reasons(login, people, thanh_mien_plan):
    page = login(people["party_office"]).get(reverse("plan_detail", args=[thanh_mien_plan.pk])).content.decode()
    assert "6 rõ" in page
    assert "Rõ tiến độ" in page
    assert "/11" in page


def test_the_party_office_fills_in_the_plan_number_the_document_left_blank(login, people, thanh_mien_plan):
    client = login(people["party_office"])
    page = client.get(reverse("plan_detail", args=[thanh_mien_plan.pk])).content.decode()
    assert 'name="number_symbol"' in page

    client.post(reverse("plan_heading_edit", args=[thanh_mien_plan.pk]), {
        "number_symbol": "03-KH/ĐU", "issued_on": "15/09/2025", "issuer": "Ban Thường vụ Đảng ủy",
        "title": thanh_mien_plan.title})
    thanh_mien_plan.refresh_from_db()
    assert thanh_mien_plan.number_symbol == "03-KH/ĐU"
    assert thanh_mien_plan.issued_on.isoformat() == "2025-09-15"


def test_a_date_that_does_not_exist_changes_nothing(login, people, thanh_mien_plan):
    client = login(people["party_office"])
    response = client.post(reverse("plan_heading_edit", args=[thanh_mien_plan.pk]), {
        "number_symbol": "03-KH/ĐU", "issued_on": "31/02/2025", "issuer": "x", "title": "y"}, follow=True)
    thanh_mien_plan.refresh_from_db()
    assert thanh_mien_plan.number_symbol == "" and thanh_mien_plan.issued_on is None
    assert "ngày hợp lệ" in response.content.decode() or "valid date" in response.content.decode()


@pytest.mark.parametrize("role", ["unit_head", "staff", "directing", "inspection", "front", "other_commune", "no_role"])
def test_only_the_party_office_and_administrator_edit_a_plan(login, people, thanh_mien_plan, role):
    client = login(people[role])
    response = client.post(reverse("plan_heading_edit", args=[thanh_mien_plan.pk]), {"number_symbol": "X", "title": "Y"})
    thanh_mien_plan.refresh_from_db()
    assert response.status_code == 403 and thanh_mien_plan.number_symbol == ""
