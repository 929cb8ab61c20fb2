"""Independent NumPy reference for the stress-test factor model (SPEC §6, second version).

Written from the SPEC, not from the TypeScript, so the two can check each other:

* returns: simple daily returns between consecutive rows of the price grid (a missing close
  removes the returns on both sides of it);
* factor series: Market = SPY return; Value, Growth, Momentum, Quality, Size, Low Volatility =
  the return of VTV, VUG, MTUM, QUAL, IWM, USMV minus the SPY return; Rates = TLT return;
* Sigma: sample covariance (numpy.cov, ddof 1) of the 8 factor series over the last 252 rows
  where all ETFs have a return;
* ridge betas: last 252 rows where the symbol and all 8 ETFs have a return, regressors
  standardised with the population std, intercept, alpha = 1. Solved here as an augmented
  least-squares problem [Z; sqrt(alpha) I] w = [y - mean(y); 0] (SVD via lstsq) rather than the
  normal equations + Cholesky of the TypeScript code;
* conditional moves Sigma_US Sigma_SS^-1 s with numpy.linalg.solve, and the resulting P&L of
  one-ETF portfolios for the hypothetical scenarios;
* the consistency SPEC §6 requires: for every stock, the OLS beta to SPY over the same 252
  returns (numpy.polyfit) and the correlated return of a one-unit market shock under the
  ridge model (alpha 1) and under plain OLS on the 8 series (alpha 0), at three dates;
* the historical replays: each factor's realized move over its window from the bundled closes
  (prices.csv.gz joined with factor_etf_history.csv.gz), style factors minus SPY's move.

Run from the repository root (prettier keeps `npm test`'s format check green):
    python3 test/reference/stress_reference.py
    npx prettier --write test/fixtures/stress-reference.json
Writes test/fixtures/stress-reference.json (numpy 2.4; no other dependencies).
"""

import csv
import gzip
import json
import math
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
PRICES = ROOT / "data" / "market" / "prices.csv.gz"
HISTORY = ROOT / "data" / "market" / "factor_etf_history.csv.gz"
OUT = ROOT / "test" / "fixtures" / "stress-reference.json"

FACTORS = ["Market", "Value", "Growth", "Momentum", "Quality", "Size", "Low Volatility", "Rates"]
ETFS = ["SPY", "VTV", "VUG", "MTUM", "QUAL", "IWM", "USMV", "TLT"]
WINDOW = 252
MIN_OBS = 60
ALPHA = 1.0
TLT_DURATION = 17.5
CONSISTENCY_DATES = ["2020-02-19", "2023-06-30", "2026-07-31"]

# SPEC §6 tables, typed in again on purpose (rates as yield changes; styles relative to SPY).
REPLAYS = {
    "financial_crisis_2008": ("2008-09-15", "2009-03-13"),
    "covid_crash_2020": ("2020-02-19", "2020-03-23"),
    "dotcom_crash_2000": ("2000-03-10", "2002-10-09"),
}
SCENARIOS = {
    "market_up_5": {"Market": 0.05},
    "market_down_5": {"Market": -0.05},
    "market_up_10": {"Market": 0.10},
    "market_down_10": {"Market": -0.10},
    "market_rally_25": {"Market": 0.25},
    "market_crash_35": {"Market": -0.35},
    "rates_up_25bp": {"Rates": 0.0025},
    "rates_down_25bp": {"Rates": -0.0025},
    "rates_up_50bp": {"Rates": 0.005},
    "rates_down_50bp": {"Rates": -0.005},
    "rates_up_100bp": {"Rates": 0.01},
    "rates_down_100bp": {"Rates": -0.01},
    "rate_spike_300bp": {"Rates": 0.03},
    "value_rotation_20": {"Value": 0.10, "Growth": -0.10},
    "growth_rally_15": {"Growth": 0.15, "Momentum": 0.10},
    "small_cap_outperformance_10": {"Size": 0.10},
    "quality_flight_12": {"Market": -0.05, "Quality": 0.12},
    "vix_spike_150": {"Market": -0.15},
    "liquidity_crisis": {"Market": -0.20, "Size": -0.10, "Quality": 0.15},
}

REAL_SYMBOLS = ["SPY", "TLT", "AAPL", "NVDA", "JPM", "XOM", "GLD", "VIXY", "QQQ", "VTV"]


