"""Throwaway sites for client tests: gunicorn on a fresh SQLite database and Whoosh index, with a sysadmin.

Each site is its own process tree with its own var dir, so two of them are two
independent catalogs (a dump from one loads into the other). The processes
are the test's own and are stopped by their process id.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    def __init__(self, name="admin"):
        self.var_dir = tempfile.mkdtemp(prefix="ckansite-client-")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {key: value for key, value in os.environ.items()
                    if key not in ("DATABASE_URL", "SEARCH_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_XDIST_WORKER")}
        self.env.update(CKAN_VAR_DIR=self.var_dir, CKAN_SITE_URL=self.url, SECRET_KEY="client-tests-" + os.urandom(8).hex())
        self.manage("migrate", "--noinput", "-v", "0")
        self.apikey = self.manage("create_sysadmin", name, "--email", f"{name}@example.org").strip().splitlines()[-1]
        self.log = open(os.path.join(self.var_dir, "server.log"), "wb")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "ckansite.wsgi:application", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
             "--no-control-socket"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(self.url + "/api/util/status", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"the site did not start: {self.server_log()}")
            time.sleep(0.2)

    def manage(self, *args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def server_log(self):
        return Path(self.var_dir, "server.log").read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
