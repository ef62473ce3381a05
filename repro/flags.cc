#include "repro/flags.h"

#include <cerrno>
#include <cstdlib>

#include "absl/strings/str_format.h"

namespace schedfuzz::repro {

namespace {

bool AppliesTo(const FlagSpec& f, std::string_view command) {
  std::string_view list = f.commands;
  while (!list.empty()) {
    const size_t sp = list.find(' ');
    if (list.substr(0, sp) == command) return true;
    if (sp == std::string_view::npos) break;
    list.remove_prefix(sp + 1);
  }
  return false;
}

const CommandSpec* FindCommand(std::span<const CommandSpec> commands, std::string_view name) {
  for (const CommandSpec& c : commands)
    if (name == c.name) return &c;
  return nullptr;
}

const FlagSpec* FindFlag(std::span<const FlagSpec> flags, std::string_view name) {
  for (const FlagSpec& f : flags)
    if (name == f.name) return &f;
  return nullptr;
}

std::string FlagUsage(const FlagSpec& f) {
  const bool short_name = std::string_view(f.name).size() == 1;
  std::string s = short_name ? absl::StrFormat("-%s", f.name) : absl::StrFormat("--%s", f.name);
  if (f.value) s += short_name ? absl::StrFormat(" %s", f.value) : absl::StrFormat("=%s", f.value);
  return s;
}

// A flag seen on the command line, applied once the subcommand is known
// (flags may come before it).
struct Pending {
  const FlagSpec* flag;
  std::string spelled;  // as the user wrote it, for messages
  std::string value;
};

}  // namespace

bool ParseUint(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const uint64_t next = v * 10 + static_cast<uint64_t>(c - '0');
    if (next / 10 != v) return false;  // overflow
    v = next;
  }
  *out = v;
  return true;
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty() || s.size() > 64) return false;
  const std::string buf(s);
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(buf.c_str(), &end);
  if (errno != 0 || end != buf.c_str() + buf.size() || !(v >= 0)) return false;
  *out = v;
  return true;
}

bool ParseCommandLine(int argc, const char* const* argv, std::span<const CommandSpec> commands,
                      std::span<const FlagSpec> flags, Options* o, std::string* error) {
  std::vector<Pending> pending;
  std::vector<std::string> positional;
  bool want_help = false;
  bool flags_done = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (flags_done || a.size() < 2 || a[0] != '-') {
      positional.emplace_back(a);
      continue;
    }
    if (a == "--") {
      flags_done = true;
      continue;
    }
    // "--name[=v]" or "-n[=v]" (one-letter names only take one dash, and
    // long names accept one dash too, as Go's flag package does).
    std::string_view body = a.substr(a[1] == '-' ? 2 : 1);
    std::string_view name = body, value;
    bool has_value = false;
    if (const size_t eq = body.find('='); eq != std::string_view::npos) {
      name = body.substr(0, eq);
      value = body.substr(eq + 1);
      has_value = true;
    }
    if (name == "help" || name == "h") {
      want_help = true;
      continue;
    }
    const FlagSpec* f = FindFlag(flags, name);
    if (!f) {
      *error = absl::StrFormat("unknown flag %s (run `schedfuzz help`)", std::string(a));
      return false;
    }
    Pending p{f, std::string(a.substr(0, a.find('='))), ""};
    if (f->value) {
      if (!has_value) {
        if (i + 1 >= argc) {
          *error = absl::StrFormat("flag %s needs a value (%s)", p.spelled, FlagUsage(*f));
          return false;
        }
        value = argv[++i];
      }
      p.value = std::string(value);
    } else if (!has_value || value == "1" || value == "true") {
      p.value = "1";
    } else if (value == "0" || value == "false") {
      p.value = "0";
    } else {
      *error = absl::StrFormat("flag %s takes no value (or =true/=false), got '%s'", p.spelled,
                               std::string(value));
      return false;
    }
    pending.push_back(std::move(p));
  }

  if (positional.empty()) {
    if (!want_help && !pending.empty()) {
      *error = "no subcommand given (run `schedfuzz help`)";
      return false;
    }
    o->command = "help";
    return true;
  }
  o->command = positional[0];
  positional.erase(positional.begin());
  if (o->command == "help" || want_help) {
    if (o->command != "help") positional.insert(positional.begin(), o->command);
    o->command = "help";
    if (positional.size() > 1) {
      *error = "help takes at most one subcommand name";
      return false;
    }
    if (!positional.empty() && !FindCommand(commands, positional[0])) {
      *error = absl::StrFormat("unknown subcommand '%s' (run `schedfuzz help`)", positional[0]);
      return false;
    }
    o->args = positional;
    return true;
  }
  const CommandSpec* c = FindCommand(commands, o->command);
  if (!c) {
    *error = absl::StrFormat("unknown subcommand '%s' (run `schedfuzz help`)", o->command);
    return false;
  }
  for (const Pending& p : pending) {
    if (!AppliesTo(*p.flag, c->name)) {
      *error = absl::StrFormat("flag %s does not apply to `%s` (it is for: %s)", p.spelled, c->name,
                               p.flag->commands);
      return false;
    }
    std::string why;
    if (!p.flag->set(o, p.value, &why)) {
      *error = absl::StrFormat("bad value for %s: %s", p.spelled, why);
      return false;
    }
  }
  const int n = static_cast<int>(positional.size());
  if (n < c->min_args || (c->max_args >= 0 && n > c->max_args)) {
    *error = absl::StrFormat("usage: schedfuzz %s %s", c->name, c->synopsis);
    return false;
  }
  o->args = std::move(positional);
  return true;
}

std::string HelpText(std::span<const CommandSpec> commands, std::span<const FlagSpec> flags) {
  std::string s =
      "schedfuzz: a deterministic model of the Go 1.22 scheduler and execution tracer.\n"
      "\n"
      "usage: schedfuzz <subcommand> [flags] [args]\n"
      "\n"
      "An input FILE is a fuzz input in the byte format (first byte = format version 1)\n"
      "or a scenario in the text form (first line `schedfuzz scenario v1`); see\n"
      "docs/format.md.\n"
      "\n"
      "subcommands:\n";
  for (const CommandSpec& c : commands) {
    s += absl::StrFormat("  %-9s %s\n", c.name, c.summary);
  }
  s += "\nflags:\n";
  for (const FlagSpec& f : flags) {
    s += absl::StrFormat("  %-22s %s\n", FlagUsage(f), f.help);
    s += absl::StrFormat("  %-22s (%s)\n", "", f.commands);
  }
  s += "\nexit status: 0 no violation, 1 violation, 2 bad usage or bad input (one error line).\n"
       "`schedfuzz help <subcommand>` says more about one subcommand.\n";
  return s;
}

std::string CommandHelp(const CommandSpec& c, std::span<const FlagSpec> flags) {
  std::string s = absl::StrFormat("usage: schedfuzz %s %s\n\n%s\n", c.name, c.synopsis, c.summary);
  if (*c.details) s += absl::StrFormat("\n%s", c.details);
  bool any = false;
  for (const FlagSpec& f : flags) {
    if (!AppliesTo(f, c.name)) continue;
    if (!any) s += "\nflags:\n";
    any = true;
    s += absl::StrFormat("  %-22s %s\n", FlagUsage(f), f.help);
  }
  return s;
}

}  // namespace schedfuzz::repro
