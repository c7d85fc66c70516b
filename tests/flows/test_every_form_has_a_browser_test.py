"""A form is not done until a browser has submitted it as a person would (issue 24): every view of the project that
takes a submitted form needs a browser test that fills its visible fields and clicks its visible button, and names
the view with `@pytest.mark.form_view("namespace:url_name")`.

A form view here is a view that accepts a POST: a class-based view with a `post` method or a `form_class`, or a
function view whose code (or the code of the project's helpers it calls) reads `request.POST`, `request.FILES` or
`request.method`, or is limited to POST by `require_POST`. Filter forms sent with GET are not counted: they change
nothing, and the pages that hold them are read by the word and query tests; counting them would make the rule depend
on whether a filter happens to be a Django form.

The views counted are every view the project routes outside the API, the API's schema and documentation pages and
the console's generic model pages (Django admin's own add/change/delete/list views); the console views the project
adds itself (congress.console, get_urls of a ModelAdmin) are counted, and so is Django's language switch
(i18n/setlang/), a form in every page's header.

The markers are read from tests/browser/*.py as text, so this check runs even where Chromium is missing."""

import ast
import inspect
import re
import textwrap
from pathlib import Path

from django import forms
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from congress.web import role_required

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
PROJECT_PACKAGES = (
    "congress",
    "deputies",
    "liaison_stations",
    "suggestions",
    "training",
    "activities",
    "cases",
    "seeding",
)
SKIPPED_NAMES = {"schema", "swagger-ui", "redoc"}
POSTED = re.compile(r"request\.(POST|FILES|method)\b|\brequire_POST\b|require_http_methods\(\s*\[[^\]]*POST")

# Form views that are not forms a person fills, each with why.
EXEMPT: dict[str, str] = {
    "sms_receipt_aliyun": "an SMS provider's machine push of delivery receipts (JSON), no page",
    "sms_receipt_gateway": "an SMS provider's machine push of delivery receipts (JSON), no page",
}


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            name = entry.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield route, name, namespace, entry.callback


def _target(callback):
    """What a route runs: the view class, or the function or method under its decorators."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return view_class
    return inspect.unwrap(callback)


def _is_project_code(target) -> bool:
    module = getattr(target, "__module__", "") or ""
    return module.split(".")[0] in PROJECT_PACKAGES


def project_views():
    """(route, name, target) of every view this check looks at."""
    for route, name, namespace, callback in _walk(get_resolver().url_patterns):
        if route.startswith(("api/", "^api/")) or name in SKIPPED_NAMES:
            continue
        target = _target(callback)
        if namespace == "admin" and not _is_project_code(target):
            continue  # Django admin's own pages and each model's generic add/change/delete/list pages
        yield route, name, target


def _source(function) -> str:
    try:
        return textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return ""


def _code_with_helpers(function, seen=None) -> str:
    """The function's source with the source of the project functions it returns the answer of (round_new
    returns _round_form_view(request, ...), which reads the POST)."""
    seen = seen if seen is not None else set()
    function = inspect.unwrap(getattr(function, "__func__", function))
    if function in seen:
        return ""
    seen.add(function)
    source = _source(function)
    if not source:
        return ""
    # Only a helper the view hands its answer to (return helper(request, ...)); a helper that merely reads
    # something from the request (the acting mandate) does not make a search or a page a form.
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name):
            names.add(node.value.func.id)
    found = [source]
    namespace = getattr(function, "__globals__", {})
    for called in names:
        helper = namespace.get(called)
        if inspect.isfunction(helper) and (_is_project_code(helper) or helper.__module__ == function.__module__):
            found.append(_code_with_helpers(helper, seen))
    return "\n".join(found)


def is_form_view(target) -> bool:
    if inspect.isclass(target):
        return callable(getattr(target, "post", None)) or getattr(target, "form_class", None) is not None
    return bool(POSTED.search(_code_with_helpers(target)))


def form_views() -> dict[str, str]:
    """{url name: route} of every form view; an unnamed one appears by its route, so it cannot be named."""
    return {name or route: route for route, name, target in project_views() if is_form_view(target)}


def _marker_names(decorator) -> list[str]:
    call = decorator
    if not isinstance(call, ast.Call):
        return []
    func = ast.unparse(call.func)
    if not func.endswith("mark.form_view"):
        return []
    return [arg.value for arg in call.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]


def browser_markers() -> dict[str, list[str]]:
    """{url name: tests that fill and submit it}, read from the browser tests' source."""
    named: dict[str, list[str]] = {}
    for path in sorted(BROWSER_TESTS.glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            decorators, owner = [], None
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                decorators, owner = node.decorator_list, f"{path.name}::{node.name}"
            elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in node.targets):
                value = node.value
                decorators = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
                owner = path.name
            for decorator in decorators:
                for name in _marker_names(decorator):
                    named.setdefault(name, []).append(owner)
    return named


def test_every_form_view_has_a_browser_test_that_fills_and_submits_it():
    views = form_views()
    named = browser_markers()
    all_names = {name for _route, name, _namespace, _callback in _walk(get_resolver().url_patterns) if name}

    uncovered = sorted(set(views) - set(named) - set(EXEMPT))
    stale_markers = sorted(f"{name} ({', '.join(tests)})" for name, tests in named.items() if name not in all_names)
    listed_not_form_views = sorted(set(EXEMPT) - set(views))
    exempt_and_named = sorted(set(EXEMPT) & set(named))

    assert uncovered == [], "Form views without a browser test that fills and submits them (form_view marker)"
    assert stale_markers == [], "form_view markers naming no URL of the project"
    assert listed_not_form_views == [], "Listed in EXEMPT but not form views"
    assert exempt_and_named == [], "Exempt yet covered: remove them from EXEMPT"
    assert all(len(reason) > 20 for reason in EXEMPT.values()), "Every exemption says why"


class _NameForm(forms.Form):
    name = forms.CharField()


class _Page(TemplateView):
    template_name = "x.html"


class _Ask(FormView):
    form_class = _NameForm


@role_required("staff")
def _edit(request):
    return _NameForm(request.POST or None)


@require_POST
@role_required("staff")
def _act(request, pk):
    return pk


def _read(request):
    return request.GET.get("q")


def _delegates(request):
    return _edit(request)


def _acting_as(request):
    return request.POST.get("mandate")


def _search(request):
    mandate = _acting_as(request)
    return [mandate, request.GET.get("q")]


def test_the_check_sees_a_form_view_and_passes_a_page_that_takes_none():
    assert is_form_view(_target(_Ask.as_view()))
    assert is_form_view(_target(_edit))
    assert is_form_view(_target(_act))
    assert is_form_view(_target(_delegates))
    assert not is_form_view(_target(_Page.as_view()))
    assert not is_form_view(_target(_read))
    assert not is_form_view(_target(_search))  # reads the request in a helper, answers a GET itself


def test_the_project_has_form_views_and_the_markers_are_read():
    views = form_views()
    assert "login" in views
    assert "liaison_stations:public_opinion" in views
    assert "deputies:directory" not in views  # a GET filter form
    assert not any(name.startswith("admin:") and name != "admin:area" for name in views if "consolejob" in name)
