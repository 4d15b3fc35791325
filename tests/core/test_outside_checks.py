"""The field's own checkers over every page the app serves: the Nu HTML checker (vnu.jar)
and axe-core in Chromium.

The pages are those of the authorization walk's world: every GET route of event 1, as each
browser identity that may open it (anonymous, a participant, the panitia, the manager, the
administrator). The checkers come from the npm registry at the versions pinned in
``tools/checks/package-lock.json`` (``npm ci --ignore-scripts --prefix tools/checks``, which
``.ci/run`` does); without them these tests skip, unless ``BIMTEK_REQUIRE_OUTSIDE_CHECKS`` is
set, as in CI, where a missing checker fails.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.core.test_authorization import (
    ADMIN,
    ANON,
    MANAGER,
    OK,
    PANITIA,
    ROUTES,
    A,
    _url,
)

CHECKS = Path(__file__).resolve().parents[2] / "tools" / "checks" / "node_modules"
VNU = CHECKS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = CHECKS / "axe-core" / "axe.min.js"
IDENTITIES = (ANON, A, PANITIA, MANAGER, ADMIN)
#: axe's impacts that fail a page
BLOCKING = ("serious", "critical")
#: the host the browser believes it talks to; every request is answered by the test client
HOST = "http://bimtek.test"


def _tool(path: Path, what: str) -> Path:
    if path.exists() and (path.suffix != ".jar" or shutil.which("java")):
        return path
    message = f"{what} missing ({path}): npm ci --ignore-scripts --prefix tools/checks"
    if os.environ.get("BIMTEK_REQUIRE_OUTSIDE_CHECKS"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def pages(world):
    """(endpoint, identity, url, html) of every HTML page each browser identity may GET in
    event 1."""
    found = []
    for rule in sorted(world.app.url_map.iter_rules(), key=lambda r: r.rule):
        route = ROUTES.get(rule.endpoint)
        if route is None or "GET" not in rule.methods or rule.endpoint == "static":
            continue
        for who in IDENTITIES:
            if route.access[1].get(who) != OK:
                continue
            client, _headers = world.clients[who]
            url = _url(rule, route, world.arguments[1], who)
            response = client.get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                found.append((rule.endpoint, who, url, response.get_data(as_text=True)))
            response.close()
    assert len(found) > 50, f"only {len(found)} pages found"
    return found


def test_every_page_passes_the_nu_html_checker(pages, tmp_path):
    vnu = _tool(VNU, "The Nu HTML checker")
    documents = [(f"{endpoint}", f"{url} (as {who})", html) for endpoint, who, url, html in pages]
    errors = nu_errors(vnu, documents, tmp_path)
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors)


def test_every_page_passes_axe_and_has_a_heading(pages, world, browser):
    axe = _tool(AXE, "axe-core").read_text(encoding="utf-8")
    problems = []
    contexts = {}
    for who in IDENTITIES:
        context = browser.new_context(
            viewport={"width": 1366, "height": 900}, locale="id-ID", bypass_csp=True
        )
        context.route(f"{HOST}/**", _answer_from(world.clients[who][0]))
        contexts[who] = context
    page_of = {who: context.new_page() for who, context in contexts.items()}
    # axe loads each page in a browser: once per page, as the most privileged identity
    # that may open it (the page with the most on it)
    widest = {endpoint: (who, url) for endpoint, who, url, _html in pages}
    try:
        for who, url in widest.values():
            page = page_of[who]
            problems += axe_problems(page, axe, url, f"{url} (as {who})")
    finally:
        for context in contexts.values():
            context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def nu_errors(vnu: Path, documents: list[tuple[str, str, str]], folder: Path) -> list[str]:
    """The Nu checker's errors over (file name, label, html) documents, one run of Java."""
    labels = {}
    for number, (name, label, html) in enumerate(documents):
        path = folder / f"{number:03d}-{name}.html"
        path.write_text(html, encoding="utf-8")
        labels[path.name] = label
    result = subprocess.run(
        ["java", "-jar", str(vnu), "--errors-only", "--format", "json", "--exit-zero-always"]
        + sorted(str(p) for p in folder.glob("*.html")),
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{labels.get(Path(m.get('url', '')).name)}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]


def axe_problems(page, axe: str, url: str, label: str) -> list[str]:
    """axe's serious and critical findings, and a missing h1, on the page at ``url``."""
    page.goto(HOST + url, wait_until="load")
    page.add_script_tag(content=axe)
    report = page.evaluate(
        "axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
        " 'best-practice']}})"
    )
    return [
        f"{label}: {v['id']} ({v['impact']}) {[' '.join(n['target']) for n in v['nodes'][:3]]}"
        for v in report["violations"]
        if v["impact"] in BLOCKING or v["id"] == "page-has-heading-one"
    ]


def _answer_from(client):
    """A Playwright route handler answering every request with the Flask test client (so the
    identity's cookies and the app's own assets are used, with no server)."""

    def handle(route):
        request = route.request
        path = request.url[len(HOST) :] or "/"
        response = client.open(
            path,
            method=request.method,
            data=request.post_data_buffer,
            headers={k: v for k, v in request.headers.items() if k.lower() != "cookie"},
        )
        headers = {
            k: v for k, v in response.headers.items() if k.lower() not in ("content-length",)
        }
        route.fulfill(status=response.status_code, headers=headers, body=response.get_data())
        response.close()

    return handle


def test_every_public_page_describes_itself(pages):
    """Search engines and link previews show a page's meta description."""
    found = re.compile(r'<meta name="description" content="[^"]{20,}">')
    bare = [url for _endpoint, who, url, html in pages if who == ANON and not found.search(html)]
    assert not bare, "public pages without a meta description: " + ", ".join(bare)
