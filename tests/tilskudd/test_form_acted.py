"""tilskudd.errors.form_acted: the posted-form round every action view shares."""

from __future__ import annotations

from types import SimpleNamespace

from django import forms
from django.test import RequestFactory

from tilskudd.errors import ServiceError, form_acted


class NoteForm(forms.Form):
    note = forms.CharField(label="Merknad")


def _act(calls: list, refuse: ServiceError | None = None):
    def act():
        calls.append(1)
        if refuse:
            raise refuse
    return act


def test_a_get_does_not_act():
    calls: list = []
    request = RequestFactory().get("/")
    assert form_acted(request, NoteForm(None), _act(calls)) is False
    assert calls == []


def test_an_invalid_form_does_not_act():
    calls: list = []
    form = NoteForm({"note": ""})
    assert form_acted(RequestFactory().post("/"), form, _act(calls)) is False
    assert calls == []
    assert form.errors["note"]


def test_a_refusal_is_put_next_to_its_field():
    calls: list = []
    form = NoteForm({"note": "x"})
    rule = SimpleNamespace(field="note", message="For kort merknad.")
    refusal = ServiceError("Nei.", "no", errors=[rule])
    assert form_acted(RequestFactory().post("/"), form, _act(calls, refusal)) is False
    assert calls == [1]
    assert form.errors["note"] == ["For kort merknad."]


def test_a_refusal_without_a_field_goes_on_top():
    form = NoteForm({"note": "x"})
    assert form_acted(RequestFactory().post("/"), form, _act([], ServiceError("Nei."))) is False
    assert form.non_field_errors() == ["Nei."]


def test_a_valid_post_acts_once():
    calls: list = []
    assert form_acted(RequestFactory().post("/"), NoteForm({"note": "x"}), _act(calls)) is True
    assert calls == [1]