def load(paths=(PRICES,)):
    rows = {}
    for path in paths:
        with gzip.open(path, "rt", newline="") as fh:
            reader = csv.reader(fh)
            assert next(reader) == ["symbol", "date", "close"]
            for symbol, date, close in reader:
                rows.setdefault(symbol, {})[date] = float(close)
    dates = sorted({d for by_date in rows.values() for d in by_date})
    closes = {
        s: np.array([by_date.get(d, math.nan) for d in dates]) for s, by_date in rows.items()
    }
    return dates, closes


def synthetic_series(closes):
    """Variants that exercise the window logic; the unit test builds the same ones."""
    n = len(closes["AAPL"])
    gappy = closes["AAPL"].copy()
    for i in range(n - 400, n):
        if i % 17 == 0:
            gappy[i] = math.nan
    short = np.full(n, math.nan)
    short[n - 80 :] = closes["NVDA"][n - 80 :]
    too_short = np.full(n, math.nan)
    too_short[n - 50 :] = closes["JPM"][n - 50 :]
    return {"AAPL_GAPPY": gappy, "NVDA_SHORT": short, "JPM_TOO_SHORT": too_short}


def returns(series):
    out = np.full(len(series), math.nan)
    out[1:] = series[1:] / series[:-1] - 1.0  # NaN propagates from either side
    return out


def ridge(x, y):
    n, k = x.shape
    mean = x.mean(axis=0)
    std = x.std(axis=0)  # population std (ddof = 0)
    z = (x - mean) / std
    yc = y - y.mean()
    a = np.vstack([z, math.sqrt(ALPHA) * np.eye(k)])
    b = np.concatenate([yc, np.zeros(k)])
    w, *_ = np.linalg.lstsq(a, b, rcond=None)
    beta = w / std
    intercept = y.mean() - beta @ mean
    resid = yc - z @ w
    r2 = 1.0 - (resid @ resid) / (yc @ yc)
    return beta, intercept, r2


def factor_series(closes):
    etf_r = np.column_stack([returns(closes[e]) for e in ETFS])
    f = etf_r.copy()
    for j, name in enumerate(FACTORS):
        if name not in ("Market", "Rates"):
            f[:, j] = etf_r[:, j] - etf_r[:, 0]
    return f


def model(dates, closes, as_of):
    end = max(i for i, d in enumerate(dates) if d <= as_of)
    etf_r = factor_series(closes)
    ok = np.all(np.isfinite(etf_r), axis=1)
    ok[end + 1 :] = False
    etf_rows = np.flatnonzero(ok)

    cov_rows = etf_rows[-WINDOW:]
    x = etf_r[cov_rows]
    n = len(cov_rows)
    cov = np.cov(x, rowvar=False, ddof=1)

    betas, insufficient = {}, {}
    for symbol, series in closes.items():
        r = returns(series)
        rows = etf_rows[np.isfinite(r[etf_rows])][-WINDOW:]
        if len(rows) < MIN_OBS:
            insufficient[symbol] = int(len(rows))
            continue
        beta, intercept, r2 = ridge(etf_r[rows], r[rows])
        betas[symbol] = {
            "betas": beta.tolist(),
            "intercept": float(intercept),
            "r_squared": float(r2),
            "observations": int(len(rows)),
            "window_start": dates[rows[0]],
            "window_end": dates[rows[-1]],
        }
    return {
        "price_date": dates[end],
        "covariance": cov.tolist(),
        "covariance_observations": int(n),
        "covariance_window": [dates[cov_rows[0]], dates[cov_rows[-1]]],
        "betas": betas,
        "insufficient": insufficient,
    }, cov


def scenario_moves(cov, shocks):
    s_idx = [FACTORS.index(f) for f in shocks]
    s = np.array(
        [-TLT_DURATION * v if f == "Rates" else v for f, v in shocks.items()], dtype=float
    )
    direct = np.zeros(len(FACTORS))
    direct[s_idx] = s
    correlated = direct.copy()
    u_idx = [i for i in range(len(FACTORS)) if i not in s_idx]
    if u_idx:
        correlated[u_idx] = cov[np.ix_(u_idx, s_idx)] @ np.linalg.solve(cov[np.ix_(s_idx, s_idx)], s)
    return direct, correlated


