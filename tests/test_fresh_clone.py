"""The README's set-up, from a clean clone: `make setup`, then a first request."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_make_setup_in_a_clean_clone_serves_the_home_page(tmp_path):
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip(
            "the set-up is tried once, on the SQLite pass (it ignores DATABASE_URL)"
        )
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "DJANGO_SETTINGS_MODULE",
            "TOLPUDDLE_DATA_DIR",
            "VIRTUAL_ENV",
        }
    }
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"

    setup = subprocess.run(
        ["make", "setup"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]

    port = _free_port()
    server = subprocess.Popen(
        [
            str(clone / ".venv/bin/tolpuddle"),
            "runserver",
            "--noreload",
            f"127.0.0.1:{port}",
        ],
        cwd=clone,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body = b""
        for _ in range(60):
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/", timeout=5
                ) as response:
                    assert response.status == 200
                    body = response.read()
                    break
            except OSError:
                time.sleep(1)
        assert b"members in good standing" in body
    finally:
        server.terminate()
        server.wait(timeout=30)
