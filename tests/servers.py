"""Starting real servers for tests: a private PostgreSQL cluster and the Streamlit app."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


@contextlib.contextmanager
def postgres_server() -> Iterator[tuple[str | None, str | None]]:
    """Yield ``(url, None)`` for a fresh cluster on a free port, or ``(None, reason)``."""
    bindir = _pg_bindir()
    if bindir is None:
        yield None, "PostgreSQL server binaries not found (apt-get install postgresql)"
        return
    workdir = tempfile.mkdtemp(prefix="cs_pg_")
    os.chmod(workdir, 0o755)
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(workdir, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data, log = os.path.join(workdir, "data"), os.path.join(workdir, "log")
    port = free_port()
    subprocess.run(prefix + [f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres",
                             "--no-sync", "-E", "UTF8"], check=True, capture_output=True)
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(prefix + [f"{bindir}/pg_ctl", "-D", data, "-o", options, "-l", log, "-w",
                             "start"], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg2://postgres:not-a-secret@127.0.0.1:{port}/postgres", None
    finally:
        subprocess.run(prefix + [f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def streamlit_app(db_url: str, state_url: str, port: int | None = None,
                  secrets: Path | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``streamlit run app.py`` on ``port`` (default: a free one); yield its base URL.
    ``secrets``: the secrets file it reads instead of ``.streamlit/secrets.toml`` (e.g. with
    ``[auth]``); ``env``: extra environment variables."""
    port = port or free_port()
    env = {**os.environ, "CS_DASHBOARD_DB_URL": db_url, "CS_DASHBOARD_STATE_URL": state_url,
           **(env or {})}
    log_fd, log_path = tempfile.mkstemp(prefix="cs_streamlit_", suffix=".log")
    extra = ["--secrets.files", str(secrets)] if secrets is not None else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", *extra],
        cwd=ROOT, env=env, stdout=log_fd, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(Path(log_path).read_text()) from None
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        os.close(log_fd)
        server_log = Path(log_path).read_text()
        os.unlink(log_path)
        if "Traceback" in server_log:
            raise AssertionError(f"the app logged an exception:\n{server_log}")
