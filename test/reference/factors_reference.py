#!/usr/bin/env python3
"""Independent NumPy reference for Betaboard's 13-factor engine (SPEC §3.1).

Reads the bundled real prices (data/market/prices.csv.gz: symbol,date,close) and writes
test/fixtures/factor-reference.json, which test/unit/factors/reference.test.ts compares with
computeSymbolFactors to a relative 1e-8. Written from the formulas, not from the TypeScript:
per (symbol, date, factor) it inner-joins returns by date, fits OLS with numpy.linalg.lstsq on
[1, x] and takes residuals explicitly, and fits the ridge as StandardScaler + Ridge(alpha=1)
would (numpy.std ddof=0, numpy.linalg.solve on the standardised normal equations, intercept
ȳ − mean(Z)·w, explicit residuals). Needs only python3 and numpy.

Window semantics (the same rules as src/domain/factors/return-panel.ts):
  - the calendar is every date of the price file; a symbol's close on a date may be missing;
  - the return on session t is close[t] / close[t-1] - 1 with t-1 the previous calendar session,
    and exists only when both closes exist (a missing close never bridges into a 2-day return);
  - the window of date D is the last W sessions <= D (W = 90 OLS/ridge, 180 spreads);
  - observations are the window's dates where the target and every regressor have a return;
    fewer than 30 (90-day) or 60 (spreads): insufficient_history with the count;
  - a spread regressor's return is return(A) - return(B) on the same date;
  - betas are clamped to +-5 with quality flag "clamped".

Scenarios: "bundled" is the price file as it is (it has no gaps); "gaps" deletes some closes
(listed in the fixture) to pin down the inner join and the insufficient-history rule.

Run from the repository root, then format the JSON as the repository does:
    python3 test/reference/factors_reference.py
    npx prettier --write test/fixtures/factor-reference.json
Benchmark of the same regressions, vectorised over symbols (synthetic prices, no file I/O):
    python3 test/reference/factors_reference.py --bench 3000
"""

import bisect
import csv
import gzip
import json
import os
import sys
import time

if "--bench" in sys.argv:
    # One BLAS thread, like the single-threaded TypeScript it is compared with; on a busy 2-core
    # machine a second OpenBLAS thread also made the timing swing 2-6x between runs.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402  (after the thread settings, which it reads on import)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PRICES = os.path.join(ROOT, "data", "market", "prices.csv.gz")
OUT = os.path.join(ROOT, "test", "fixtures", "factor-reference.json")

DATES = ["2020-03-23", "2022-06-30", "2026-07-31"]
WANTED = [
    "AAPL", "MSFT", "NVDA", "TSLA", "JPM", "XOM", "JNJ", "KO", "PG", "AMZN", "GOOGL", "META",
    "BRK-B", "UNH", "V", "HD", "WMT", "NFLX", "AMD", "INTC", "CVX", "PFE",
    "SPY", "TLT", "QQQ", "XLE",
]
# UNH is not in the bundled data (see data/market/PROVENANCE.md); ELV is its closest peer there.
STAND_INS = {"UNH": "ELV"}

ALPHA = 1.0
CLAMP = 5.0
RIDGE = ["MTUM", "VTV", "VUG", "IWM", "QUAL", "USMV"]
# (name, kind, regressors, window, minimum); a spread's regressors are [long, short].
FACTORS = [
    ("Market Beta (90D)", "ols", ["SPY"], 90, 30),
    ("IR Beta", "ols", ["TLT"], 90, 30),
    ("Momentum", "ridge", RIDGE, 90, 30),
    ("Value", "ridge", RIDGE, 90, 30),
    ("Growth", "ridge", RIDGE, 90, 30),
    ("Size", "ridge", RIDGE, 90, 30),
    ("Quality", "ridge", RIDGE, 90, 30),
    ("Low Volatility", "ridge", RIDGE, 90, 30),
    ("Growth-Value Spread", "spread", ["VUG", "VTV"], 180, 60),
    ("Momentum Spread", "spread", ["MTUM", "SPY"], 180, 60),
    ("Size Spread", "spread", ["IWM", "SPY"], 180, 60),
    ("Quality Spread", "spread", ["QUAL", "SPY"], 180, 60),
]
RIDGE_OWN = {"Momentum": "MTUM", "Value": "VTV", "Growth": "VUG", "Size": "IWM",
             "Quality": "QUAL", "Low Volatility": "USMV"}

# The "gaps" scenario: closes deleted before fitting. AAPL loses scattered closes in every
# window (each costs up to two returns); TLT loses one close in the last 90-day window (IR Beta
# only); VTV loses one in the last 180 days (ridge and Growth-Value); MSFT keeps only its last 45
# closes before 2026-07-31, so the 90-day factors fit on 44 returns and the spreads (needing 60)
# are insufficient.
GAP_SYMBOLS = ["AAPL", "MSFT", "SPY", "XOM"]


