// tandem export | import | replay: EXPORT-1, EXPORT-5/6 and EXPORT-7 of a running server
// (protocol/SPEC.md), through its API (cli/remote.hpp). A replay in Markdown or CSV is
// made here from the history's JSON, by the same writers as the server's export.
#include "cli/transfer_commands.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "cli/command_util.hpp"
#include "cli/remote.hpp"
#include "net/http_call.hpp"
#include "transfer/csv.hpp"
#include "transfer/export_json.hpp"
#include "transfer/markdown.hpp"

namespace tandem::cli {

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The format a file name suggests: .md markdown, .csv csv, else json.
std::string format_of(const std::string& file) {
  if (ends_with(file, ".md") || ends_with(file, ".markdown")) return "markdown";
  if (ends_with(file, ".csv")) return "csv";
  return "json";
}

// The body of a successful answer (2xx); fails with 1 and the server's error otherwise.
std::string expect_body(const Reply& r) {
  if (r.status >= 200 && r.status < 300) return r.body;
  expect_ok(r);  // fails with the server's message
  fail(1, "the server refused (HTTP " + std::to_string(r.status) + ")");
}

void write_out(const std::string& file, const std::string& body) {
  if (file.empty() || file == "-") {
    std::fwrite(body.data(), 1, body.size(), stdout);
    if (!body.empty() && body.back() != '\n') std::fputc('\n', stdout);
    return;
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << body;
  if (!out) fail(1, "cannot write " + file);
  std::fprintf(stderr, "tandem: wrote %s (%zu bytes)\n", file.c_str(), body.size());
}

struct ExportArgs {
  std::string board, format, out;
  bool log = false;
};

void do_export(const Remote& remote, const ExportArgs& a) {
  const std::string format = !a.format.empty() ? a.format : a.out.empty() ? "json" : format_of(a.out);
  std::string target = "/api/boards/" + url_encode(a.board) + "/export?format=" + format;
  if (a.log) target += "&log=1";
  write_out(a.out, expect_body(call(remote, "GET", target)));
}

struct ImportArgs {
  std::string file, format, title, name;
  bool json = false;
};

void do_import(const Remote& remote, const ImportArgs& a) {
  std::string body;
  if (a.file == "-") {
    body.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(a.file, std::ios::binary);
    if (!in) fail(2, "cannot read " + a.file);
    std::stringstream ss;
    ss << in.rdbuf();
    body = ss.str();
  }
  const std::string format = !a.format.empty() ? a.format : format_of(a.file) == "csv" ? "csv" : "json";
  std::string target = "/api/boards/import?format=" + format;
  if (!a.title.empty()) target += "&title=" + url_encode(a.title);
  if (!a.name.empty()) target += "&name=" + url_encode(a.name);
  boost::json::object r =
      expect_ok(call(remote, "POST", target, body, format == "csv" ? "text/csv" : "application/json"));
  const std::string id = text(r, "board_id");
  const std::string link = invite_link(remote, id, text(r, "owner_invite"));
  if (a.json) {
    boost::json::object out{{"board_id", id}, {"title", text(r, "title")}, {"kind", text(r, "kind")}, {"owner_link", link}};
    if (const auto* s = r.if_contains("skipped_columns")) out["skipped_columns"] = *s;
    std::printf("%s\n", boost::json::serialize(out).c_str());
    return;
  }
  std::printf("board %s (%s, \"%s\")\nowner link: %s\n", id.c_str(), text(r, "kind").c_str(), text(r, "title").c_str(),
              link.c_str());
  if (const auto* s = r.if_contains("skipped_columns"); s && s->is_array() && !s->as_array().empty()) {
    std::string names;
    for (const auto& v : s->as_array())
      if (v.is_string()) names += (names.empty() ? "" : ", ") + std::string(v.as_string());
    std::printf("skipped columns: %s\n", names.c_str());
  }
}

}  // namespace

// TIME of `tandem replay --at`: milliseconds since 1970, or ISO 8601 in UTC or with an
// offset ("2026-11-27T15:00:00Z", "2026-11-27T16:00+01:00"). nullopt when neither.
std::optional<std::int64_t> parse_time(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() <= 18) return std::stoll(s);
  std::tm tm{};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, n = 0;
  double sec = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5) return std::nullopt;
  std::string rest = s.substr(static_cast<std::size_t>(n));
  if (!rest.empty() && rest[0] == ':') {
    int m = 0;
    if (std::sscanf(rest.c_str(), ":%lf%n", &sec, &m) != 1 || sec < 0 || sec >= 61) return std::nullopt;
    rest = rest.substr(static_cast<std::size_t>(m));
  }
  std::int64_t offset_min = 0;
  if (rest == "Z" || rest == "z") {
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = 0, om = 0;
    if (std::sscanf(rest.c_str() + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
    offset_min = (rest[0] == '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return std::nullopt;  // a time without a zone would be ambiguous
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return std::nullopt;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  const std::int64_t secs = static_cast<std::int64_t>(timegm(&tm)) - offset_min * 60;
  return secs * 1000 + static_cast<std::int64_t>(sec * 1000 + 0.5);
}

namespace {

struct ReplayArgs {
  std::string board, at, format, out;
  std::uint64_t seq = 0;
};

void do_replay(const Remote& remote, const ReplayArgs& a, bool has_seq) {
  std::string target = "/api/boards/" + url_encode(a.board) + "/history?";
  if (has_seq) {
    target += "seq=" + std::to_string(a.seq);
  } else {
    auto ms = parse_time(a.at);
    if (!ms) fail(2, "--at " + a.at + ": give milliseconds since 1970 or ISO 8601 with a zone, e.g. 2026-11-27T15:00:00Z");
    target += "at=" + std::to_string(*ms);
  }
  const std::string body = expect_body(call(remote, "GET", target));
  std::string error;
  auto e = transfer::from_json(body, &error);
  if (!e) fail(1, "the server's answer: " + error);
  const std::string format = !a.format.empty() ? a.format : a.out.empty() ? "json" : format_of(a.out);
  const bool backlog = e->meta().kind() == v1::BOARD_KIND_BACKLOG;
  if (format == "markdown" && backlog) fail(2, "a Markdown summary is made of discovery boards: use --format csv");
  if (format == "csv" && !backlog) fail(2, "CSV is made of backlog boards: use --format markdown");
  std::fprintf(stderr, "tandem: board %s at change %llu of %llu (%s)\n", a.board.c_str(),
               static_cast<unsigned long long>(e->snapshot().seq()), static_cast<unsigned long long>(e->head_seq()),
               transfer::utc_time(e->state_time_ms()).c_str());
  write_out(a.out, format == "markdown" ? transfer::discovery_markdown(*e)
                   : format == "csv"    ? transfer::backlog_csv(*e)
                                        : transfer::to_json(*e, true));
}

}  // namespace

void add_transfer_commands(CLI::App& app, const Remote& remote) {
  auto ex = std::make_shared<ExportArgs>();
  CLI::App* export_cmd = app.add_subcommand("export", "a board as a file: JSON (everything), Markdown (discovery), CSV (backlog)");
  export_cmd->add_option("BOARD", ex->board, "the board's id")->required();
  export_cmd->add_option("--format,-f", ex->format, "json, markdown or csv (default: from -o's extension, else json)")
      ->check(CLI::IsMember({"json", "markdown", "csv"}));
  export_cmd->add_flag("--log", ex->log, "JSON with every change kept (the admin token only)");
  export_cmd->add_option("-o,--output", ex->out, "write to this file (default: standard output)");
  export_cmd->callback([&remote, ex] { do_export(remote, *ex); });

  auto im = std::make_shared<ImportArgs>();
  CLI::App* import_cmd = app.add_subcommand("import", "a new board from a Tandem JSON export or a backlog CSV (Jira's too)");
  import_cmd->add_option("FILE", im->file, "the file (- for standard input)")->required();
  import_cmd->add_option("--format,-f", im->format, "json or csv (default: from the extension)")
      ->check(CLI::IsMember({"json", "csv"}));
  import_cmd->add_option("--title", im->title, "the new board's title (default: the file's)");
  import_cmd->add_option("--name", im->name, "your display name as the board's owner (default: Owner)");
  import_cmd->add_flag("--json", im->json, "print JSON");
  import_cmd->callback([&remote, im] { do_import(remote, *im); });

  auto re = std::make_shared<ReplayArgs>();
  CLI::App* replay_cmd = app.add_subcommand("replay", "a board as it was after a change or at a time");
  replay_cmd->add_option("BOARD", re->board, "the board's id")->required();
  CLI::Option* seq = replay_cmd->add_option("--seq", re->seq, "the state after this change");
  CLI::Option* at =
      replay_cmd->add_option("--at", re->at, "the state at this time: ms since 1970, or ISO 8601 (2026-11-27T15:00:00Z)");
  seq->excludes(at);
  replay_cmd->add_option("--format,-f", re->format, "json, markdown or csv (default: from -o's extension, else json)")
      ->check(CLI::IsMember({"json", "markdown", "csv"}));
  replay_cmd->add_option("-o,--output", re->out, "write to this file (default: standard output)");
  replay_cmd->callback([&remote, re, seq, at] {
    if (!*seq && !*at) fail(2, "replay: give --seq N or --at TIME");
    do_replay(remote, *re, static_cast<bool>(*seq));
  });
}

}  // namespace tandem::cli
