"""Headless Chromium for page tests (Debian's chromium + chromium-driver, driven by selenium),
started the way this machine allows: no sandbox as root, no background networking, a fresh
profile in a temporary directory. Tests skip with the reason when either is missing."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1300,1500")


def require_chromium() -> tuple[str, str]:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        reason = "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        print(f"SKIP: {reason}")
        pytest.skip(reason)
    pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[test]')")
    return chromium, driver


@contextmanager
def chromium() -> Iterator[Any]:
    """A selenium Chrome driver with the browser console log enabled."""
    binary, driver = require_chromium()
    from selenium import webdriver  # noqa: PLC0415 - optional test dependency, imported after the skip check
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    profile = tempfile.mkdtemp(prefix="armskb-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(driver), options=opts)
    try:
        browser.set_page_load_timeout(60)
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(browser: Any) -> list[str]:
    """Messages the page logged at SEVERE level (uncaught errors, failed loads)."""
    return [e["message"] for e in browser.get_log("browser") if e.get("level") == "SEVERE"]


def screenshot(browser: Any, directory: Path, name: str) -> Path:
    """A full-page screenshot into `directory` (and into $ARMSKB_SCREENSHOTS when set)."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1300, min(max(int(height), 800), 3000))
    path = directory / f"{name}.png"
    browser.save_screenshot(str(path))
    extra = os.environ.get("ARMSKB_SCREENSHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(extra) / path.name)
    return path
