"""The reference peer, wtf_wikipedia, run through `../shared/peers/wtf_peer.mjs`.

The peer's npm package is installed outside the repository (`--wtf-prefix`, default
`/work/bench-node`): the script resolves it with `createRequire(<prefix>/noop.js)`, so the prefix
is the folder that holds `node_modules/`. It is installed there with npm when missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER_SCRIPT = ROOT.parent / "shared" / "peers" / "wtf_peer.mjs"
DEFAULT_PREFIX = Path("/work/bench-node")
WTF_PACKAGE = "wtf_wikipedia@10.4.2"


class PeerMissing(RuntimeError):
    """node, npm or the peer script is not there: the peer cannot run."""


def ensure_wtf(prefix: Path = DEFAULT_PREFIX) -> Path:
    """The prefix, with wtf_wikipedia installed under it (npm install when missing)."""
    if shutil.which("node") is None:
        raise PeerMissing("node is not installed: the wtf_wikipedia peer cannot run")
    if not PEER_SCRIPT.exists():
        raise PeerMissing(f"the peer script is missing: {PEER_SCRIPT}")
    if (prefix / "node_modules" / "wtf_wikipedia").is_dir():
        return prefix
    npm = shutil.which("npm")
    if npm is None:
        raise PeerMissing(f"wtf_wikipedia is not in {prefix} and npm is not installed")
    prefix.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "install", "--prefix", str(prefix), WTF_PACKAGE],
                          capture_output=True, text=True)
    if done.returncode:
        raise PeerMissing(f"npm install {WTF_PACKAGE} failed:\n{done.stderr[-2000:]}")
    return prefix


def run_peer(folder: Path, *, what: str = "infobox", repeat: int = 3, warmup: int = 1,
             dump: Path | None = None, prefix: Path = DEFAULT_PREFIX,
             timeout: float | None = None) -> dict:
    """Run the peer over every `.wiki`/`.txt` file in `folder`; its one-line JSON result
    (articles, bytes, seconds_median, MB_per_s, peak_rss_MB, counts)."""
    ensure_wtf(prefix)
    cmd = ["node", str(PEER_SCRIPT), str(folder), "--what", what,
           "--repeat", str(repeat), "--warmup", str(warmup)]
    if dump is not None:
        cmd += ["--dump", str(dump)]
    env = {**os.environ, "WTF_PREFIX": str(prefix)}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"the peer failed ({done.returncode}):\n{done.stderr[-2000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"the peer printed no JSON line:\n{done.stdout[-2000:]}")
    return json.loads(lines[-1])
