#!/usr/bin/env python3
"""Writes mann_whitney_reference.json: expected Mann-Whitney U results from SciPy.

Run from this directory:  python3 make_mann_whitney_table.py
Needs NumPy and SciPy (the table shipped was made with SciPy 1.17.1).

Each case holds a candidate sample x, a baseline sample y, an alternative (two-sided, greater, less)
and a method (exact or asymptotic with continuity correction). Expected: SciPy's U statistic of x
and its p-value. For exact cases without ties the table also holds the Hodges-Lehmann estimate
(median of the pairwise differences x_i - y_j) and the 98% confidence interval of the shift, found
by inverting SciPy's exact two-sided test: a shift d is inside when mannwhitneyu(x - d, y) gives
p > 0.02; the interval runs from the lower end of the first accepted gap between sorted differences
to the upper end of the last (null: unbounded, the samples are too small for this confidence).
With an empty side SciPy answers NaN: such cases are marked "nan".
"""
import json
import warnings
import numpy as np
import scipy
from scipy.stats import mannwhitneyu

CONFIDENCE = 0.98
rng = np.random.default_rng(20261204)
cases = []


def r(v):
    return [float(round(float(t), 6)) for t in v]


def add(name, x, y, alternatives=("two-sided", "greater", "less"), methods=None):
    x = r(x)
    y = r(y)
    ties = len(set(x + y)) < len(x) + len(y)
    if methods is None:
        methods = ["asymptotic"] if ties or len(x) >= 50 or len(y) >= 50 else ["exact", "asymptotic"]
    for method in methods:
        for alt in alternatives:
            case = {"name": name, "x": x, "y": y, "alternative": alt, "method": method, "ties": ties}
            if not x or not y:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    res = mannwhitneyu(x, y, alternative=alt, method=method)
                case["nan"] = bool(np.isnan(res.pvalue))
                cases.append(case)
                continue
            res = mannwhitneyu(x, y, alternative=alt, method=method, use_continuity=True)
            case["u"] = float(res.statistic)
            case["p"] = float(res.pvalue)
            if method == "exact" and not ties and alt == "two-sided":
                diffs = np.sort(np.subtract.outer(np.array(x), np.array(y)).ravel())
                case["hl"] = float(np.median(diffs))
                case["ci"] = interval(x, y, diffs)
            cases.append(case)


def interval(x, y, diffs):
    alpha = 1 - CONFIDENCE
    xs = np.array(x)

    def inside(shift):
        return mannwhitneyu(xs - shift, y, alternative="two-sided", method="exact").pvalue > alpha

    # gap i lies between diffs[i - 1] and diffs[i]; gap 0 is below every difference, gap len(diffs) above
    edges = np.concatenate(([diffs[0] - 1], diffs, [diffs[-1] + 1]))
    accepted = [i for i in range(len(diffs) + 1)
                if edges[i] != edges[i + 1] and inside((edges[i] + edges[i + 1]) / 2)]
    if not accepted:
        return None
    lower = None if accepted[0] == 0 else float(diffs[accepted[0] - 1])
    upper = None if accepted[-1] == len(diffs) else float(diffs[accepted[-1]])
    return [lower, upper]


# tiny samples
add("one each", [1.0], [2.0])
add("two against three", [3.1, 4.2], [1.0, 2.5, 2.9])
add("three against three, separated", [10, 11, 12], [1, 2, 3])
add("four against four, interleaved", [1.5, 3.5, 5.5, 7.5], [1, 3, 5, 7])
add("five against five, shifted", [2.1, 3.3, 4.7, 5.2, 6.9], [1.0, 1.8, 2.6, 3.9, 4.1])
add("five against seven", rng.normal(1.0, 1, 5), rng.normal(0, 1, 7))
# identical samples
add("identical samples", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5], alternatives=("two-sided",))
add("identical constant samples", [5, 5, 5, 5], [5, 5, 5, 5], alternatives=("two-sided",))
# ties
add("ties within and across", [1, 2, 2, 3, 3, 3, 4], [2, 3, 3, 4, 4, 5])
add("many zeros (error counts)", [0, 0, 0, 1, 0, 2, 0, 0, 1, 0], [0, 0, 0, 0, 0, 1, 0, 0, 0, 0])
add("rounded latencies with ties", np.round(rng.lognormal(0, 0.3, 20), 1), np.round(rng.lognormal(0.1, 0.3, 20), 1))
# one empty side
add("empty candidate", [], [1, 2, 3], alternatives=("two-sided",), methods=["asymptotic"])
add("empty baseline", [1, 2, 3], [], alternatives=("two-sided",), methods=["asymptotic"])
# medium samples, exact
add("ten against ten, normal, no shift", rng.normal(0, 1, 10), rng.normal(0, 1, 10))
add("twenty against twenty, p99 20% worse", rng.lognormal(np.log(0.24), 0.18, 20), rng.lognormal(np.log(0.2), 0.18, 20))
add("thirty against twelve, unequal", rng.normal(0.5, 1, 30), rng.normal(0, 1, 12))
add("forty-nine against forty-nine", rng.normal(0.2, 1, 49), rng.normal(0, 1, 49), alternatives=("two-sided", "greater"))
# large samples
add("large, no shift", rng.normal(0, 1, 400), rng.normal(0, 1, 300))
add("large, small shift", rng.normal(0.1, 1, 1000), rng.normal(0, 1, 1000))
# heavy tails
add("heavy tails, Cauchy", rng.standard_cauchy(25), rng.standard_cauchy(25))
add("heavy tails, Pareto shifted", rng.pareto(1.5, 60) * 1.3, rng.pareto(1.5, 60))
add("outlier in baseline", [1.1, 1.2, 1.3, 1.4, 1.5, 1.6], [1.0, 1.05, 1.15, 1.25, 1.35, 1000.0])

with open("mann_whitney_reference.json", "w") as out:
    json.dump({"generator": "make_mann_whitney_table.py", "scipy": scipy.__version__, "confidence": CONFIDENCE,
               "cases": cases}, out, indent=1)
print(len(cases), "cases")
