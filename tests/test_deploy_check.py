"""`manage.py check --deploy` with a production environment has nothing to say
but the HSTS preload commitment, which is left to the operator."""
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def deploy_check(**env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "CKAN_TESTING", "DATABASE_URL")}
    environment.update(CKAN_VAR_DIR=tempfile.mkdtemp(prefix="ckansite-check-"), SECRET_KEY="k" * 20 + os.urandom(30).hex(),
                       ALLOWED_HOSTS="data.example.org", **env)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=120)
    return set(re.findall(r"\(([\w.]+\.[EW]\d+)\)", result.stdout + result.stderr))


def test_production_environment_passes_the_deploy_check():
    assert deploy_check(CKAN_SITE_URL="https://data.example.org") <= {"security.W021"}


def test_each_https_default_can_be_turned_off():
    found = deploy_check(CKAN_SITE_URL="https://data.example.org", SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0")
    assert {"security.W008", "security.W012"} <= found


@pytest.mark.parametrize("site_url", ["http://127.0.0.1:8000"])
def test_plain_http_site_keeps_plain_cookies(site_url):
    # make run serves http://127.0.0.1:8000: secure-only cookies would make logging in impossible.
    assert {"security.W012", "security.W016"} <= deploy_check(CKAN_SITE_URL=site_url)


def allowed_hosts(**env):
    environment = {k: v for k, v in os.environ.items() if k not in ("ALLOWED_HOSTS", "CKAN_SITE_URL")}
    environment.update(SECRET_KEY="k" * 40, **env)
    code = "import django; django.setup(); from django.conf import settings; print(','.join(settings.ALLOWED_HOSTS))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=dict(environment, DJANGO_SETTINGS_MODULE="ckansite.settings"),
                            capture_output=True, text=True, timeout=60, check=True)
    return set(result.stdout.strip().split(","))


def test_allowed_hosts_default_to_the_site_and_loopback_not_any_host():
    assert allowed_hosts(CKAN_SITE_URL="https://data.example.org") == {"data.example.org", "localhost", "127.0.0.1", "[::1]"}
    assert allowed_hosts(CKAN_SITE_URL="https://data.example.org", ALLOWED_HOSTS="a.example,b.example") == {"a.example", "b.example"}


def test_a_forged_host_is_refused_not_echoed(client):
    resp = client.get("/user/me", HTTP_HOST="evil.example")
    assert resp.status_code == 400
    assert b"evil.example" not in resp.get("Location", "").encode()
