#!/usr/bin/env python3
"""Independent NumPy reference for Betaboard's SPEC §7 analytics.

Reads the bundled real prices (data/market/prices.csv.gz: symbol,date,close) and writes
test/fixtures/analytics-reference.json, which test/unit/analytics/reference.test.ts compares with
the TypeScript results to a relative 1e-9. Written from the formulas, not from the TypeScript:
numpy.corrcoef, numpy.std(ddof=1), numpy.linalg.lstsq (SVD) stand in for the hand-written
kernels. Needs only python3 and numpy.

Run from the repository root, then format the JSON as the repository does:
    python3 test/reference/analytics_reference.py
    npx prettier --write test/fixtures/analytics-reference.json
"""

import csv
import gzip
import json
import math
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PRICES = os.path.join(ROOT, "data", "market", "prices.csv.gz")
OUT = os.path.join(ROOT, "test", "fixtures", "analytics-reference.json")

AS_OF = "2026-07-31"
ANNUAL = 252
CORR_SYMBOLS = ["AAPL", "MSFT", "NVDA", "JPM", "XOM", "JNJ", "PG", "TSLA", "SPY", "TLT"]
# Signed values (XOM short) for the effective-positions check; NAV 1,000,000, all above thresholds.
CORR_VALUES = {
    "AAPL": 250_000.0,
    "MSFT": 200_000.0,
    "NVDA": 150_000.0,
    "JPM": 120_000.0,
    "XOM": -80_000.0,
    "JNJ": 60_000.0,
    "PG": 50_000.0,
    "TSLA": 40_000.0,
    "SPY": 30_000.0,
    "TLT": 20_000.0,
}
EW_SYMBOLS = ["AAPL", "MSFT", "JPM", "XOM", "JNJ"]
RISK_FROM, RISK_TO = "2019-01-01", "2025-12-31"


