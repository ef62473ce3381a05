// The account of a run's window in plain words. It is built only from the
// recorded facts about the goroutine the verdict names (its events, its
// status changes, the tracer sections they happened in or outside of) and
// the generation switches around them, so the same code tells the story of
// any finding, not of one bug.
#include <string_view>

#include "absl/strings/str_format.h"

#include "repro/explain.h"

namespace schedfuzz::repro {

namespace {

std::string Function(const char* site) {
  const std::string_view s = site;
  return std::string(s.substr(0, s.find(": ")));
}

std::string EventName(const tracefmt::Event& ev) {
  std::string s(tracefmt::EvName(ev.type));
  if (ev.type == tracefmt::EvType::kGoStatus && ev.args[2] <= 4)
    s += absl::StrFormat(
        "(%s)", std::string(tracefmt::GoStatusName(static_cast<tracefmt::GoStatus>(ev.args[2]))));
  return s;
}

std::string Who(const std::string& m) { return m == "tracer" ? "the tracer's M" : m; }

std::string GenSwitchClause(const Fact& f) {
  if (f.old_gen == 0)
    return absl::StrFormat("StartTrace turned tracing on with generation %d at step %d", f.gen,
                           f.step);
  if (f.gen == 0)
    return absl::StrFormat("StopTrace ended generation %d at step %d", f.old_gen, f.step);
  return absl::StrFormat("traceAdvance switched generations %d→%d at step %d", f.old_gen, f.gen,
                         f.step);
}

bool AboutG(const Fact& f, int64_t goid) {
  if (f.kind == FactKind::kEvent) return f.goid == goid;
  if (f.kind == FactKind::kStatus) {
    // The scan bit's release is the second half of a status read; the read
    // itself (setting the bit) is what matters.
    const bool from_scan = (f.old_status & rt::_Gscan) && !(f.new_status & rt::_Gscan);
    return f.goid == goid && f.tracing_gen != 0 && !from_scan;
  }
  return false;
}

// Statuses traceAdvance's snapshot can record (suspendG stops the others).
bool Snapshotable(uint32_t status) {
  switch (status & ~rt::_Gscan) {
    case rt::_Grunnable:
    case rt::_Gwaiting:
    case rt::_Gsyscall:
    case rt::_Gpreempted: return true;
    default: return false;
  }
}

// For a status change made outside any trace section: the M's last attempt
// at traceAcquire, if the step log shows one, and what it found.
std::string LastAcquire(const Recording& rec, const Fact& f) {
  size_t i = rec.rows.size();
  while (i > 0 && rec.rows[i - 1].step > f.step) --i;
  while (i-- > 0) {
    const StepRow& r = rec.rows[i];
    const int t = r.thread;
    if (t < 0 || t >= static_cast<int>(rec.thread_names.size()) || rec.thread_names[t] != f.m)
      continue;
    const std::string_view site = r.site;
    if (site.substr(0, 13) == "traceRelease:")
      return absl::StrFormat(", its last trace section having ended at step %d", r.step);
    if (site.substr(0, 13) == "traceAcquire:") {
      if (r.gen == 0)
        return absl::StrFormat(", its last traceAcquire (step %d) having found tracing off",
                               r.step);
      return "";
    }
  }
  return "";
}

// Wraps a paragraph at `width` columns.
std::string Wrap(const std::string& text, size_t width) {
  std::string out, line;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(pos, end - pos);
    pos = end + 1;
    // Count UTF-8 characters (→) as one column each.
    auto cols = [](const std::string& s) {
      size_t n = 0;
      for (unsigned char c : s) n += (c & 0xc0) != 0x80;
      return n;
    };
    if (!line.empty() && cols(line) + 1 + cols(word) > width) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += line + "\n";
  return out;
}

}  // namespace

std::string Account(const Recording& rec, const scenario::Outcome& out, int64_t goid) {
  const oracle::Verdict& v = out.verdict;
  const std::vector<Fact>& facts = rec.facts;
  if (!v.violation) {
    int switches = 0, untraced = 0;
    for (const Fact& f : facts) {
      switches += f.kind == FactKind::kGenSwitch;
      untraced += f.kind == FactKind::kStatus && f.tracing_gen != 0 && !f.in_window &&
                  !((f.old_status | f.new_status) & rt::_Gscan) && Snapshotable(f.new_status) &&
                  !f.traced_running;
    }
    return Wrap(
        absl::StrFormat(
            "No oracle fired%s. The trace had %d generation switches (StartTrace and StopTrace "
            "included); %d status changes to a status a snapshot can record happened outside "
            "a trace critical section while tracing was on.",
            out.discarded.empty() ? "" : " (the run was discarded: " + out.discarded + ")",
            switches, untraced),
        100);
  }

  // The window: from the last thing the trace said about the goroutine
  // before the generation the oracle judged, to the end of the generation
  // after it (a status change may land there) or the step the oracle fired.
  size_t end = facts.size();
  if (v.oracle == "validator" && v.gen != 0) {
    for (size_t i = 0; i < facts.size(); ++i) {
      if (facts[i].kind == FactKind::kGenSwitch && facts[i].old_gen > v.gen) {
        end = i;
        break;
      }
    }
  } else if (v.step != 0) {
    end = 0;
    while (end < facts.size() && facts[end].step <= v.step) ++end;
  }
  size_t begin = end;
  bool have_begin = false;
  for (size_t i = end; i-- > 0 && goid != 0;) {
    const Fact& f = facts[i];
    if (f.kind == FactKind::kEvent && f.goid == goid &&
        (v.gen == 0 || f.gen < v.gen || v.oracle != "validator")) {
      begin = i;
      have_begin = true;
      break;
    }
  }
  // An event written inside a critical section: start where the section
  // began, since a generation may have switched while the M was in it.
  size_t window_open = facts.size();
  if (have_begin && facts[begin].in_window) {
    for (size_t i = begin; i-- > 0;) {
      if (facts[i].kind == FactKind::kAcquire && facts[i].m == facts[begin].m) {
        window_open = begin = i;
        break;
      }
    }
  }
  if (!have_begin) {
    begin = 0;
    while (begin < end && !(goid != 0 && AboutG(facts[begin], goid))) ++begin;
    if (begin == end) begin = 0;  // nothing about it: tell the generations
  }
  // The first status change after the trace's last word on the goroutine is
  // the one the trace may not describe: tell it even when it came late
  // (after the judged generation, or after tracing stopped).
  size_t catch_up = facts.size();
  for (size_t i = begin; i < facts.size() && goid != 0; ++i) {
    const Fact& f = facts[i];
    if (f.kind == FactKind::kStatus && f.goid == goid &&
        !((f.old_status | f.new_status) & rt::_Gscan)) {
      catch_up = i;
      if (v.oracle == "validator" && i >= end) end = i + 1;
      break;
    }
  }

  std::vector<std::string> clauses;
  std::vector<bool> told(facts.size(), false);  // events already told with an earlier one
  std::string switches;  // consecutive generation switches, told as one clause
  auto flush_switches = [&] {
    if (!switches.empty()) clauses.push_back(switches);
    switches.clear();
  };
  for (size_t i = begin; i < end; ++i) {
    const Fact& f = facts[i];
    if (f.kind == FactKind::kGenSwitch) {
      switches += (switches.empty() ? "" : ", then ") + GenSwitchClause(f);
      continue;
    }
    if (i == window_open) {
      clauses.push_back(
          absl::StrFormat("%s entered a trace critical section for generation %d at step %d",
                          Who(f.m), f.gen, f.step));
      continue;
    }
    if (told[i] || !(AboutG(f, goid) || i == catch_up)) continue;
    flush_switches();
    if (f.kind == FactKind::kEvent && !f.m.empty() && f.in_window) {
      // Events the same M wrote about the goroutine in one critical
      // section, and where that section ended.
      std::string names = EventName(f.ev);
      size_t j = i + 1;
      uint64_t release = 0;
      for (; j < facts.size(); ++j) {
        const Fact& g = facts[j];
        if (g.m != f.m) continue;
        if (g.kind == FactKind::kRelease) {
          release = g.step;
          break;
        }
        if (g.kind == FactKind::kEvent && g.goid == goid) {
          names += " and " + EventName(g.ev);
          told[j] = true;
        }
      }
      std::string c = absl::StrFormat("%s wrote %s for goroutine %d into generation %d at step %d",
                                      Who(f.m), names, goid, f.gen, f.step);
      if (f.gen != f.tracing_gen && f.tracing_gen != 0)
        c += absl::StrFormat(" (trace.gen was already %d)", f.tracing_gen);
      c += release ? absl::StrFormat(" and released the tracer at step %d", release)
                   : std::string(" and had not released the tracer when the run ended");
      clauses.push_back(c);
      continue;
    }
    if (f.kind == FactKind::kEvent) {
      clauses.push_back(absl::StrFormat(
          "%s wrote %s for goroutine %d into generation %d at step %d%s",
          f.m.empty() ? "traceAdvance" : Who(f.m), EventName(f.ev), goid, f.gen, f.step,
          f.m.empty() ? " (an M-less batch: the status it had read in its snapshot)"
                      : ", outside a trace section"));
      continue;
    }
    // A status change.
    const bool to_scan = (f.new_status & rt::_Gscan) && !(f.old_status & rt::_Gscan);
    if (to_scan) {
      clauses.push_back(
          absl::StrFormat("%s suspended goroutine %d to read its status (%s) at step %d (%s)",
                          Who(f.m), goid, rt::GStatusName(f.old_status), f.step, Function(f.site)));
      continue;
    }
    std::string c = absl::StrFormat("%s changed goroutine %d from %s to %s at step %d (%s), ",
                                    f.m.empty() ? "a thread without an M" : Who(f.m), goid,
                                    rt::GStatusName(f.old_status), rt::GStatusName(f.new_status),
                                    f.step, Function(f.site));
    if (f.in_window) {
      c += absl::StrFormat("inside its trace critical section for generation %d", f.window_gen);
    } else if (!Snapshotable(f.new_status)) {
      c += "which needs no trace section (a running or dead goroutine is never snapshotted)";
    } else if (f.traced_running) {
      c += "which needs no trace section (a goroutine waiting for the GC or the tracer is traced "
           "as running)";
    } else if (f.tracing_gen != 0) {
      c += absl::StrFormat(
          "outside any trace critical section while tracing was on (generation %d)", f.tracing_gen);
      c += LastAcquire(rec, f);
    } else {
      c += "with tracing off, so no event will ever describe it";
    }
    clauses.push_back(c);
  }
  flush_switches();

  // Long windows: keep the start and the end, which hold the cause and the
  // effect; the step table has the rest.
  constexpr size_t kMaxClauses = 16;
  if (clauses.size() > kMaxClauses) {
    const size_t drop = clauses.size() - kMaxClauses;
    std::vector<std::string> kept(clauses.begin(), clauses.begin() + 4);
    kept.push_back(
        absl::StrFormat("(%d more facts about goroutine %d: see the step table)", drop, goid));
    kept.insert(kept.end(), clauses.end() - static_cast<long>(kMaxClauses - 4), clauses.end());
    clauses = std::move(kept);
  }

  std::string text;
  for (size_t i = 0; i < clauses.size(); ++i) text += (i == 0 ? "" : "; ") + clauses[i];
  if (!text.empty()) text += ". ";
  const std::string first = v.message.substr(0, v.message.find('\n'));
  if (v.oracle == "validator") {
    text += absl::StrFormat(
        "Go's trace parser (the validator) then rejects trace session %d while ordering "
        "generation %d: \"%s\".",
        v.session, v.gen, first);
  } else if (v.oracle == "discipline") {
    // Its messages start with the check's name ("D1: ...").
    std::string what = first;
    if (what.rfind(v.check + ": ", 0) == 0) what = what.substr(v.check.size() + 2);
    text +=
        absl::StrFormat("The discipline oracle fired at step %d (%s): %s.", v.step, v.check, what);
  } else {
    text += absl::StrFormat("The %s oracle (%s) fired: %s.", v.oracle, v.check, first);
  }
  if (out.known) text += absl::StrFormat(" This is known finding %s.", out.known->id);
  return Wrap(text, 100);
}

}  // namespace schedfuzz::repro
