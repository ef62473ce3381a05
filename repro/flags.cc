#include "repro/flags.h"

#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

#include "core/base/strings.h"

namespace schedfuzz::repro {

namespace {

bool AppliesTo(const FlagInfo& f, std::string_view command) {
  return absl::c_linear_search(absl::StrSplit(f.commands, ' '), AbslView(command));
}

const CommandSpec* FindCommand(std::span<const CommandSpec> commands, std::string_view name) {
  for (const CommandSpec& c : commands)
    if (name == c.name) return &c;
  return nullptr;
}

}  // namespace

std::string FlagUsage(const FlagInfo& f) {
  const bool short_name = std::string_view(f.name).size() == 1;
  std::string s = short_name ? absl::StrFormat("-%s", f.name) : absl::StrFormat("--%s", f.name);
  if (f.value) s += short_name ? absl::StrFormat(" %s", f.value) : absl::StrFormat("=%s", f.value);
  return s;
}

bool ParseUint(std::string_view s, uint64_t* out) {
  // SimpleAtoi alone would also take a sign and surrounding spaces.
  uint64_t v;
  if (s.empty() || !absl::c_all_of(s, absl::ascii_isdigit) || !absl::SimpleAtoi(AbslView(s), &v))
    return false;
  *out = v;
  return true;
}

bool ParseDouble(std::string_view s, double* out) {
  // SimpleAtod would also take surrounding spaces.
  if (s.empty() || absl::ascii_isspace(s.front()) || absl::ascii_isspace(s.back())) return false;
  double v;
  if (!absl::SimpleAtod(AbslView(s), &v) || !(v >= 0)) return false;
  *out = v;
  return true;
}

absl::Status BadFlagValue(const ScannedArgs::Flag& f, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrFormat("bad value for %s: %s", f.spelled, why));
}

absl::StatusOr<ScannedArgs> ScanArgs(int argc, const char* const* argv,
                                     absl::FunctionRef<const FlagInfo*(std::string_view)> find) {
  ScannedArgs out;
  bool flags_done = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (flags_done || a.size() < 2 || a[0] != '-') {
      out.positional.emplace_back(a);
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
      out.help = true;
      continue;
    }
    const FlagInfo* f = find(name);
    if (!f) return absl::NotFoundError(absl::StrFormat("unknown flag %s", a));
    ScannedArgs::Flag p{f, std::string(a.substr(0, a.find('='))), ""};
    if (f->value) {
      if (!has_value) {
        if (i + 1 >= argc) {
          return absl::InvalidArgumentError(
              absl::StrFormat("flag %s needs a value (%s)", p.spelled, FlagUsage(*f)));
        }
        value = argv[++i];
      }
      p.value = std::string(value);
    } else if (!has_value || value == "1" || value == "true") {
      p.value = "1";
    } else if (value == "0" || value == "false") {
      p.value = "0";
    } else {
      return absl::InvalidArgumentError(
          absl::StrFormat("flag %s takes no value (or =true/=false), got '%s'", p.spelled, value));
    }
    out.flags.push_back(std::move(p));
  }
  return out;
}

bool ParseCommandLine(int argc, const char* const* argv, std::span<const CommandSpec> commands,
                      std::span<const FlagSpec> flags, Options* o, std::string* error) {
  absl::StatusOr<ScannedArgs> scanned =
      ScanArgs(argc, argv, [&](std::string_view name) { return FindFlag(flags, name); });
  if (!scanned.ok()) {
    *error = std::string(scanned.status().message());
    if (absl::IsNotFound(scanned.status())) *error += " (run `schedfuzz help`)";
    return false;
  }
  std::vector<std::string>& positional = scanned->positional;
  const bool want_help = scanned->help;
  if (positional.empty()) {
    if (!want_help && !scanned->flags.empty()) {
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
  for (const ScannedArgs::Flag& p : scanned->flags) {
    if (!AppliesTo(*p.info, c->name)) {
      *error = absl::StrFormat("flag %s does not apply to `%s` (it is for: %s)", p.spelled, c->name,
                               p.info->commands);
      return false;
    }
    if (absl::Status st = ApplyFlag(p, o); !st.ok()) {
      *error = std::string(st.message());
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
      "schedfuzz: a deterministic model of the Go runtime's scheduler and execution tracer,\n"
      "as in go1.27.4 (the current release) and in Go 1.22.\n"
      "\n"
      "usage: schedfuzz <subcommand> [flags] [args]\n"
      "\n"
      "An input FILE is a fuzz input in the byte format (first byte = format version 1; 2 with\n"
      "the gc op; 3 with a PCT-form schedule) or a scenario in the text form (first line\n"
      "`schedfuzz scenario v1`); see docs/format.md.\n"
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