def gap_deletions(calendar):
    def sessions_before(date, count):
        end = bisect.bisect_right(calendar, date)
        return calendar[max(0, end - count):end]

    removed = []
    for date in DATES:
        window = sessions_before(date, 180)
        removed += [("AAPL", d) for d in window[-3::-17]]  # every 17th, from 2 before the end
        removed.append(("AAPL", window[-1]))  # the calculation date itself
    last = sessions_before(DATES[-1], 180)
    removed.append(("TLT", last[-40]))
    removed.append(("VTV", last[-120]))
    removed += [("MSFT", d) for d in calendar if d <= DATES[-1]][: -45]
    return sorted(set(removed))


def load_prices():
    series = {}
    with gzip.open(PRICES, "rt", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        assert header == ["symbol", "date", "close"], header
        for symbol, date, close in reader:
            series.setdefault(symbol, {})[date] = float(close)
    return series


def returns_by_date(closes_by_date, calendar):
    """{date: return} on calendar sessions whose close and previous-session close both exist."""
    out = {}
    for prev, date in zip(calendar, calendar[1:]):
        a = closes_by_date.get(prev)
        b = closes_by_date.get(date)
        if a is not None and b is not None:
            out[date] = b / a - 1.0
    return out


def window_dates(calendar, date, length):
    end = bisect.bisect_right(calendar, date)
    return calendar[max(0, end - length):end]


def clamp(beta):
    if beta > CLAMP:
        return CLAMP, "clamped"
    if beta < -CLAMP:
        return -CLAMP, "clamped"
    return beta, "ok"


def ols(x, y):
    design = np.column_stack([np.ones_like(x), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    fitted = design @ coef
    resid = y - fitted
    rss = float(resid @ resid)
    tss = float(np.sum((y - y.mean()) ** 2))
    # R^2 as ESS/TSS (equal to 1 - RSS/TSS for OLS with an intercept): it keeps its relative
    # precision when R^2 is tiny (IR Beta of a stock can be ~1e-7), where 1 - RSS/TSS would not.
    ess = float(np.sum((fitted - y.mean()) ** 2))
    sxx = float(np.sum((x - x.mean()) ** 2))
    n = len(y)
    return float(coef[1]), ess / tss, float(np.sqrt(rss / (n - 2) / sxx))


def ridge(x, y):
    """StandardScaler + Ridge(alpha) with intercept; betas in raw units and in-sample R^2."""
    mu = x.mean(axis=0)
    sd = x.std(axis=0)  # population std, as StandardScaler
    z = (x - mu) / sd
    z_mean = z.mean(axis=0)
    zc = z - z_mean
    y_mean = y.mean()
    w = np.linalg.solve(zc.T @ zc + ALPHA * np.eye(z.shape[1]), zc.T @ (y - y_mean))
    intercept = y_mean - z_mean @ w
    resid = y - (z @ w + intercept)
    r2 = 1.0 - float(resid @ resid) / float(np.sum((y - y_mean) ** 2))
    return w / sd, r2


def compute(series, calendar, symbols):
    rets = {s: returns_by_date(series[s], calendar) for s in series}
    values = {}
    for symbol in symbols:
        values[symbol] = {}
        for date in DATES:
            row = {}
            ridge_fit = None
            for name, kind, regs, length, minimum in FACTORS:
                obs = [d for d in window_dates(calendar, date, length)
                       if d in rets[symbol] and all(d in rets[r] for r in regs)]
                n = len(obs)
                if n < minimum:
                    row[name] = {"insufficient": n, "required": minimum}
                    continue
                y = np.array([rets[symbol][d] for d in obs])
                if kind == "ridge":
                    if ridge_fit is None:
                        x = np.array([[rets[r][d] for r in regs] for d in obs])
                        ridge_fit = ridge(x, y)
                    betas, r2 = ridge_fit
                    beta, flag = clamp(float(betas[regs.index(RIDGE_OWN[name])]))
                    row[name] = [beta, r2, None, n, flag]
                else:
                    if kind == "spread":
                        x = np.array([rets[regs[0]][d] - rets[regs[1]][d] for d in obs])
                    else:
                        x = np.array([rets[regs[0]][d] for d in obs])
                    b, r2, se = ols(x, y)
                    beta, flag = clamp(b)
                    row[name] = [beta, r2, se, n, flag]
            values[symbol][date] = row
    return values


def bench(count, repeats=30):
    """The same regressions as bench/factor-kernels.bench.ts, vectorised over symbols: per symbol
    2 OLS (SPY, TLT) and 1 six-regressor ridge on the last 90 returns, 4 spread OLS on the last
    180, from 253 synthetic closes (252 returns). Timed from closes to betas, best of `repeats`."""
    rng = np.random.default_rng(20260731)
    sessions = 253
    etfs = ["SPY", "TLT", "MTUM", "VTV", "VUG", "IWM", "QUAL", "USMV"]
    market = rng.normal(0.0004, 0.011, sessions - 1)
    etf_r = np.array([market * rng.uniform(0.3, 1.3) + rng.normal(0, 0.004, sessions - 1)
                      for _ in etfs])
    stock_r = (rng.normal(1.0, 0.4, (count, 1)) * market
               + rng.normal(0, 0.015, (count, sessions - 1)))
    closes = 100.0 * np.cumprod(1.0 + np.vstack([stock_r, etf_r]), axis=1)
    closes = np.hstack([np.full((count + len(etfs), 1), 100.0), closes])
    col = {s: count + i for i, s in enumerate(etfs)}

    def run():
        r = closes[:, 1:] / closes[:, :-1] - 1.0
        out = {}
        for length, specs in ((90, [("SPY",), ("TLT",)]),
                              (180, [("VUG", "VTV"), ("MTUM", "SPY"), ("IWM", "SPY"),
                                     ("QUAL", "SPY")])):
            y = r[:count, -length:]
            yc = y - y.mean(axis=1, keepdims=True)
            syy = np.einsum("ij,ij->i", yc, yc)
            for spec in specs:
                x = r[col[spec[0]], -length:]
                if len(spec) == 2:
                    x = x - r[col[spec[1]], -length:]
                xc = x - x.mean()
                sxx = xc @ xc
                sxy = yc @ xc
                beta = sxy / sxx
                out[spec] = (np.clip(beta, -CLAMP, CLAMP), sxy * sxy / (sxx * syy),
                             np.sqrt(np.maximum(syy - beta * sxy, 0) / (length - 2) / sxx))
            if length == 90:
                x = r[[col[s] for s in RIDGE], -90:].T
                z = (x - x.mean(axis=0)) / x.std(axis=0)
                g = yc @ z
                w = np.linalg.solve(z.T @ z + ALPHA * np.eye(len(RIDGE)), g.T).T
                resid = yc - w @ z.T
                r2 = 1.0 - np.einsum("ij,ij->i", resid, resid) / syy
                out["ridge"] = (np.clip(w / x.std(axis=0), -CLAMP, CLAMP), r2)
        return out

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    seconds = min(times)
    regressions = count * 7
    return {
        "implementation": "numpy " + np.__version__ + " (vectorised over symbols)",
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "symbols": count,
        "returns_per_symbol": sessions - 1,
        "regressions_per_symbol": 7,
        "counting": "each OLS, each spread and the 6-factor ridge count as 1 regression",
        "seconds": seconds,
        "seconds_median": float(np.median(times)),
        "regressions_per_second": regressions / seconds,
        "factor_betas_per_second": count * 12 / seconds,
    }


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--bench":
        count = int(sys.argv[2]) if len(sys.argv) >= 3 else 3000
        print(json.dumps(bench(count)))
        return

    series = load_prices()
    calendar = sorted({d for closes in series.values() for d in closes})
    symbols = [s if s in series else STAND_INS[s] for s in WANTED]
    missing = [s for s in symbols if s not in series]
    assert not missing, missing

    bundled = compute(series, calendar, symbols)

    removed = gap_deletions(calendar)
    gapped = {s: dict(c) for s, c in series.items()}
    for symbol, date in removed:
        del gapped[symbol][date]
    gaps = compute(gapped, calendar, GAP_SYMBOLS)

    fixture = {
        "generated_by": "test/reference/factors_reference.py",
        "numpy_version": np.__version__,
        "row_format": "[beta (clamped), r_squared, std_error (null for ridge), observations, "
                      "quality_flag], or {insufficient: observations, required}",
        "dates": DATES,
        "factors": [f[0] for f in FACTORS],
        "stand_ins": {k: v for k, v in STAND_INS.items() if k not in series},
        "bundled": {"symbols": symbols, "values": bundled},
        "gaps": {"symbols": GAP_SYMBOLS, "removed_closes": [list(p) for p in removed],
                 "values": gaps},
    }
    with open(OUT, "w") as fh:
        json.dump(fixture, fh, indent=2)
        fh.write("\n")
    print(f"wrote {OUT}: {len(symbols)} symbols x {len(DATES)} dates x {len(FACTORS)} factors"
          f" + gaps scenario ({len(removed)} closes removed)")


if __name__ == "__main__":
    main()
