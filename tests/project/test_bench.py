"""The benchmark script runs and prints every figure (it asserts nothing about time itself)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench.py"


@pytest.mark.slow
def test_the_benchmark_prints_its_figures(profile) -> None:
    result = subprocess.run([sys.executable, str(BENCH)], capture_output=True, text=True,
                            env=profile.env, timeout=300)
    assert result.returncode == 0, result.stderr
    for figure in ("store load", "status query", "one engine decision", "`pointbreak status`"):
        assert figure in result.stdout and "median" in result.stdout
    assert "3650 records over 365 days" in result.stdout


@pytest.mark.slow
def test_the_window_benchmark_prints_its_figures(profile) -> None:
    script = BENCH.with_name("panes_bench.py")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            env=profile.env, timeout=300)
    assert result.returncode == 0, result.stderr
    for figure in ("Pointbreak settings: process start to viewable: median",
                   "Pointbreak history: process start to viewable: median",
                   "history chart of a year"):
        assert figure in result.stdout
    assert "RuntimeDirWarning" not in result.stderr


@pytest.mark.slow
def test_the_tray_benchmark_prints_its_figures(profile) -> None:
    """A short smoke run: one start each, one session answered, a few seconds idle."""
    script = BENCH.with_name("tray_bench.py")
    result = subprocess.run([sys.executable, str(script), "--starts", "1", "--sessions", "1",
                             "--settle-seconds", "1", "--rss-minutes", "0.05",
                             "--idle-minutes", "0.1", "--saves", "3"],
                            capture_output=True, text=True, env=profile.env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "pointbreak (xorg)            median" in result.stdout
    assert "pointbreak (sni)             median" in result.stdout  # on xfce4-panel
    assert "floor (sni)                  median" in result.stdout  # bare jeepney, the same
    assert "1 sessions started with `pointbreak now` and answered" in result.stdout
    idle_rows = [line for line in result.stdout.splitlines() if line.startswith("pointbreak (")]
    # A start-up and an idle row each, xorg and sni, and the idle xorg one with a year.
    assert len(idle_rows) >= 5, result.stdout
    assert "pointbreak (xorg, a year)" in result.stdout
    assert "a year of history adds" in result.stdout and "(goal <= 0.5)" in result.stdout
    assert "its floor (goal <= 0.65)" in result.stdout
    assert "One save (the state and a record" in result.stdout and "a year" in result.stdout
    assert not [line for line in idle_rows if "no icon seen" in line], result.stdout


@pytest.mark.slow
def test_the_store_benchmark_prints_a_day_beside_a_year(profile) -> None:
    """A short smoke run: a few saves, one child each."""
    script = BENCH.with_name("store_bench.py")
    result = subprocess.run([sys.executable, str(script), "--saves", "5", "--runs", "1"],
                            capture_output=True, text=True, env=profile.env, timeout=300,
                            cwd=script.parent)
    assert result.returncode == 0, result.stderr
    assert "a year: 3650 records" in result.stdout and "in 14 files" in result.stdout
    assert "a year adds" in result.stdout and "one save: a day" in result.stdout
