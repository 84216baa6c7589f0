"""`scripts/elasticsearch.sh` starts and stops a node from a clone in a private folder.

A `mktemp -d` folder is mode 0700: under root the node runs as `nobody`, who cannot enter it, so the
node's files must live where their user can reach them. Run as any other user, the node runs as that
user and its files stay in the clone. The test needs Java 21+ (as every Elasticsearch test does) and
reuses the download of this checkout when there is one (else the script downloads it).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tempfile
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path("scripts") / "elasticsearch.sh"


def _run(clone: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("ES_URL", "ES_CACHE_DIR")}
    return subprocess.run(
        [str(clone / SCRIPT), *args], cwd=clone, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def private_clone():
    folder = Path(tempfile.mkdtemp(prefix="border-watch-clone-"))
    clone = folder / "clone"
    try:
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
        # The script as it is in this checkout (committed or not) is the one under test.
        shutil.copy2(ROOT / SCRIPT, clone / SCRIPT)
        cache = ROOT / ".cache" / "elasticsearch"
        for zip_file in cache.glob("elasticsearch-*.zip"):
            (clone / ".cache" / "elasticsearch").mkdir(parents=True, exist_ok=True)
            target = clone / ".cache" / "elasticsearch" / zip_file.name
            try:
                os.link(zip_file, target)
            except OSError:
                shutil.copy2(zip_file, target)
        yield folder, clone
    finally:
        if (clone / SCRIPT).exists():
            _run(clone, "clean", timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def test_the_node_starts_and_stops_from_a_clone_in_a_mode_0700_folder(private_clone):
    folder, clone = private_clone
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    started = _run(clone, "start")
    assert started.returncode == 0, started.stderr[-2000:]
    url = started.stdout.strip().splitlines()[-1]
    assert url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(f"{url}/_cluster/health", timeout=10) as response:
        health = json.load(response)
    assert (health["cluster_name"], health["status"] in ("green", "yellow")) == ("border-watch-local", True)
    node_dir = Path(_run(clone, "dir").stdout.strip())
    pid = int((node_dir / "run" / "es.pid").read_text())
    owner = Path(f"/proc/{pid}").stat().st_uid
    if os.geteuid() == 0:
        # Run as nobody, from a folder nobody can reach: outside the clone.
        assert owner != 0 and not node_dir.is_relative_to(folder)
    else:
        assert owner == os.geteuid() and node_dir.is_relative_to(clone)
    assert _run(clone, "stop").returncode == 0
    assert not Path(f"/proc/{pid}").exists()
    assert _run(clone, "status").returncode == 1
