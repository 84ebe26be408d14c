"""Periods and stored dates as a person reads them, in Vietnamese."""
import pytest
from django.utils import translation

from workflow.templatetags.occurrences import iso_date, period_label


@pytest.mark.parametrize("key, vietnamese", [
    ("once", "một lần"), ("2026", "năm 2026"), ("2026-Q3", "quý III/2026"), ("2026-H1", "6 tháng đầu năm 2026"),
    ("2026-H2", "6 tháng cuối năm 2026"), ("2026-03", "tháng 03/2026"), ("odd", "odd"),
])
def test_period_labels(key, vietnamese):
    with translation.override("vi"):
        assert period_label(key) == vietnamese


def test_stored_dates_read_day_first():
    assert iso_date("2025-09-30") == "30/09/2025"
    assert iso_date("not a date") == "not a date"
