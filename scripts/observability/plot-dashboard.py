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


def panel(ax, title, lines, legend_size=8):
    """One panel: `lines` are (series name, label, colour or None)."""
    for name, label, color in lines:
        ax.plot(*points(name), label=label, **({"color": color} if color else {}))
    ax.set_title(title)
    if len(lines) > 1:
        ax.legend(fontsize=legend_size)
    phases(ax)


def prefixed(prefix):
    return [(n, n.split(":", 1)[1], None) for n in sorted(n for n in series if n.startswith(prefix))]


panel(axes[0][0], "Decisions per second, by model", prefixed("rate:"))
panel(axes[0][1], "Refusals per second, by response type", prefixed("refusals:"), legend_size=7)
panel(
    axes[0][2],
    "Authorization latency (ms, log scale)",
    [("latency:p50", "p50", None), ("latency:p99", "p99", None)],
)
axes[0][2].set_yscale("log")
panel(
    axes[1][0],
    "Lambda-authorizer decision cache hit ratio (%)",
    [("cache:hit_ratio", "hit ratio", "tab:green")],
)
axes[1][0].set_ylim(0, 105)
panel(
    axes[1][1],
    "JWKS fetches (cumulative)",
    [
        ("jwks:success", "successful fetches", "tab:blue"),
        ("jwks:failure", "failed fetches", "tab:red"),
    ],
)

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
