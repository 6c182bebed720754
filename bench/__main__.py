"""Run every ``bench/bench_*.py`` module's ``run() -> list[dict]``, print the figures and
write them to ``bench/results.json``.

    python -m bench                  every benchmark
    python -m bench surveys          only bench/bench_surveys.py (names are matched as substrings)

Each figure is a dict: name, figure, unit, reference_name, reference, ratio, target, met, command.
"""

import importlib
import json
import pkgutil
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
KEYS = ("name", "figure", "unit", "reference_name", "reference", "ratio", "target", "met", "command")


def _modules(selected: list[str]) -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    if selected:
        names = [n for n in names if any(s in n for s in selected)]
    return names


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if value is None:
        return "-"
    return str(value)


def main(argv: list[str]) -> int:
    selected = [a for a in argv if not a.startswith("-")]
    load_before = _load()
    results, failures = [], []
    ran = []
    for name in _modules(selected):
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}", flush=True)
        try:
            figures = module.run()
        except Exception as exc:  # a benchmark that cannot run is reported, not hidden
            failures.append(f"{name}: {exc}")
            print(f"   could not run: {exc}", file=sys.stderr, flush=True)
            continue
        ran.append(name)
        for f in figures:
            missing = [k for k in KEYS if k not in f]
            if missing:
                raise ValueError(f"{name} returned a figure without {missing}")
            results.append({k: f[k] for k in KEYS} | {"module": name})
    # Keep the figures of modules that were not run this time (read now, not at the start,
    # so a benchmark run meanwhile for another module is not overwritten).
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"results": []}
    kept = [r for r in previous.get("results", []) if r.get("module") not in ran]
    out = {
        "recorded_at": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.system()} {platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}",
        "load_average": {"before": load_before, "after": _load()},
        "results": kept + results,
    }
    RESULTS.write_text(json.dumps(out, indent=2) + "\n")
    print()
    print(f"{'figure':<44} {'value':>12} {'unit':<10} {'reference':>12}  {'ratio':>7}  {'target':<14} met")
    for r in results:
        print(
            f"{r['name']:<44} {_fmt(r['figure']):>12} {r['unit']:<10} {_fmt(r['reference']):>12}  "
            f"{_fmt(r['ratio']):>7}  {r['target']:<14} {'yes' if r['met'] else 'NO'}"
        )
        print(f"    reference: {r['reference_name']}")
    print(f"\nWritten to {RESULTS.relative_to(HERE.parent)}")
    for f in failures:
        print(f"NOT RUN: {f}", file=sys.stderr)
    return 1 if failures or not all(r["met"] for r in results) else 0


def _load() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine slows every figure."""
    import os

    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else ""


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
