"""The summary at the top of a refused form: each error a link to its field, in Chinese; the files the browser
forgets named, or those the page kept; and every project form renders it."""

import re
from pathlib import Path

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils.datastructures import MultiValueDict

from congress.templatetags.form_errors import summary

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class Letter(forms.Form):
    title = forms.CharField(label="标题")
    reply = forms.IntegerField(widget=forms.HiddenInput)
    letter = forms.FileField(label="答复函")

    def clean(self):
        raise forms.ValidationError("整张表不能提交。")


def refused(files=None):
    form = Letter({"reply": "x"}, files)
    form.is_valid()
    return form


def test_an_unbound_or_valid_form_has_no_summary():
    assert summary(Letter()) is None
    assert summary(forms.Form({})) is None


def test_each_field_error_links_to_its_field_and_hidden_ones_are_read_out():
    found = summary(refused())
    assert found["items"][0] == {"anchor": "", "text": "整张表不能提交。"}
    assert found["items"][1] == {"anchor": "id_title", "text": "标题：请填写此项。"}
    assert {"anchor": "", "text": "请填写整数。"} in found["items"]


def test_a_chosen_file_must_be_chosen_again_unless_the_page_kept_it():
    upload = SimpleUploadedFile("答复函.pdf", b"%PDF-1.4\n")
    assert summary(refused(MultiValueDict({"letter": [upload]})))["again"] == ["答复函"]
    form = refused(MultiValueDict({"letter": [upload]}))
    form.kept_files = {"letter": ["答复函.pdf"]}
    assert (summary(form)["again"], summary(form)["uploaded"]) == ([], ["答复函.pdf"])


def test_the_summary_is_an_alert_that_takes_the_focus():
    html = Template("{% error_summary form %}").render(Context({"form": refused()}))
    assert 'role="alert"' in html and "autofocus" in html and 'href="#id_title"' in html
    assert "尚未提交成功" in html


def test_django_form_templates_carry_the_summary():
    assert 'class="error-summary"' in refused().as_p()
    assert 'class="error-summary"' in refused().as_div()


def test_every_project_form_that_lists_its_fields_renders_the_summary():
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        posts = 'method="post"' in text
        # A list filter (a GET form, `filter.form`) is never refused with errors to summarise.
        lists_fields = re.search(r"\{% for field in (?!filter)\w+", text) or "field.errors" in text
        if posts and lists_fields and "error_summary" not in text and "_form_fields.html" not in text:
            missing.append(str(path.relative_to(TEMPLATES)))
    assert missing == []
