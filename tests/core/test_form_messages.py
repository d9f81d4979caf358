"""Every required field says what to do when it is left empty, as GOV.UK error messages do
("Enter your name", "Select a supplier"), never Django's bare "This field is required."."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from django import forms

import commonweal

DJANGO_DEFAULT = forms.Field.default_error_messages["required"]


def project_form_fields():
    for module_info in pkgutil.walk_packages(commonweal.__path__, "commonweal."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                for field_name, field in form.base_fields.items():
                    yield f"{module.__name__}.{name}.{field_name}", field


def test_the_scan_finds_the_project_forms():
    assert sum(1 for _ in project_form_fields()) > 100


def test_no_required_field_falls_back_to_djangos_message():
    bare = [
        where
        for where, field in project_form_fields()
        if field.required
        and not field.widget.is_hidden
        and str(field.error_messages.get("required")) == str(DJANGO_DEFAULT)
    ]
    assert bare == [], "Say what to enter or select:\n" + "\n".join(bare)
