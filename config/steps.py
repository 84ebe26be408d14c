"""One step of a page's form: check the form, call the service, say what happened, go back."""
from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def form_step_run(*, request, form, perform: Callable[[dict], object], back_to: str) -> HttpResponseRedirect:
    """Run `perform(cleaned data)` if the form (or no form) is valid; errors and success go to messages."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back_to)
    try:
        perform(form.cleaned_data if form is not None else {})
    except ValidationError as invalid:
        for message in invalid.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect(back_to)
