#!/usr/bin/env python3
"""Plots docs/observability/load-run.json (written by dashboard-run.ts) as the dashboard's six
panels, one PNG. Debian: apt-get install python3-matplotlib.

    /usr/bin/python3 scripts/observability/plot-dashboard.py docs/observability/load-run.json out.png
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

source, target = sys.argv[1], sys.argv[2]
with open(source, encoding="utf-8") as f:
    run = json.load(f)
series = run["series"]


def points(name):
    data = series.get(name, [])
    return [p[0] for p in data], [p[1] if p[1] is not None else float("nan") for p in data]


fig, axes = plt.subplots(2, 3, figsize=(16, 8.5))
fig.suptitle(
    "gateway-auth demo under load: Prometheus metrics scraped every second (5 s windows)",
    fontsize=13,
)


def phases(ax):
    for phase in run["phases"]:
        ax.axvline(phase["start"], color="#bbbbbb", linewidth=0.8, linestyle="--")
    ax.set_xlabel("seconds")
    ax.grid(alpha=0.3)


ax = axes[0][0]
for name in sorted(n for n in series if n.startswith("rate:")):
    ax.plot(*points(name), label=name.split(":", 1)[1])
ax.set_title("Decisions per second, by model")
ax.legend(fontsize=8)
phases(ax)

ax = axes[0][1]
for name in sorted(n for n in series if n.startswith("refusals:")):
    ax.plot(*points(name), label=name.split(":", 1)[1])
ax.set_title("Refusals per second, by response type")
ax.legend(fontsize=7)
phases(ax)

ax = axes[0][2]
ax.plot(*points("latency:p50"), label="p50")
ax.plot(*points("latency:p99"), label="p99")
ax.set_yscale("log")
ax.set_title("Authorization latency (ms, log scale)")
ax.legend(fontsize=8)
phases(ax)

ax = axes[1][0]
ax.plot(*points("cache:hit_ratio"), color="tab:green")
ax.set_ylim(0, 105)
ax.set_title("Lambda-authorizer decision cache hit ratio (%)")
phases(ax)

ax = axes[1][1]
ax.plot(*points("jwks:success"), label="successful fetches", color="tab:blue")
ax.plot(*points("jwks:failure"), label="failed fetches", color="tab:red")
ax.set_title("JWKS fetches (cumulative)")
ax.legend(fontsize=8)
phases(ax)

ax = axes[1][2]
ax.axis("off")
lines = ["Phases (dashed lines):"]
for i, phase in enumerate(run["phases"], 1):
    lines.append(f"{i}. {phase['name']} (from {phase['start']:.0f} s)")
lines.append("")
lines.append(f"{run['phaseSeconds']} s each, 20 connections, 1500 req/s offered")
lines.append(f"generated {run['generated']}")
ax.text(0, 1, "\n".join(lines), va="top", fontsize=10, family="monospace")

fig.tight_layout(rect=(0, 0, 1, 0.96))
fig.savefig(target, dpi=90)
print(f"wrote {target}")