def ols_market_consistency(dates, closes, stocks):
    """Per stock and date: OLS beta to SPY, and the model's correlated return per unit market shock."""
    out = {}
    f_all = factor_series(closes)
    for as_of in CONSISTENCY_DATES:
        end = max(i for i, d in enumerate(dates) if d <= as_of)
        ok = np.all(np.isfinite(f_all), axis=1)
        ok[end + 1 :] = False
        rows = np.flatnonzero(ok)[-WINDOW:]
        x = f_all[rows]
        cov = np.cov(x, rowvar=False, ddof=1)
        # Conditional move of every factor per unit Market shock: Sigma_uM / Sigma_MM.
        unit = cov[:, 0] / cov[0, 0]
        per_stock = {}
        for s in stocks:
            y = returns(closes[s])[rows]
            assert np.all(np.isfinite(y)), s
            ols_spy = np.polyfit(x[:, 0], y, 1)[0]
            ridge_beta, _, _ = ridge(x, y)
            design = np.column_stack([np.ones(len(rows)), x])
            ols_full = np.linalg.lstsq(design, y, rcond=None)[0][1:]
            per_stock[s] = {
                "ols_beta_spy": float(ols_spy),
                "ridge_unit_market": float(ridge_beta @ unit),
                "ols_unit_market": float(ols_full @ unit),
            }
        out[as_of] = {"window": [dates[rows[0]], dates[rows[-1]]], "stocks": per_stock}
    return out


def replay_moves():
    dates, closes = load((HISTORY, PRICES))
    index = {d: i for i, d in enumerate(dates)}
    out = {}
    for sid, (start, end) in REPLAYS.items():
        etf_moves = {}
        for etf in ETFS:
            a = closes[etf][index[start]]
            b = closes[etf][index[end]]
            etf_moves[etf] = float(b / a - 1.0) if np.isfinite(a) and np.isfinite(b) else None
        factors = {}
        for name, etf in zip(FACTORS, ETFS):
            m = etf_moves[etf]
            if m is None:
                continue
            if name in ("Market", "Rates"):
                factors[name] = m
            elif etf_moves["SPY"] is not None:
                factors[name] = m - etf_moves["SPY"]
        out[sid] = {"window": [start, end], "etf_moves": etf_moves, "factor_moves": factors}
    return out


def main():
    dates, closes = load()
    fitted = {s: closes[s] for s in REAL_SYMBOLS + ETFS}
    fitted.update(synthetic_series(closes))
    out = {"parameters": {"window": WINDOW, "min_observations": MIN_OBS,
                          "alpha": ALPHA, "tlt_duration": TLT_DURATION},
           "as_of": {}}
    for as_of in ["2026-07-31", "2020-02-19"]:
        result, cov = model(dates, fitted, as_of)
        scenarios = {}
        for sid, shocks in SCENARIOS.items():
            direct, correlated = scenario_moves(cov, shocks)
            one_etf = {}
            for etf in ["SPY", "TLT"]:
                beta = np.array(result["betas"][etf]["betas"])
                one_etf[etf] = {
                    # Long-only, NAV = position value, so P&L % of NAV = 100 * floored return.
                    "pct_direct": 100 * max(float(beta @ direct), -1.0),
                    "pct_correlated": 100 * max(float(beta @ correlated), -1.0),
                }
            scenarios[sid] = {
                "move_direct": direct.tolist(),
                "move_correlated": correlated.tolist(),
                "long_only": one_etf,
            }
        result["scenarios"] = scenarios
        out["as_of"][as_of] = result
    stocks = sorted(s for s in closes if s not in ETFS and np.all(np.isfinite(closes[s])))
    with gzip.open(ROOT / "data" / "market" / "symbols.csv.gz", "rt") as fh:
        kinds = {row["symbol"]: row["type"] for row in csv.DictReader(fh)}
    stocks = [s for s in stocks if kinds.get(s) == "stock"]
    out["consistency"] = ols_market_consistency(dates, closes, stocks)
    out["replays"] = replay_moves()
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")
    for as_of, res in out["as_of"].items():
        for sid in ["market_down_10", "market_up_10", "rates_up_100bp", "rates_down_100bp"]:
            print(as_of, sid, res["scenarios"][sid]["long_only"])
    for as_of, res in out["consistency"].items():
        worst = max(
            abs(v["ridge_unit_market"] - v["ols_beta_spy"]) for v in res["stocks"].values()
        )
        exact = max(abs(v["ols_unit_market"] - v["ols_beta_spy"]) for v in res["stocks"].values())
        print(as_of, len(res["stocks"]), "stocks; worst |ridge - OLS|", worst, "alpha 0:", exact)
    for sid, r in out["replays"].items():
        print(sid, {k: round(v, 4) for k, v in r["factor_moves"].items()})


if __name__ == "__main__":
    main()