def load_prices():
    series = {}
    with gzip.open(PRICES, "rt", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        assert header == ["symbol", "date", "close"], header
        for symbol, date, close in reader:
            series.setdefault(symbol, {})[date] = float(close)
    return series


def closes_until(series, symbol, last_date, first_date=None):
    rows = sorted(series[symbol].items())
    return np.array(
        [c for d, c in rows if d <= last_date and (first_date is None or d >= first_date)]
    ), [d for d, _ in rows if d <= last_date and (first_date is None or d >= first_date)]


def simple_returns(closes):
    return closes[1:] / closes[:-1] - 1.0


def realized(returns, window):
    return float(np.std(returns[-window:], ddof=1) * math.sqrt(ANNUAL))


def rolling_vols(returns, window=21):
    count = len(returns) - window + 1
    scale = math.sqrt(ANNUAL)
    return np.array([np.std(returns[k : k + window], ddof=1) * scale for k in range(count)])


def percentile(rolling):
    today = rolling[-1]
    return float(np.sum(rolling[:-1] < today) / (len(rolling) - 1))


def trend(v21, v63, band=0.10):
    if v21 > v63 * (1 + band):
        return "increasing"
    if v21 < v63 * (1 - band):
        return "decreasing"
    return "stable"


def har(returns, horizon=21):
    """Corsi (2009) HAR on r^2: RV[t+1] ~ 1 + RV[t] + mean(RV[t-4..t]) + mean(RV[t-21..t])."""
    rv = returns**2
    rows = []
    target = []
    for t in range(21, len(rv) - 1):
        rows.append([1.0, rv[t], rv[t - 4 : t + 1].mean(), rv[t - 21 : t + 1].mean()])
        target.append(rv[t + 1])
    x = np.array(rows)
    y = np.array(target)
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    fitted = x @ beta
    r2 = 1.0 - np.sum((y - fitted) ** 2) / np.sum((y - y.mean()) ** 2)
    path = list(rv)
    forecasts = []
    for _ in range(horizon):
        week, month = np.mean(path[-5:]), np.mean(path[-22:])
        nxt = beta[0] + beta[1] * path[-1] + beta[2] * week + beta[3] * month
        path.append(nxt)
        forecasts.append(nxt)
    mean_var = float(np.mean(forecasts))
    return {
        "intercept": float(beta[0]),
        "daily": float(beta[1]),
        "weekly": float(beta[2]),
        "monthly": float(beta[3]),
        "observations": int(len(y)),
        "r_squared": float(r2),
        "forecast_mean_daily_variance": mean_var,
        "expected_volatility_21d": math.sqrt(ANNUAL * mean_var),
    }


def vol_block(returns):
    v21 = realized(returns, 21)
    v63 = realized(returns, 63)
    roll = rolling_vols(returns)
    return {
        "observations": int(len(returns)),
        "realized_volatility_21d": v21,
        "realized_volatility_63d": v63,
        "volatility_trend": trend(v21, v63),
        "volatility_percentile": percentile(roll),
        "percentile_windows": int(len(roll)),
        "har": har(returns),
    }


def risk_block(returns, closes, rf_annual):
    rf_daily = (1.0 + rf_annual) ** (1.0 / ANNUAL) - 1.0
    excess = returns - rf_daily
    downside = np.sqrt(np.mean(np.minimum(excess, 0.0) ** 2))
    running_peak = np.maximum.accumulate(closes)
    drawdowns = closes / running_peak - 1.0
    trough = int(np.argmin(drawdowns))
    peak = int(np.argmax(closes[: trough + 1]))
    return {
        "risk_free_rate": rf_annual,
        "observations": int(len(returns)),
        "annualized_volatility": float(np.std(returns, ddof=1) * math.sqrt(ANNUAL)),
        "max_drawdown": float(drawdowns.min()),
        "max_drawdown_peak_index": peak,
        "max_drawdown_trough_index": trough,
        "sharpe_ratio": float(excess.mean() / np.std(excess, ddof=1) * math.sqrt(ANNUAL)),
        "sortino_ratio": float(excess.mean() / downside * math.sqrt(ANNUAL)),
    }


def main():
    series = load_prices()

    # Correlation: the last 91 closes up to AS_OF give 90 log returns (the data has no gaps).
    log_returns = []
    window_dates = None
    for symbol in CORR_SYMBOLS:
        closes, dates = closes_until(series, symbol, AS_OF)
        closes, dates = closes[-91:], dates[-91:]
        window_dates = window_dates or dates
        assert dates == window_dates, symbol
        log_returns.append(np.log(closes[1:] / closes[:-1]))
    corr = np.corrcoef(np.array(log_returns))
    upper = corr[np.triu_indices(len(CORR_SYMBOLS), k=1)]
    values = np.array([CORR_VALUES[s] for s in CORR_SYMBOLS])
    w = values / np.abs(values).sum()
    correlation = {
        "as_of": AS_OF,
        "lookback_days": 90,
        "window_start": window_dates[1],
        "window_end": window_dates[-1],
        "nav": 1_000_000.0,
        "symbols": CORR_SYMBOLS,
        "values": [CORR_VALUES[s] for s in CORR_SYMBOLS],
        "matrix": corr.tolist(),
        "overall_correlation": float(np.mean(np.abs(upper))),
        "weights": w.tolist(),
        "effective_positions": float(1.0 / (w @ corr @ w)),
    }

    spy_closes, _ = closes_until(series, "SPY", AS_OF)
    spy_returns = simple_returns(spy_closes)

    # Equal weight, rebalanced daily: the portfolio's return is the mean of the five returns.
    stock_returns = []
    for symbol in EW_SYMBOLS:
        closes, dates = closes_until(series, symbol, AS_OF)
        stock_returns.append(simple_returns(closes))
    ew_returns = np.mean(np.array(stock_returns), axis=0)

    risk_closes, risk_dates = closes_until(series, "SPY", RISK_TO, RISK_FROM)
    risk_returns = simple_returns(risk_closes)

    out = {
        "generator": "test/reference/analytics_reference.py",
        "numpy_version": np.__version__,
        "python_version": sys.version.split()[0],
        "as_of": AS_OF,
        "correlation": correlation,
        "volatility": {
            "SPY": vol_block(spy_returns),
            "equal_weight_5": {"symbols": EW_SYMBOLS, **vol_block(ew_returns)},
        },
        "risk_metrics": {
            "symbol": "SPY",
            "from": risk_dates[0],
            "to": risk_dates[-1],
            "rf_0": risk_block(risk_returns, risk_closes, 0.0),
            "rf_2pct": risk_block(risk_returns, risk_closes, 0.02),
        },
    }
    with open(OUT, "w") as fh:
        json.dump(out, fh, indent=2)
        fh.write("\n")
    print(f"wrote {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
