"""A phone's first visit of a public page weighs at most 30 KB: the page and
everything it links that the browser fetches before it can draw (stylesheets,
scripts, the icon), as production serves them.

Production serves static files through whitenoise from what collectstatic
wrote (hashed names, a Brotli copy of each text file made by the `brotli`
package), so the test does the same: collectstatic with the production
storage into a folder of its own, then the page and its files through the app
with a phone's `Accept-Encoding`. The page itself is counted as the app sends
it, uncompressed: a proxy that compresses it only makes it lighter. Each
response counts its status line and headers (cookies included) as well as its
body: they cross the air too.

The CSS is Bootstrap cut to the rules our pages use (bin/build-css); the
first test fails when a template changed and the file was not built again.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

MOST_BYTES = 30 * 1024
PHONE_ACCEPT_ENCODING = "gzip, deflate, br, zstd"
BUILD_CSS = Path(settings.BASE_DIR) / "bin" / "build-css"
# What a browser fetches before it draws: stylesheets, scripts, the icon.
LINKED = re.compile(r'<(?:link[^>]+rel="(?:stylesheet|icon)"[^>]*href|script[^>]+src)="([^"]+)"')


def test_the_built_css_is_up_to_date_with_the_templates():
    check = subprocess.run([sys.executable, str(BUILD_CSS), "--check"], capture_output=True, text=True)

    assert check.returncode == 0, check.stderr


def test_the_built_css_keeps_what_the_pages_use_and_drops_the_rest():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "bootstrap-used.css").read_text()

    for used in (".btn-primary{", ".form-control{", ".alert-danger{", ".visually-hidden{", ".container{"):
        assert used in css
    for unused in (".carousel", ".offcanvas", ".navbar-brand", '[data-bs-theme=dark]', "--bs-indigo:"):
        assert unused not in css


@pytest.fixture
def production_static(settings, tmp_path):
    """collectstatic as production runs it: hashed names and a Brotli copy
    of every text file. Only our own files: the admin's are not on a public
    page, and compressing them would only slow the test."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert list(settings.STATIC_ROOT.rglob("bootstrap-used.*.css.br")), "no Brotli copy: is `brotli` installed?"


def bytes_sent(response, body):
    """What an HTTP/1.1 response puts on the wire: status line, headers, body."""
    head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in response.items())
    if response.cookies:
        head += response.cookies.output(sep="\r\n") + "\r\n"
    return len((head + "\r\n").encode()) + len(body)


def first_visit(path):
    """(bytes of the page, {linked file: (bytes sent, Content-Encoding)})"""
    phone = Client(HTTP_ACCEPT_ENCODING=PHONE_ACCEPT_ENCODING)
    page = phone.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    files = {}
    for url in LINKED.findall(html):
        response = phone.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        files[url] = (bytes_sent(response, body), response.get("Content-Encoding", ""))
    return bytes_sent(page, page.content), files


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/es/", "/en/join/"])
def test_a_first_visit_of_a_public_page_weighs_at_most_30_kb(production_static, path):
    call_command("load_demo", stdout=open("/dev/null", "w"))

    page, files = first_visit(path)

    stylesheets = [url for url in files if url.endswith(".css")]
    assert any("bootstrap-used." in url for url in stylesheets), files
    assert "vendor/bootstrap" not in " ".join(files)
    assert all(files[url][1] == "br" for url in stylesheets), files
    total = page + sum(size for size, _encoding in files.values())
    assert total <= MOST_BYTES, f"{path}: {total:,} bytes (page {page:,}, {files})"
