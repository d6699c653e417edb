"""`make bench` starts with production-like settings of its own (bench/__main__.py's BENCH_ENV);
production settings refuse incomplete configurations, so a new refusal can stop the bench
before it measures anything. This starts it as `make bench` does and runs Django's checks."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bench_settings_are_accepted_by_production_settings():
    done = subprocess.run(
        [sys.executable, "-m", "bench", "manage", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "System check identified no issues" in done.stdout
