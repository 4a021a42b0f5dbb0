"""Student's t quantile of the survey intervals, computed here (scipy.stats takes over a
second to import), against scipy's own on a grid of degrees of freedom and levels."""

from __future__ import annotations

import subprocess
import sys

import pytest

from parcours.voice.intervals import mean_interval, t_cdf, t_quantile


def test_t_quantiles_equal_scipys() -> None:
    stats = pytest.importorskip("scipy.stats")
    for df in [*range(1, 61), 75, 100, 250, 1000, 100_000]:
        for level in (0.6, 0.9, 0.95, 0.975, 0.99, 0.995, 0.9995, 0.025):
            expected = float(stats.t.ppf(level, df))
            assert t_quantile(df, level) == pytest.approx(expected, rel=1e-9, abs=1e-12)
            assert t_cdf(expected, df) == pytest.approx(level, abs=1e-10)
    assert t_quantile(7, 0.5) == 0.0
    # textbook values: t(0.975, 1) = 12.706, t(0.975, 10) = 2.228, t(0.975, 30) = 2.042
    assert [round(t_quantile(df), 3) for df in (1, 10, 30)] == [12.706, 2.228, 2.042]


def test_a_mean_interval_by_hand() -> None:
    # 2, 4, 6: mean 4, s = 2, half width t(0.975, 2) · 2 / √3 = 4.303 · 1.1547 = 4.968
    mean, low, high = mean_interval([2.0, 4.0, 6.0])
    assert mean == 4.0 and low == pytest.approx(4 - 4.968, abs=1e-3)
    assert high == pytest.approx(4 + 4.968, abs=1e-3)


def test_survey_intervals_do_not_load_scipy() -> None:
    code = (
        "import sys; from parcours.voice.intervals import mean_interval; "
        "mean_interval([1.0, 2.0, 4.0]); print('scipy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="0 < level < 1"):
        t_quantile(3, 1.0)
