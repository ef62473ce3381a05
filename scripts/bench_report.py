#!/usr/bin/env python3
"""Turns the raw results of scripts/bench.sh into docs/benchmarks.md.

    bench_report.py --work build/bench-results/<quick|full> --docs docs

Reads <work>/meta.env, <work>/micro/*.json (Google Benchmark JSON),
<work>/throughput.csv and <work>/time_to_bug.csv (whichever exist), and writes
  <docs>/benchmarks.md
  <docs>/benchmarks/time_to_bug.csv, throughput.csv, microbench.csv (raw rows)
  <docs>/benchmarks/time_to_bug-<bug>.png (survival curves, one chart per bug
  of time_to_bug.csv's `bug` column, one column per start; needs matplotlib,
  else the report says the chart was skipped)
A time_to_bug.csv without the `bug` column (runs before it) is read as go70883's,
one without the `start` column as started from the empty input.
Only the standard library is needed for everything but the chart.
"""

import argparse
import csv
import json
import math
import os
import shutil
import sys

INF = float("inf")


def read_meta(work):
    meta = {}
    path = os.path.join(work, "meta.env")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    meta[k] = v
    return meta


def provenance(work, part):
    """Which bench.sh runs measured a section (bench.sh appends one line per run to
    <work>/runs-<part>.txt: date, commit, command; a run of the whole part starts the file
    again). Sections are often re-measured alone (--only, BENCH_BUGS), so the page's header,
    which describes the last run only, does not say where each section came from."""
    path = os.path.join(work, f"runs-{part}.txt")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        runs = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    if not runs:
        return []
    L = ["Measured by " + ("this run" if len(runs) == 1 else f"these {len(runs)} runs") + ":", ""]
    for r in runs:
        date, commit, cmd = (r + ["?", "?", "?"])[:3]
        L.append(f"- {date}, commit {commit}: `{cmd}`")
    L.append("")
    return L


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def to_float(s, default=None):
    try:
        return float(s)
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------- micro


