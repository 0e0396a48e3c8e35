"""The chat page in a real browser: Debian's Chromium driven by Python Playwright, against the e2e tests' servers.

The servers are the e2e tests' (tests/e2e/conftest.py: same ports, E2E_RASA_PORT / E2E_ACTION_PORT, same start-up
code). Importing that module's `assistant` fixture here would register a second session fixture of the same name,
and a run of the whole suite would then start a second pair of servers on the same ports. So the browser tests run
last, and reuse the servers the e2e tests of the same run already started; run alone, they start them themselves.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from testing import staff
from testing.staff import Staff
from tests.e2e import conftest as e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
# axe-core is a test-only dependency, installed from npm into the gitignored build/ folder when missing; users' pages
# never load it (no CDN, nothing added to the pages).
AXE_VERSION = "4.14.1"
AXE_DIR = Path(__file__).parents[2] / "build" / "npm"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
FIRST = "我们是饭店，12个人，去年营收180万，受疫情影响挺大"  # the opening most page tests start with


def _in_this_folder(item) -> bool:
    return Path(str(item.fspath)).parent == Path(__file__).parent


def pytest_collection_modifyitems(items):
    """Mark these tests `browser` and run them after everything else (so after the e2e tests, whose servers stay up
    until the session ends)."""
    mine = [item for item in items if _in_this_folder(item)]
    for item in mine:
        item.add_marker(pytest.mark.browser)
    items[:] = [item for item in items if not _in_this_folder(item)] + mine


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    yield from e2e.shared_servers(tmp_path_factory)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def _axe_installed() -> bool:
    try:
        return json.loads((AXE_JS.parent / "package.json").read_text())["version"] == AXE_VERSION
    except (OSError, ValueError, KeyError):
        return False


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, from npm (``npm install axe-core`` into build/npm the first time)."""
    if not _axe_installed():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is missing: install Node.js to run the accessibility checks (axe-core from npm)")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([npm, "install", "--prefix", str(AXE_DIR), "--no-save", "--no-audit", "--no-fund",
                               f"axe-core@{AXE_VERSION}"], capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not _axe_installed():
            pytest.skip(f"npm could not install axe-core@{AXE_VERSION}: {done.stderr.strip()[-500:]}")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, source: str, impacts=("serious", "critical")) -> list[dict]:
    """axe-core run on the page as it is (the CSP forbids an injected <script>; Playwright's evaluate is not a
    page script): the violations of the given impacts, each with its nodes' selectors and failure summary."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source + "\n;void 0")
    return page.evaluate("""async impacts => {
        const r = await window.axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => impacts.includes(v.impact)).map(v => ({id: v.id, impact: v.impact,
            help: v.help, nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary,
            html: n.html.slice(0, 160)}))}));
    }""", list(impacts))


class ChatPage:
    """One browser tab on /chat/, with what a person does there: type, click chips, read bubbles and cards."""

    def __init__(self, page, url: str):
        self.page = page
        self.url = url
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        page.on("dialog", self._on_dialog)
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))

    def _on_dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def open(self, path: str = "/chat/"):
        response = self.page.goto(self.url + path)
        self.page.wait_for_selector("html[data-ready=true]", timeout=30_000)
        return response

    def reload(self):
        self.page.reload()
        self.page.wait_for_selector("html[data-ready=true]", timeout=30_000)

    def idle(self):
        """Wait until every message sent has its answer rendered."""
        self.page.evaluate("() => window.HuiqiChat.idle()")
        self.page.wait_for_selector("#typing", state="detached", timeout=90_000)

    def type(self, text: str):
        self.page.fill("#input", text)
        self.page.press("#input", "Enter")
        self.idle()

    def click(self, selector: str):
        self.page.click(selector)
        self.idle()

    def user_texts(self) -> list[str]:
        return [t.removeprefix("我说：") for t in self.page.locator(".row-user .bubble").all_text_contents()]

    def bot_texts(self) -> list[str]:
        return [t.removeprefix("助手说：") for t in self.page.locator(".row-bot .bubble:not(.typing-bubble)").all_text_contents()]

    def pending_ask(self) -> str | None:
        """The fact (or "checklist") the newest bot message asks for, when nothing has been said since."""
        rows = self.page.locator("#messages > .row")
        last = rows.nth(rows.count() - 1)
        if "row-user" in (last.get_attribute("class") or ""):
            return None
        asks = self.page.locator("#messages > .row-bot .row-body[data-ask]")
        if not asks.count():
            return None
        body = asks.nth(asks.count() - 1)
        later = body.locator("xpath=ancestor::div[contains(@class,'row')][1]/following-sibling::div[contains(@class,'row-user')]")
        return None if later.count() else body.get_attribute("data-ask")

    def last_result(self) -> dict | None:
        return self.page.evaluate("() => window.HuiqiChat.lastResult()")


@pytest.fixture
def chat(browser, assistant):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    yield ChatPage(page, assistant.url)
    context.close()


@pytest.fixture(scope="session")
def make_staff(assistant):
    """Makes accounts in the records database the servers use, each with a login of its own:
    ``make_staff("operator", "王工")`` (testing/staff.py)."""
    return staff.make_staff


def sign_in(page, url: str, who: Staff, path: str = "/console/") -> None:
    """Opens ``path``, which sends an anonymous browser to the sign-in form, and signs in there."""
    page.goto(url + path)
    page.wait_for_selector("form[action='/staff/signin']", timeout=30_000)
    page.fill("#login", who.login)
    page.fill("#password", who.password)
    page.click("form[action='/staff/signin'] button[type=submit]")
    page.wait_for_url(url + path, timeout=30_000)
    page.wait_for_selector("html[data-ready=true]", timeout=30_000)

