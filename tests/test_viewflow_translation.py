"""viewflow ships no Vietnamese: our catalogue of its strings is complete, compiled, and loaded."""
from __future__ import annotations

from pathlib import Path

import viewflow
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from viewflow.workflow.status import PROCESS, STATUS

import polib_lite

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "viewflow" / "vi" / "LC_MESSAGES" / "django.po"
GERMAN = Path(viewflow.__file__).resolve().parent / "locale" / "de" / "LC_MESSAGES" / "django.po"


def test_every_viewflow_message_has_a_vietnamese_translation():
    entries = polib_lite.entries_read(path=CATALOGUE)
    assert len(entries) >= 100
    untranslated = [entry.msgid for entry in entries if not entry.translated]
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_the_compiled_viewflow_catalogue_is_up_to_date():
    compiled = CATALOGUE.with_suffix(".mo")
    assert compiled.exists() and compiled.stat().st_size > 1000
    assert polib_lite.mo_matches_po(po=CATALOGUE, mo=compiled)


def test_the_viewflow_catalogue_is_loaded_after_ours():
    assert [Path(path) for path in settings.LOCALE_PATHS] == [ROOT / "locale", ROOT / "locale" / "viewflow"]


def test_viewflow_status_labels_come_out_in_vietnamese():
    with translation.override("vi"):
        assert str(STATUS.NEW.label) == "Mới"
        assert str(STATUS.ASSIGNED.label) == "Đã giao"
        assert str(STATUS.STARTED.label) == "Đang thực hiện"
        assert str(STATUS.DONE.label) == "Hoàn thành"
        assert str(STATUS.CANCELED.label) == "Đã hủy"
        assert str(STATUS.ERROR.label) == "Lỗi"
        assert str(PROCESS.DONE.label) == "Hoàn thành"
    with translation.override("en"):
        assert str(STATUS.DONE.label) == "Done"


def test_viewflow_view_and_template_strings_come_out_in_vietnamese():
    with translation.override("vi"):
        assert translation.gettext("Task {task} has been assigned.").format(task="#7") == "Công việc #7 đã được nhận."
        assert translation.gettext("Process #%(pk)s has been canceled.") % {"pk": 3} == "Quy trình #3 đã bị hủy."
        rendered = Template(
            "{% load i18n %}{% trans 'Inbox' %}|{% trans 'Queue' %}|{% translate 'Archive' %}|"
            '{% trans "Assign and continue" %}|{% trans "Unassign" %}|{% trans "Undo" %}'
        ).render(Context())
        assert rendered == "Hộp việc|Hàng đợi|Lưu trữ|Nhận việc và tiếp tục|Trả lại việc|Hoàn tác"
        # viewflow's process_cancel.html, word for word (blocktrans keeps its whitespace in the msgid).
        cancel = Template(
            "{% load i18n %}"
            "{% blocktrans count counter=2 %}\n"
            "                  This process can not be canceled while a task is still in progress.\n"
            "                {% plural %}\n"
            "                  This process can not be canceled while tasks are still in progress.\n"
            "                {% endblocktrans %}"
        ).render(Context())
        assert cancel.strip() == "Không thể hủy quy trình này khi vẫn còn công việc đang được thực hiện."


def test_every_msgid_of_viewflows_german_catalogue_is_translated():
    """A viewflow upgrade that adds strings shows up here: the German catalogue lists them first."""
    ours = {(entry.msgid, entry.context) for entry in polib_lite.entries_read(path=CATALOGUE)}
    german = {(entry.msgid, entry.context) for entry in polib_lite.entries_read(path=GERMAN)}
    assert len(german) > 100
    assert sorted(german - ours) == []