def to_ns(value, unit):
    return value * {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[unit]


def load_bench(path):
    """name -> {'median': entry, 'stddev': entry, ...} or {'run': entry}."""
    if not os.path.exists(path):
        return None
    with open(path) as f:
        data = json.load(f)
    out = {}
    for b in data.get("benchmarks", []):
        name = b.get("run_name", b["name"])
        kind = b.get("aggregate_name", "run") if b.get("run_type") == "aggregate" else "run"
        out.setdefault(name, {})[kind] = b
    return out


def pick(entry):
    """The representative entry of one benchmark: the median if repeated."""
    if entry is None:
        return None
    return entry.get("median") or entry.get("mean") or entry.get("run")


def cv_of(entry):
    if entry is None or "cv" not in entry:
        return None
    b = entry["cv"]
    return b.get("cpu_time")


ENGINE_ROWS = [
    ("BM_PointAlone", "(a) point, one thread: no decision, no switch", "point"),
    ("BM_PointDecideNoSwitch", "(c) point, two runnable threads, chooser keeps the current one: decision, no switch", "point"),
    ("BM_PointSwitch", "(b) point, two threads ping-pong (RoundRobinChooser): decision + switch", "point"),
    ("BM_FiberSwitch", "(d) raw fiber switch (fiber.h SwitchTo), for reference", "switch"),
]


def engine_costs(bench):
    """name -> (cpu ns per unit, wall ns per unit, cv) from one engine_bench JSON."""
    res = {}
    if not bench:
        return res
    for name, _, unit in ENGINE_ROWS:
        e = pick(bench.get(name))
        if e is None:
            continue
        per = 2.0 if unit == "switch" else float(e.get("points", 4096))
        cpu = to_ns(e["cpu_time"], e["time_unit"]) / per
        wall = to_ns(e["real_time"], e["time_unit"]) / per
        res[name] = (cpu, wall, cv_of(bench.get(name)))
    return res


def fmt(x, digits=1):
    if x is None:
        return "—"
    if x == INF:
        return "∞"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def fmt_secs(x):
    """Seconds with 3 significant digits (hunts find some bugs in microseconds)."""
    if x is None:
        return "—"
    if x >= 100:
        return f"{x:.0f}"
    return f"{x:.3g}"


def fmt_int(x):
    if x is None:
        return "—"
    return f"{int(round(x)):,}"


def micro_section(work, meta, rows_out):
    plain = load_bench(os.path.join(work, "micro", "engine-plain.json"))
    asan = load_bench(os.path.join(work, "micro", "engine-asan.json"))
    if not plain and not asan:
        return ["*(not measured in this run)*", ""]
    p, a = engine_costs(plain), engine_costs(asan)
    L = []
    L.append("| what one unit is | plain ns (CPU) | plain ns (wall) | ASan ns (CPU) | ASan ns (wall) | ASan / plain |")
    L.append("|---|---:|---:|---:|---:|---:|")
    for name, label, _ in ENGINE_ROWS:
        pc = p.get(name, (None, None, None))
        ac = a.get(name, (None, None, None))
        ratio = ac[0] / pc[0] if pc[0] and ac[0] else None
        L.append(f"| {label} | **{fmt(pc[0])}** | {fmt(pc[1])} | **{fmt(ac[0])}** | {fmt(ac[1])} | {fmt(ratio)}× |")
        for build, c in (("plain", pc), ("asan", ac)):
            if c[0] is not None:
                rows_out.append(["engine_bench", build, name, "", f"{c[0]:.3f}", f"{c[1]:.3f}",
                                 "" if c[2] is None else f"{c[2]:.4f}", "", "", "", ""])
    L.append("")

    def derived(costs):
        try:
            decide = costs["BM_PointDecideNoSwitch"][0] - costs["BM_PointAlone"][0]
            switch = costs["BM_PointSwitch"][0] - costs["BM_PointDecideNoSwitch"][0]
            return decide, switch
        except KeyError:
            return None, None

    pd, ps = derived(p)
    ad, as_ = derived(a)
    L.append(f"Derived (CPU time): a decision adds {fmt(pd)} ns plain / {fmt(ad)} ns ASan to a point; "
             f"switching to the other fiber at a point adds a further {fmt(ps)} ns plain / {fmt(as_)} ns ASan "
             f"(the raw switch alone is {fmt(p.get('BM_FiberSwitch', (None,))[0])} ns plain).")
    L.append("")
    sw = p.get("BM_PointSwitch", (None,))[0]
    raw = p.get("BM_FiberSwitch", (None,))[0]
    if sw is not None:
        verdict = "meets" if sw < 10 else "does **not** meet"
        L.append(f"Target \"under 10 ns per switch, plain\": the raw fiber switch ({fmt(raw)} ns) meets it; a full "
                 f"scheduling point that switches ({fmt(sw)} ns) {verdict} it. The difference is the engine's own "
                 "bookkeeping at every point (step budget check, spin/epoch accounting, collecting the runnable set, "
                 "the chooser's virtual call, the decision log, Record) and losing the hot path's locality when the "
                 "other fiber's stack and frames come back.")
        L.append("")
    L.append(f"Notes: `engine_bench` from `build/bench` (g++-12 -O2, RelWithDebInfo) and `build/bench-asan` (clang-14, "
             f"`-DSCHEDFUZZ_SANITIZE=ON`: ASan+UBSan, fiber annotations on); medians of {meta.get('micro', '?')} "
             "repetitions (repetitions × minimum time). One iteration is one `Engine::Run` of 4096 scheduling "
             "points (`sim::Atomic::Load`), so the run's set-up is spread over 4096 points; (d) is two switches per "
             "iteration. CPU time is the benchmark thread's CPU time and is the number to quote on a shared "
             "machine; wall time includes time the thread was descheduled.")
    L.append("")
    return L


MODEL_AXES = ("procs", "gs", "adv", "sched")


def parse_model_name(name):
    # BM_ModelRun/procs:1/gs:4/adv:0/sched:0
    parts = name.split("/")
    kv = {}
    for p in parts[1:]:
        if ":" in p:
            k, v = p.split(":", 1)
            kv[k] = int(v)
    return parts[0], kv


def model_section(work, meta, rows_out):
    plain = load_bench(os.path.join(work, "micro", "model-plain.json"))
    asan = load_bench(os.path.join(work, "micro", "model-asan.json"))
    if not plain:
        return ["*(not measured in this run)*", ""]
    grid = {}
    defaults = []
    decode = {}
    violations = []
    endings = {}
    for build, bench in (("plain", plain), ("asan", asan or {})):
        for name, entry in bench.items():
            e = pick(entry)
            base, kv = parse_model_name(name)
            us = to_ns(e["cpu_time"], e["time_unit"]) / 1e3
            wall_us = to_ns(e["real_time"], e["time_unit"]) / 1e3
            steps = e.get("steps")
            rows_out.append(["model_bench", build, name, "", f"{us * 1e3:.1f}", f"{wall_us * 1e3:.1f}",
                             "" if cv_of(entry) is None else f"{cv_of(entry):.4f}",
                             "" if steps is None else f"{steps:.0f}",
                             "" if e.get("decisions") is None else f"{e['decisions']:.0f}",
                             "" if e.get("events") is None else f"{e['events']:.0f}",
                             e.get("label", "")])
            if e.get("label"):
                endings.setdefault(e["label"], []).append(f"{build} {name}")
            if e.get("violation"):
                violations.append(f"{build} {name}")
            if base == "BM_ModelRun" and build == "plain":
                grid[(kv["procs"], kv["gs"], kv["adv"], kv["sched"])] = (us, steps, e.get("decisions"), e.get("events"))
            elif base.startswith("BM_ModelDefault"):
                variant = "go70883" if "Go70883" in base else "fixed"
                defaults.append((variant, kv.get("sched", 0), build, us, steps))
            elif base == "BM_Decode":
                decode[build] = to_ns(e["cpu_time"], e["time_unit"])
    L = []
    L.append("µs per run (CPU time) and scheduling points (steps) per run; `sched 0` is the empty schedule "
             "(DefaultChoice: keep the current thread), `sched 1` a fixed 256-byte pseudo-random schedule.")
    L.append("")
    L.append("| procs | goroutines | advances | sched 0: µs/run | steps | ns/step | sched 1: µs/run | steps | ns/step |")
    L.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for procs in (1, 2, 4):
        for gs in (4, 16, 64):
            for adv in (0, 2, 8):
                cells = []
                for sched in (0, 1):
                    g = grid.get((procs, gs, adv, sched))
                    if g is None:
                        cells += ["—", "—", "—"]
                    else:
                        us, steps, _, _ = g
                        cells += [fmt(us), fmt_int(steps), fmt(us * 1e3 / steps if steps else None)]
                L.append(f"| {procs} | {gs} | {adv} | " + " | ".join(cells) + " |")
    L.append("")
    if defaults:
        L.append("The default scenario (the empty fuzz input: 2 procs, 4 goroutines, 2 advances), at the default step "
                 "budget:")
        L.append("")
        L.append("| variant | schedule | build | µs/run (CPU) | runs/s (one core) | steps |")
        L.append("|---|---|---|---:|---:|---:|")
        for variant, sched, build, us, steps in sorted(defaults, key=lambda d: (d[0] != "fixed", d[1], d[2] != "plain")):
            label = "empty" if sched == 0 else "fixed random"
            L.append(f"| {variant} | {label} | {'ASan+UBSan' if build == 'asan' else 'plain'} | {fmt(us)} | "
                     f"{fmt_int(1e6 / us) if us else '—'} | {fmt_int(steps)} |")
        L.append("")
    if decode:
        L.append(f"Decoding a 263-byte input (`BM_Decode`): {fmt(decode.get('plain'))} ns plain, "
                 f"{fmt(decode.get('asan'))} ns ASan: negligible next to a run.")
        L.append("")
    L.append("Notes: one iteration is one `scenario::Runner::Run` (model set-up, the run on the engine, and every "
             "oracle: discipline, invariants, the trace validator), which is what a fuzz target does per input "
             "after decoding. The scenarios grow the default 70883 shape: two goroutines parked on descriptors and "
             "readied by one poll batch, the rest runnable and busy (`work 4; gosched; work 4; yield; work 4`), "
             "Ms = procs + 1, StartTrace, N advances, StopTrace; step budget 200,000 so that every run can end "
             "by itself (how they ended: " + ", ".join(f"{k}: {len(v)}" for k, v in sorted(endings.items()))
             + " benchmarks). Each benchmark repeats one deterministic run, so steps and events are exact. "
             f"Plain: {meta.get('model', '?')} (repetitions × minimum time).")
    if violations:
        L.append("")
        L.append("**Unexpected:** an oracle fired in: " + ", ".join(violations) + ".")
    L.append("")
    return L


# ---------------------------------------------------------------- throughput

ENGINES = [
    ("libfuzzer-asan-ubsan", "libFuzzer ASan+UBSan"),
    ("libfuzzer-nosan", "libFuzzer, no sanitizers"),
    ("afl-asan-ubsan", "AFL++ ASan+UBSan"),
    ("afl-nosan", "AFL++, no sanitizers"),
]
TARGETS = ["scenario_fuzzer", "scenario_text_fuzzer", "validator_fuzzer"]


def baseline_lines(rows, meta):
    """The side-by-side comparison with BENCH_BASELINE's build, if measured."""
    base = [r for r in rows if " @" in r["target"]]
    if not base:
        return []
    by = {(r["target"], r["engine"]): r for r in rows}
    rev = base[0]["target"].split(" @", 1)[1]
    L = [f"Side by side with the baseline build at `{rev}` (`BENCH_BASELINE`; each baseline cell ran just before "
         "the current build's, same corpus, options and seed):", "",
         "| target | engine | baseline exec/s | current exec/s | current / baseline |", "|---|---|---:|---:|---:|"]
    for r in base:
        t = r["target"].split(" @", 1)[0]
        cur = by.get((t, r["engine"]))
        b = to_float(r["exec_per_sec"])
        c = to_float(cur["exec_per_sec"]) if cur else None
        ratio = f"{c / b:.2f}" if b and c else "—"
        label = dict(ENGINES).get(r["engine"], r["engine"])
        L.append(f"| {t} | {label} | {fmt_int(b) if b else '—'} | {fmt_int(c) if c else '—'} | {ratio} |")
    L.append("")
    return L


def tput_section(work, meta):
    rows = read_csv(os.path.join(work, "throughput.csv"))
    if not rows:
        return ["*(not measured in this run)*", ""], []
    by = {(r["target"], r["engine"]): r for r in rows}
    # The rows' own labels, in the order measured: the scenario targets run
    # once per release ("scenario_fuzzer go1.27", "... go1.22").
    # Baseline rows ("<target> @<rev>", BENCH_BASELINE) get their own table.
    TARGETS = list(dict.fromkeys(r["target"] for r in rows if " @" not in r["target"]))
    L = []
    L.append("exec/s (whole run, average):")
    L.append("")
    L.append("| target | " + " | ".join(lbl for _, lbl in ENGINES) + " | AFL++ stability (ASan / no san) |")
    L.append("|---|" + "---:|" * len(ENGINES) + "---|")
    notes = []
    unstable = []
    for t in TARGETS:
        cells = []
        for eng, lbl in ENGINES:
            r = by.get((t, eng))
            if r is None:
                cells.append("—")
                continue
            eps = to_float(r["exec_per_sec"])
            cell = fmt_int(eps) if eps is not None else "—"
            if r.get("note"):
                cell += "*"
                notes.append(f"{t}, {lbl}: {r['note']}")
            if eng.startswith("afl") and to_float(r.get("crashes"), 0) > 0:
                notes.append(f"{t}, {lbl}: {r['crashes']} saved crash(es) on the fixed variant")
            cells.append(cell)
        stab = []
        for eng in ("afl-asan-ubsan", "afl-nosan"):
            r = by.get((t, eng))
            s = to_float(r["stability_pct"]) if r else None
            stab.append("—" if s is None else f"{s:.2f}%")
            if s is not None and s < 100:
                unstable.append(s)
        L.append(f"| {t} | " + " | ".join(cells) + " | " + " / ".join(stab) + " |")
    L.append("")
    L.append("Executions per run (the denominators):")
    L.append("")
    L.append("| target | " + " | ".join(lbl for _, lbl in ENGINES) + " |")
    L.append("|---|" + "---:|" * len(ENGINES))
    for t in TARGETS:
        cells = []
        for eng, _ in ENGINES:
            r = by.get((t, eng))
            cells.append(fmt_int(to_float(r["execs"])) if r and r.get("execs") else "—")
        L.append(f"| {t} | " + " | ".join(cells) + " |")
    L.append("")
    L.extend(baseline_lines(rows, meta))
    if unstable:
        L.append(f"**AFL++ stability is below 100%** in {len(unstable)} of the {2 * len(TARGETS)} AFL++ runs "
                 f"({min(unstable):.2f}% to {max(unstable):.2f}%). The model is deterministic "
                 "(same input, same run, same verdict), but the harness reuses state across runs (a static Runner, "
                 "fiber stacks, containers that grow once), so an instrumented branch that depends on an earlier "
                 "input makes the *edges* of a run differ from another run of the same input. The bar is exactly "
                 "100.00% (`scripts/check_build.sh` fails a target below it); docs/fuzzing.md section 5 says how the "
                 "harness keeps stability there and how to find the unstable edge.")
        L.append("")
    elif any(by.get((t, e)) for t in TARGETS for e in ("afl-asan-ubsan", "afl-nosan")):
        L.append("AFL++ stability is 100% for every target.")
        L.append("")
    L.append(f"Notes: {meta.get('tput_s', '?')} s per cell, one run at a time, oracles `all`; the scenario targets once per release (go1.27: the shipped variant, go1.22: fixed), validator_fuzzer once. "
             "libFuzzer: `-max_total_time=S -print_final_stats=1 -seed=1` plus the target's `fuzz/<t>.options` and "
             "`-dict=fuzz/<t>.dict`, on a copy of `corpus/<t>/`; exec/s is `stat::average_exec_per_sec` (it "
             "includes loading the seeds). AFL++ 4.04c: `afl-fuzz -i <copy of corpus/<t>> -o OUT -V S -s 1 -x "
             "fuzz/<t>.dict` with `AFL_FAST_CAL=1 AFL_NO_AFFINITY=1`, persistent mode through libAFLDriver; exec/s "
             "and stability from `OUT/default/fuzzer_stats` (`execs_per_sec`, `stability`). Builds: "
             "`build/bench-lf` (clang-14, `-DSCHEDFUZZ_ENGINE=libfuzzer`), `build/bench-lf-nosan` "
             "(`-DSCHEDFUZZ_NO_SANITIZERS=ON`), `build/bench-afl` (`CC=afl-clang-fast CXX=afl-clang-fast++ "
             "-DSCHEDFUZZ_ENGINE=afl`), `build/bench-afl-nosan`; all RelWithDebInfo (-O2). libFuzzer runs get the "
             "`[asan]`/`[ubsan]` sections of `fuzz/<t>.options` as `ASAN_OPTIONS`/`UBSAN_OPTIONS` "
             "(`detect_stack_use_after_return=0`, as OSS-Fuzz would pass them; it is also clang-14's default); "
             "afl-fuzz sets its own `ASAN_OPTIONS`. In a short run most of libFuzzer's time goes to the start, "
             "when nearly every input is new (writing units, entropic bookkeeping), so its average exec/s rises with "
             "the length of the run.")
    new = [r for r in rows if "(new)" in r.get("note", "")]
    if new:
        L.append("")
        L.append("**A run stopped on a new finding on the fixed variant** (not attributed to any known finding in "
                 "core/oracle/known.h): " + "; ".join(f"{r['target']} under {r['engine']} after {r['run_s']} s "
                                                      f"({r['note']})" for r in new)
                 + f". Crash inputs are kept in `build/bench-results/{meta.get('mode', '?')}/artifacts/` (when the "
                 "run was made by a bench.sh that keeps them); triage with `schedfuzz explain --variant=fixed FILE`. "
                 "Its exec/s covers the time until the crash.")
    if notes:
        L.append("")
        L.append("Marked cells (*) and other remarks:")
        L.append("")
        for n in notes:
            L.append(f"- {n}")
    L.append("")
    return L, rows


# ---------------------------------------------------------------- time to bug

METHOD_ORDER = ["libFuzzer", "libFuzzer+trace", "libFuzzer PCT-form", "libFuzzer+trace PCT-form", "libFuzzer PCT-only",
                "libFuzzer+trace PCT-only", "AFL++", "hunt random", "hunt PCT d=1", "hunt PCT d=2", "hunt PCT d=3", "hunt DFS K=1",
                "hunt DFS K=2"]
START_ORDER = ["seeds", "neutral"]
START_TITLES = {
    "seeds": "from the seed corpus (fuzzers: corpus/scenario_fuzzer/ less the inputs that already give the bug; "
             "hunt: its default scenario `syscalls`)",
    "neutral": "from the neutral start (bench/neutral.txt: the fuzzers' one seed, hunt's scenario)",
    "empty": "from the empty input (the go70883 machine)",
}

# The bugs of scripts/bench.sh's ttb_bugs, for runs whose meta.env does not
# describe them.
BUG_FIELDS = ("label", "release", "variant", "known", "quiet", "oracles")
BUG_TITLES = {
    "go70883": "Go issue 70883: injectglist's events before its status changes",
    "go38794": "Go issue 38794: sysmon injects without sched.sysmonlock",
    "go64318": "Go issue 64318: the safe-point ProcStatus of a P in a syscall",
    "go65181": "Go issue 65181: a StopTrace between a P steal and its ProcSteal",
    "go65196": "Go issue 65196: the status snapshot names a syscall's M by m.id",
    "starttrace-pless-injectglist": "a P-less M's injectglist straddles StartTrace (open in go1.27.4)",
    "gcwait-procstop": "entersyscall_gcwait's ProcStop for a P another M held (b6b72c77)",
    "go63555": "Go issue 63555: injectglist leaves a P idle while work waits (liveness)",
}


def read_ttb_rows(work):
    """time_to_bug.csv's rows; rows from before the `bug` column are go70883's,
    rows from before the `start` column started from the empty input."""
    rows = read_csv(os.path.join(work, "time_to_bug.csv"))
    for r in rows:
        if not r.get("bug"):
            r["bug"] = "go70883"
        if not r.get("start"):
            r["start"] = "empty"
    return rows


def ttb_bugs(meta, rows):
    """[(bug dict, its rows)] in bench.sh's table order (meta.env's ttb_bugs), then any
    other bug of the rows in the order of the rows."""
    described = {}
    for spec in meta.get("ttb_bugs", "").split(";"):
        f = spec.split("|")
        if len(f) == len(BUG_FIELDS):
            described[f[0]] = dict(zip(BUG_FIELDS, f))
    present = set(r["bug"] for r in rows)
    order = [b for b in described if b in present] + [r["bug"] for r in rows if r["bug"] not in described]
    out = []
    for label in dict.fromkeys(order):
        bug = dict(described.get(label) or dict(zip(BUG_FIELDS, (label, "?", "?", label, "0", ""))))
        out.append((bug, [r for r in rows if r["bug"] == label]))
    return out


def caps_text(meta, rows):
    """The time-to-bug caps for the header."""
    execs = sorted({r.get("cap_execs", "") for r in rows if r.get("cap_execs")}, key=lambda c: to_float(c, 0))
    secs = sorted({r.get("cap_s", "") for r in rows if r.get("cap_s")}, key=lambda c: to_float(c, 0))
    parts = []
    if execs:
        parts.append("cap " + "/".join(fmt_int(to_float(c)) for c in execs) + " executions")
    if secs:
        parts.append("/".join(secs) + " s")
    return " and ".join(parts) or f"cap {meta.get('cap', '?')} s"


def chart_name(label):
    return f"time_to_bug-{label}.png"


def starts_of(ts):
    present = list(dict.fromkeys(t["start"] for t in ts))
    return [s for s in START_ORDER if s in present] + [s for s in present if s not in START_ORDER]


def methods_of(ts):
    present = set(t["method"] for t in ts)
    return [m for m in METHOD_ORDER if m in present] + sorted(present - set(METHOD_ORDER))


def found_execs(ts):
    """Executions to the bug per trial; INF for a trial that did not find it."""
    return [to_float(t["execs"], INF) if t["found"] == "1" else INF for t in ts]


def quantile(values, q):
    """Quantile with linear interpolation; INF marks a trial without the bug
    (censored at the cap). Returns INF if the quantile falls among them."""
    v = sorted(values)
    if not v:
        return None
    pos = q * (len(v) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    if v[hi] == INF:
        return INF
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def km_curve(trials, key):
    """Kaplan-Meier survival: [(x, S(x))] steps. Trials without the bug are
    censored at their own value (the cap, or when a run stopped on another
    finding)."""
    pts = []
    for t in trials:
        x = to_float(t[key])
        if x is None:
            continue
        pts.append((x, t["found"] == "1"))
    pts.sort(key=lambda p: (p[0], not p[1]))
    n = len(pts)
    s = 1.0
    curve = [(0.0, 1.0)]
    at_risk = n
    for x, found in pts:
        if found and at_risk > 0:
            s *= 1 - 1 / at_risk
            curve.append((x, s))
        at_risk -= 1
    return curve


def ttb_table(ts, start, oracle):
    """The table of one bug, one start and one oracle."""
    groups = {}
    for r in ts:
        if r["start"] == start and r["oracle"] == oracle:
            groups.setdefault(r["method"], []).append(r)
    if not groups:
        return []
    L = []
    L.append(f"**{start.capitalize()} start, oracle `{oracle}`**")
    L.append("")
    L.append("| method | trials | found | median schedules or execs [IQR] | median s [IQR] | exec/s | notes |")
    L.append("|---|---:|---:|---|---|---:|---|")
    for m in methods_of(list(x for g in groups.values() for x in g)):
        ts = groups[m]
        n = len(ts)
        nf = sum(1 for t in ts if t["found"] == "1")
        secs = [to_float(t["seconds"], INF) if t["found"] == "1" else INF for t in ts]
        execs = found_execs(ts)
        rate_num = sum(to_float(t["execs"], 0) or 0 for t in ts)
        rate_den = sum(to_float(t["seconds"], 0) or 0 for t in ts)
        rate = rate_num / rate_den if rate_den > 0 else None

        def qfmt(vals, is_time):
            med, q1, q3 = (quantile(vals, q) for q in (0.5, 0.25, 0.75))

            def one(x):
                if x is None:
                    return "—"
                if x == INF:
                    return "censored"
                return fmt_secs(x) if is_time else fmt_int(x)
            if n == 1:
                return one(med)
            return f"{one(med)} [{one(q1)} – {one(q3)}]"

        notes = []
        others = [t for t in ts if t["outcome"] == "other"]
        errors = [t for t in ts if t["outcome"] == "error"]
        if m.startswith("hunt DFS"):
            notes.append("deterministic (no seed): 1 run")
            if any("exhausted" in t.get("note", "") for t in ts):
                notes.append("bound exhausted")
        if m.endswith("PCT-form") and nf:
            in_pct = sum(1 for t in ts if t["found"] == "1" and "in PCT form" in t.get("note", ""))
            notes.append(f"finding input in PCT form in {in_pct} of {nf}")
        if others:
            notes.append(f"{len(others)} stopped on another finding ({others[0].get('known') or others[0].get('note')})")
        if errors:
            notes.append(f"{len(errors)} error(s): {errors[0].get('note', '')}")
        L.append(f"| {m} | {n} | {nf}/{n} ({100 * nf / n:.0f}%) | {qfmt(execs, False)} | {qfmt(secs, True)} | "
                 f"{fmt_int(rate)} | {'; '.join(notes)} |")
    L.append("")
    return L


def suite_medians(bugs, start):
    """{method: [per-bug median executions (INF: not found in half the
    trials)]} and {method: [found, trials]} over the bugs, for one start."""
    med, counts = {}, {}
    for bug, ts in bugs:
        by = {}
        for t in ts:
            if t["start"] == start:
                by.setdefault(t["method"], []).append(t)
        for m, g in by.items():
            med.setdefault(m, []).append((bug["label"], quantile(found_execs(g), 0.5)))
            c = counts.setdefault(m, [0, 0])
            c[0] += sum(1 for t in g if t["found"] == "1")
            c[1] += len(g)
    return med, counts


def suite_summary(bugs):
    """Section 4's first table per start: bug x method, median executions to
    the bug; then the suite's median bug per method and the fuzzers against
    PCT d=3 there."""
    L = []
    rows = [t for _, ts in bugs for t in ts]
    methods = methods_of(rows)
    for start in starts_of(rows):
        med, counts = suite_medians(bugs, start)
        ms = [m for m in methods if m in med]
        L.append(f"**Median executions (hunt: schedules) to each bug, {START_TITLES.get(start, start)}; each bug's "
                 "own oracles** (found/trials in brackets)")
        L.append("")
        L.append("| bug | " + " | ".join(ms) + " |")
        L.append("|---|" + "---:|" * len(ms))
        for bug, ts in bugs:
            cells = []
            for m in ms:
                g = [t for t in ts if t["start"] == start and t["method"] == m]
                if not g:
                    cells.append("—")
                    continue
                q = quantile(found_execs(g), 0.5)
                nf = sum(1 for t in g if t["found"] == "1")
                cells.append(f"{'censored' if q == INF else fmt_int(q)} ({nf}/{len(g)})")
            if all(c == "—" for c in cells):
                continue
            L.append(f"| `{bug['label']}` (`{bug['oracles'] or '?'}`) | " + " | ".join(cells) + " |")
        medbug = {m: quantile([v for _, v in med[m]], 0.5) for m in ms}
        L.append("| **median bug** | " + " | ".join(
            "censored" if medbug[m] == INF else f"**{fmt_int(medbug[m])}**" for m in ms) + " |")
        L.append("")
        pct = medbug.get("hunt PCT d=3")
        for fz in ("libFuzzer", "libFuzzer+trace", "libFuzzer PCT-form", "libFuzzer+trace PCT-form", "libFuzzer PCT-only",
                   "libFuzzer+trace PCT-only", "AFL++"):
            v = medbug.get(fz)
            if v is None or pct is None:
                continue
            if v == INF and pct == INF:
                txt = "neither reaches the median bug within the cap"
            elif v == INF:
                txt = "the fuzzer does not reach the median bug within the cap; PCT d=3 does"
            elif pct == INF:
                txt = "PCT d=3 does not reach the median bug within the cap; the fuzzer does"
            else:
                r = pct / v
                txt = (f"{r:.2f}× PCT d=3's executions are the fuzzer's" if r >= 1 else
                       f"the fuzzer needs {v / pct:.1f}× PCT d=3's executions")
            L.append(f"- {fz} against hunt PCT d=3 on the median bug ({start} start): {txt} "
                     "(target: PCT d=3 needs 10× the fuzzer's).")
        L.append("")
    return L


def ttb_section(work, meta, outdir):
    """Section 4: the suite's summary per start, then per bug a table per
    start and oracle and the survival curves (written into outdir); then how
    the methods ran."""
    rows = read_ttb_rows(work)
    if not rows:
        return ["*(not measured in this run)*", ""], rows, []
    bugs = ttb_bugs(meta, rows)
    oracles = list(dict.fromkeys(r["oracle"] for r in rows))
    L = []
    chart_notes = []
    L.append("### 4.0 The suite at a glance")
    L.append("")
    dropped = dict(x.split("=", 1) for x in meta.get("ttb_dropped", "").split(";") if "=" in x)
    if dropped:
        L.append("Seed inputs left out of the `seeds` start because they already give the bug or a finding no "
                 "known one explains: " + ", ".join(f"`{k}` {v}" for k, v in dropped.items()) + ".")
        L.append("")
    L.extend(suite_summary(bugs))
    for i, (bug, ts) in enumerate(bugs, 1):
        label = bug["label"]
        quiet = bug["quiet"] == "1"
        title = BUG_TITLES.get(label, label)
        L.append(f"### 4.{i} `{label}`: {title} (Go {bug['release']}, variant `{bug['variant']}`)")
        L.append("")
        L.append(f"Go {bug['release']} model, variant `{bug['variant']}`; a trial counts only if its finding is "
                 f"attributed to the known finding `{bug['known']}`"
                 + (f" (quiet: the fuzzers ran with `SCHEDFUZZ_FIND={bug['known']}`, so that it stops them while "
                    "every other known finding lets them go on, as hunt's `--find` does)" if quiet else "")
                 + f". {meta.get('trials', '?')} trials per seeded method.")
        L.append("")
        for start in starts_of(ts):
            for oracle in oracles:
                L.extend(ttb_table(ts, start, oracle))
        note = make_chart(ts, os.path.join(outdir, chart_name(label)), label, bug["release"])
        if note:
            chart_notes.append(note)
            L.append(f"*{note}.*")
        else:
            L.append(f"![time to bug: {label}](benchmarks/{chart_name(label)})")
        L.append("")
    L.append(f"Notes: {meta.get('trials', '?')} trials per method with seeds 1..N, each capped at "
             f"{caps_text(meta, rows)} (a safety; the executions cap ends a trial first); up to "
             f"{meta.get('jobs', '?')} trials ran at a time (one core each). Medians and quartiles are over all "
             "trials, with a trial that did not find the bug counted as later than the cap: a quantile that lands "
             "on such a trial shows as `censored` (with one cap for all trials this is the Kaplan–Meier "
             "estimate). The suite's median bug is the median over the bugs of each bug's median. The exec/s "
             "column is total executions over total wall time of the method's trials. Charts: per start, top, "
             "fraction of trials still without the bug against executions; bottom, against wall time; the number "
             "in the legend is trials that found it, and a curve that stays at 1.0 never found it within the cap. "
             "How each method ran (RELEASE, VARIANT, ID, CAP and SECS are the bug's and the run's; SEEDS and "
             "SCENARIO the start's):")
    builds = meta.get("ttb_builds", "bench-lf-nosan bench-afl-nosan").split()
    lf_b = builds[0] if builds else "bench-lf-nosan"
    afl_b = builds[1] if len(builds) > 1 else "bench-afl-nosan"
    L.append("")
    L.append(f"- libFuzzer: `build/{lf_b}/fuzz/scenario_fuzzer -seed=i -runs=CAP -max_total_time=SECS "
             "-print_final_stats=1 -max_len=1024 -timeout=10 -dict=fuzz/scenario_fuzzer.dict EMPTY_DIR SEEDS` with "
             "`SCHEDFUZZ_GO=RELEASE SCHEDFUZZ_VARIANT=VARIANT SCHEDFUZZ_ORACLES=<oracle>`, plus "
             "`SCHEDFUZZ_FIND=ID` when ID is a quiet known finding; execs = `stat::number_of_executed_units` "
             "(the seeds' first runs included); found = the output names ID among the run's verdicts "
             "(`[known: ID]`); libFuzzer+trace is the same with `SCHEDFUZZ_FEEDBACK=trace` (fuzz/trace_feedback.h: "
             "tracer-state features as extra coverage counters). Quiet known findings other than ID do not stop it (fuzz/fuzz_common.cc); a new "
             "finding or a loud known one would, and counts as not found. libFuzzer PCT-form and libFuzzer+trace "
             "PCT-form are the same two, started from SEEDS with version byte 3 and header bit 5 set in every "
             "seed (docs/format.md, section 2.8): the same scenarios, with their schedule bytes read as PCT "
             "priorities and change points, so that a one-byte mutation moves one priority or one change point. "
             "Mutations may clear the bit (the schedule is then read one byte per decision again); the notes "
             "column says in which form each finding input was. libFuzzer PCT-only and libFuzzer+trace PCT-only "
             "add `SCHEDFUZZ_SCHEDULE_FORM=pct`: an input whose bit a mutation cleared returns at once without a "
             "run (it still counts as an execution), so the whole campaign searches PCT's space; and their seeds' "
             "schedules shorter than 16 bytes are padded to depth 3 (zero priority bytes, what missing ones read "
             "as, then two change points `ff ff`, decision 1023, after most runs' end), because libFuzzer's "
             "length limit keeps inputs near the longest seed's length and a schedule needs 17 bytes before it "
             "has a change point.")
    L.append(f"- AFL++: `afl-fuzz -i SEEDS -o OUT -V SECS -E CAP -s i -x fuzz/scenario_fuzzer.dict -- "
             f"build/{afl_b}/fuzz/scenario_fuzzer` with `AFL_BENCH_UNTIL_CRASH=1` and the same `SCHEDFUZZ_*` "
             "variables; seconds and execs from the first crash's file name (`time:` ms since start, `execs:`); "
             "found = replaying that crash with `schedfuzz run --go=RELEASE --variant=VARIANT --oracles=<oracle> "
             "--json` says `\"known\":\"ID\"`.")
    L.append("- hunt: `build/bench/repro/schedfuzz hunt --strategy=S [--depth=D | --preemptions=K] --scenario=SCENARIO "
             "--go=RELEASE --variant=VARIANT --oracles=<oracle> --find=ID --runs=CAP --seconds=SECS --seed=i "
             "--json`; seconds and schedules from its JSON line. `--find=ID` makes it skip other findings, the way "
             "the fuzz targets skip quiet ones. PCT d=1 draws one priority order per run and never changes it. "
             "DFS ignores `--seed`: it enumerates schedules in a fixed order, so one trial is the whole "
             "distribution.")
    L.append("- Schedules (hunt) and executions (fuzzers) are the load-independent measure; seconds depend on the "
             "machine's load (see the top of this page). libFuzzer and AFL++ here run without sanitizers (as the "
             "hunt binary) unless the run was made with `BENCH_TTB_SANITIZERS=1`; the throughput table gives the "
             "cost of ASan+UBSan.")
    L.append("")
    return L, rows, chart_notes


def make_chart(rows, path, label, release):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception as e:  # noqa: BLE001 - any import problem means "no chart"
        return f"chart skipped: matplotlib is not available to {sys.executable} ({e.__class__.__name__}); " \
               "scripts/setup.sh installs python3-matplotlib"
    groups = {}
    for r in rows:
        groups.setdefault((r["start"], r["method"]), []).append(r)
    starts = starts_of(rows)
    fig, axes = plt.subplots(2, len(starts), figsize=(max(6 * len(starts), 8.5), 8.5), sharey=True, squeeze=False)
    styles = {
        "libFuzzer": ("tab:blue", "-"),
        "libFuzzer+trace": ("tab:cyan", "-"),
        "libFuzzer PCT-form": ("tab:pink", "-"),
        "libFuzzer+trace PCT-form": ("tab:pink", "-."),
        "libFuzzer PCT-only": ("black", "-"),
        "libFuzzer+trace PCT-only": ("black", "-."),
        "AFL++": ("tab:orange", "-"),
        "hunt random": ("tab:gray", "--"),
        "hunt PCT d=1": ("tab:olive", "--"),
        "hunt PCT d=2": ("tab:green", "--"),
        "hunt PCT d=3": ("tab:red", "--"),
        "hunt DFS K=1": ("tab:purple", ":"),
        "hunt DFS K=2": ("tab:brown", ":"),
    }
    for col, start in enumerate(starts):
        for row, (key, xlabel) in enumerate((("execs", "schedules / executions"), ("seconds", "seconds (wall)"))):
            ax = axes[row][col]
            for m in methods_of(rows):
                ts = groups.get((start, m))
                if not ts:
                    continue
                curve = km_curve(ts, key)
                xs_all = [to_float(t[key]) for t in ts if to_float(t[key]) is not None]
                end = max(xs_all) if xs_all else 1.0
                xs = [max(x, 1e-4 if key == "seconds" else 1) for x, _ in curve] + [max(end, 1e-4)]
                ys = [y for _, y in curve] + [curve[-1][1]]
                color, ls = styles.get(m, (None, "-"))
                nf = sum(1 for t in ts if t["found"] == "1")
                ax.step(xs, ys, where="post", color=color, linestyle=ls, linewidth=1.8, label=f"{m} ({nf}/{len(ts)})")
            ax.set_xscale("log")
            ax.set_ylim(-0.03, 1.03)
            ax.set_xlabel(xlabel)
            if key == "execs":
                for c in {to_float(t.get("cap_execs")) for t in rows} - {None}:
                    ax.axvline(c, color="black", linewidth=0.8, linestyle="-.")
            if col == 0:
                ax.set_ylabel("fraction of trials without the bug")
            ax.set_title(f"{label} (Go {release}), {start} start:\n"
                         f"{'schedules/execs' if key == 'execs' else 'time'} to bug", fontsize=10)
            ax.grid(True, which="both", alpha=0.3)
            ax.legend(fontsize=8, loc="lower left")
    fig.suptitle(f"Executions and time to {label} (Kaplan–Meier survival; dash-dot line = executions cap)")
    fig.tight_layout()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


def headline(meta, work):
    """Short summary lines for the top of the page."""
    out = []
    p = engine_costs(load_bench(os.path.join(work, "micro", "engine-plain.json")))
    a = engine_costs(load_bench(os.path.join(work, "micro", "engine-asan.json")))
    if p:
        out.append(f"- Scheduling point (CPU ns): no switch {fmt(p.get('BM_PointAlone', (None,))[0])} "
                   f"(decision, no switch {fmt(p.get('BM_PointDecideNoSwitch', (None,))[0])}), with a switch "
                   f"{fmt(p.get('BM_PointSwitch', (None,))[0])} plain; under ASan "
                   f"{fmt(a.get('BM_PointAlone', (None,))[0])} / {fmt(a.get('BM_PointDecideNoSwitch', (None,))[0])} / "
                   f"{fmt(a.get('BM_PointSwitch', (None,))[0])}. Raw fiber switch "
                   f"{fmt(p.get('BM_FiberSwitch', (None,))[0])} plain, {fmt(a.get('BM_FiberSwitch', (None,))[0])} ASan.")
    tp = read_csv(os.path.join(work, "throughput.csv"))
    if tp:
        by = {(r["target"], r["engine"]): r for r in tp}
        for t in dict.fromkeys(r["target"] for r in tp):
            if not t.startswith("scenario_fuzzer") or " @" in t:
                continue
            parts = []
            for eng, lbl in ENGINES:
                r = by.get((t, eng))
                if r and r.get("exec_per_sec"):
                    parts.append(f"{lbl} {fmt_int(to_float(r['exec_per_sec']))}")
            out.append(f"- {t} exec/s: " + ", ".join(parts) + ".")
        for r in tp:
            if "(new)" in r.get("note", ""):
                out.append(f"- **New finding on the fixed variant** during the throughput run of {r['target']} "
                           f"({r['engine']}): {r['note']} (section 3).")
        stabs = [to_float(r["stability_pct"]) for r in tp if r["engine"].startswith("afl") and r.get("stability_pct")]
        if stabs:
            out.append(f"- AFL++ stability: {min(stabs):.2f}% to {max(stabs):.2f}% across targets and builds.")
    rows = read_ttb_rows(work)
    bugs = ttb_bugs(meta, rows)
    for start in starts_of(rows):
        med, counts = suite_medians(bugs, start)
        parts = []
        for m in methods_of(rows):
            if m not in med:
                continue
            q = quantile([v for _, v in med[m]], 0.5)
            parts.append(f"{m} {'censored' if q == INF else fmt_int(q)} ({counts[m][0]}/{counts[m][1]} trials)")
        out.append(f"- Bug suite ({len(bugs)} bugs, each with its own oracles, {start} start): median over the bugs of "
                   "the median executions to each bug: " + "; ".join(parts) + ".")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", required=True)
    ap.add_argument("--docs", required=True)
    args = ap.parse_args()
    work, docs = args.work, args.docs
    meta = read_meta(work)
    outdir = os.path.join(docs, "benchmarks")
    os.makedirs(outdir, exist_ok=True)

    micro_rows = []
    engine_md = micro_section(work, meta, micro_rows)
    model_md = model_section(work, meta, micro_rows)
    tput_md, tput_rows = tput_section(work, meta)
    ttb_md, ttb_rows, chart_notes = ttb_section(work, meta, outdir)

    # Raw rows next to the report.
    with open(os.path.join(outdir, "microbench.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["program", "build", "benchmark", "", "cpu_ns_per_unit_or_run", "wall_ns_per_unit_or_run", "cv_cpu",
                    "steps", "decisions", "events", "label"])
        w.writerows(micro_rows)
    for name in ("throughput.csv", "time_to_bug.csv"):
        src = os.path.join(work, name)
        if os.path.exists(src):
            shutil.copyfile(src, os.path.join(outdir, name))

    mode = meta.get("mode", "?")
    L = []
    L.append("# Benchmarks")
    L.append("")
    L.append("<!-- Generated by scripts/bench.sh (scripts/bench_report.py). Edit those, not this file. -->")
    L.append("")
    L.append(f"Measured on this project's build machine by `{meta.get('command', 'scripts/bench.sh')}` "
             f"({mode} form). Raw rows: [docs/benchmarks/](benchmarks/) (`microbench.csv`, `throughput.csv`, "
             "`time_to_bug.csv`). Re-run with `scripts/bench.sh --quick` (a few minutes once the build trees exist) "
             "or `scripts/bench.sh` (the full form, about 60–90 minutes on 2 cores).")
    L.append("")
    L.append("| | |")
    L.append("|---|---|")
    for k, label in (("date", "date"), ("cpu", "CPU"), ("nproc", "nproc"), ("mem", "memory"), ("os", "OS"),
                     ("kernel", "kernel"), ("gxx", "g++"), ("clang", "clang"), ("afl", "afl++"),
                     ("libbenchmark", "libbenchmark-dev"), ("git", "commit"),
                     ("load_start", "load average at start (1/5/15 min)"), ("load_end", "load average at end")):
        L.append(f"| {label} | {meta.get(k, '?')} |")
    secs = to_float(meta.get("seconds"))
    if secs is not None:
        L.append(f"| duration of the run | {int(secs // 60)} min {int(secs % 60)} s |")
    L.append(f"| settings | throughput {meta.get('tput_s', '?')} s per cell; time to bug {meta.get('trials', '?')} "
             f"trials, {caps_text(meta, ttb_rows)}, up to {meta.get('jobs', '?')} at a time |")
    L.append("")
    try:
        load = float(meta.get("load_start", "0").split()[0])
        ncpu = float(meta.get("nproc", "2"))
    except ValueError:
        load, ncpu = 0.0, 2.0
    if load > ncpu * 0.75:
        L.append(f"**The machine was shared during this run** (load average {meta.get('load_start')} at the start, "
                 f"{meta.get('load_end')} at the end, on {meta.get('nproc')} cores: other builds were running). "
                 "Wall-clock numbers (exec/s, seconds to bug, wall ns) are pessimistic; CPU-time numbers and counts "
                 "of schedules or executions are not affected.")
        L.append("")
    L.append("## Headlines")
    L.append("")
    L.extend(headline(meta, work))
    L.append("")
    L.append("## 1. Cost of a scheduling point (bench/engine_bench.cc)")
    L.append("")
    L.extend(provenance(work, "micro"))
    L.extend(engine_md)
    L.append("## 2. Cost of a model run against scenario size (bench/model_bench.cc)")
    L.append("")
    L.extend(model_md)
    L.append("## 3. Fuzzing throughput")
    L.append("")
    L.extend(provenance(work, "tput"))
    L.extend(tput_md)
    L.append("## 4. Time to bug")
    L.append("")
    L.extend(provenance(work, "ttb"))
    L.append("Method after the Magma benchmark (Hazimeh et al., 2020): ground-truth bugs, repeated independent "
             "trials, the executions and the time until a crash *attributed to that bug*, and survival curves over "
             "the trials. The bugs are the suite of historical Go bugs the model has as variants (each the code "
             "before its fix) and the finding open in go1.27.4; `BENCH_BUGS` restricts a run to some of them. A "
             "random walk and PCT (`schedfuzz hunt`) run next to the coverage-guided fuzzers, because a fuzzer's "
             "time to bug means little until it is compared with what undirected search achieves on the same bug. "
             "Two starts: the seed corpus as committed (hunt: its default scenario), and a neutral start "
             "(bench/neutral.txt) shaped like none of the bugs, where a fuzzer must find the scenario as well as "
             "the schedule; `BENCH_STARTS` picks.")
    L.append("")
    L.extend(ttb_md)
    L.append("## How to reproduce one number")
    L.append("")
    L.append("```sh")
    L.append("scripts/bench.sh --quick --build-only          # the build trees")
    L.append("build/bench/bench/engine_bench                 # section 1 (plain); build/bench-asan/bench/engine_bench for ASan")
    L.append("build/bench/bench/model_bench --benchmark_filter=BM_ModelDefault")
    L.append("build/bench/repro/schedfuzz hunt --strategy=pct --depth=3 --variant=go64318 --oracles=validator \\")
    L.append("    --find=go64318 --scenario=bench/neutral.txt --runs=100000 --seconds=180 --seed=1 --json")
    L.append("build/bench/repro/schedfuzz encode bench/neutral.txt -o /tmp/neutral-seed/neutral")
    L.append("mkdir -p /tmp/new && SCHEDFUZZ_GO=1.22 SCHEDFUZZ_VARIANT=go64318 SCHEDFUZZ_ORACLES=validator \\")
    L.append("    build/bench-lf-nosan/fuzz/scenario_fuzzer -seed=1 -runs=100000 -print_final_stats=1 \\")
    L.append("    -max_len=1024 -dict=fuzz/scenario_fuzzer.dict /tmp/new /tmp/neutral-seed")
    L.append("BENCH_BUGS=go64318 BENCH_STARTS=neutral scripts/bench.sh --only=ttb --no-build   # one bug, one start")
    L.append("```")
    L.append("")
    with open(os.path.join(docs, "benchmarks.md"), "w") as f:
        f.write("\n".join(L))
    print(f"bench_report.py: wrote {os.path.join(docs, 'benchmarks.md')}"
          + (f" ({chart_notes[0]})" if chart_notes else ""))


if __name__ == "__main__":
    main()
