// The routes of export, import, history and restore (protocol/SPEC.md EXPORT-1..8).
// Tokens are checked here; the board decides on its strand and reads the disk on its
// worker (board/board_transfer.cpp); files are made by server/transfer/.
#include "net/http_transfer.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <map>

#include "access/token.hpp"
#include "board/board_directory.hpp"
#include "model/board_state.hpp"
#include "net/api_answers.hpp"
#include "server_context.hpp"
#include "transfer/csv.hpp"
#include "transfer/export_json.hpp"
#include "transfer/markdown.hpp"

namespace tandem {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxNameBytes = 64;

using Respond = std::function<void(ApiResponse)>;

ApiResponse json_answer(int status, const json::object& body) {
  ApiResponse r;
  r.status = status;
  r.body = json::serialize(body);
  return r;
}
ApiResponse error(int status, const std::string& message) { return json_answer(status, {{"error", message}}); }
ApiResponse failed(const AdminResult& r) { return error(r.status, r.status == 401 ? "unauthorized" : r.error); }

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') out.push_back(' ');
    else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else out.push_back(s[i]);
  }
  return out;
}

}  // namespace

// Declared in http_api.hpp (the cluster routes read their query with it too).
std::map<std::string, std::string> parse_query(std::string_view q) {
  std::map<std::string, std::string> out;
  while (!q.empty()) {
    const std::size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    const std::size_t eq = pair.find('=');
    out[decode(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

namespace {

std::optional<std::uint64_t> parse_u64(const std::string& s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

bool is_admin(const ServerContext& ctx, const std::string& bearer) {
  auto claims = ctx.auth.tokens().verify(bearer);
  return claims && claims->kind() == v1::TOKEN_KIND_ADMIN;
}

// Makes the file of an export (EXPORT-1, -3, -4) on the board's worker.
std::function<void(AdminResult&)> render(std::string format, bool pretty) {
  return [format = std::move(format), pretty](AdminResult& r) {
    const v1::BoardExport& e = *r.board;
    const bool backlog = e.meta().kind() == v1::BOARD_KIND_BACKLOG;
    const std::string& title = e.meta().title();
    if (format == "markdown") {
      if (backlog) return void(r = AdminResult{400, "a Markdown summary is made of discovery boards: export a backlog as csv or json"});
      r.body = transfer::discovery_markdown(e);
      r.content_type = "text/markdown; charset=utf-8";
      r.filename = transfer::file_name(title, "md");
    } else if (format == "csv") {
      if (!backlog) return void(r = AdminResult{400, "CSV is made of backlog boards: export a discovery board as markdown or json"});
      r.body = transfer::backlog_csv(e);
      r.content_type = "text/csv; charset=utf-8";
      r.filename = transfer::file_name(title, "csv");
    } else {
      r.body = transfer::to_json(e, pretty);
      r.content_type = "application/json";
      r.filename = transfer::file_name(title, "json");
    }
  };
}

// The 201 of a new board (API-1's body), for import and restore (EXPORT-5, EXPORT-8).
ApiResponse new_board(const ServerContext& ctx, const std::string& id, const std::string& member_id,
                      const std::string& name, const v1::InviteRecord& owner_link, const AdminResult& r, bool csv) {
  json::object out = member_json(ctx.auth.tokens(), id, v1::ROLE_OWNER, name, "", member_id);
  out["owner_invite"] = invite_token(ctx.auth.tokens(), id, owner_link);
  out["title"] = r.meta.title();
  out["kind"] = r.meta.kind() == v1::BOARD_KIND_BACKLOG ? "backlog" : "discovery";
  if (csv) {
    json::array skipped;
    for (const std::string& s : r.skipped) skipped.emplace_back(s);
    out["skipped_columns"] = std::move(skipped);
  }
  return json_answer(201, out);
}

// Imports `req` (a file, or `req.source`) as a new board of the member `name`.
void create_from(ServerContext& ctx, AdminRequest req, const std::string& name, bool csv, Respond respond) {
  const std::string id = access::random_id();
  auto board = ctx.boards.find_or_open(id);
  if (!board) return respond(error(503, "no node serves new boards"));
  const std::string member_id = access::random_id();
  req.who.set_kind(v1::TOKEN_KIND_MEMBER);
  req.who.set_board_id(id);
  req.who.set_role(v1::ROLE_OWNER);
  req.who.set_member_id(member_id);
  req.who.set_name(name);
  req.invite = new_owner_link();
  v1::InviteRecord owner_link = req.invite;
  board->admin(std::move(req), [&ctx, id, member_id, name, owner_link, csv, respond = std::move(respond)](AdminResult r) {
    if (r.status >= 300) return respond(failed(r));
    respond(new_board(ctx, id, member_id, name, owner_link, r, csv));
  });
}

// EXPORT-5, EXPORT-6: POST /api/boards/import?format=json|csv[&title=T][&name=N]
void import_route(ServerContext& ctx, const ApiRequest& req, Respond respond) {
  if (req.method != "POST") return respond(error(405, "POST imports a board"));
  if (!ctx.auth.may_create(req.bearer)) return respond(error(403, "creating boards needs the admin token"));
  auto q = parse_query(req.query);
  std::string format = q["format"];
  if (format.empty()) format = req.content_type.rfind("text/csv", 0) == 0 ? "csv" : "json";
  if (format != "json" && format != "csv") return respond(error(400, "format is json or csv"));
  if (req.body.empty()) return respond(error(400, "the body is the file to import"));
  const std::string name = q.count("name") ? q["name"] : "Owner";
  if (!valid_name(name)) return respond(error(400, "name: 1-64 bytes, no control characters"));
  AdminRequest a{AdminRequest::Kind::kImport};
  a.body = req.body;
  a.format = format;
  a.title = q["title"];
  create_from(ctx, std::move(a), name, format == "csv", std::move(respond));
}

// The asker of an export, history or restore: the admin token, or a member of `id`.
struct Asker {
  bool admin = false;
  v1::TokenClaims who;
};
std::optional<Asker> asker(const ServerContext& ctx, const std::string& id, const std::string& bearer) {
  if (is_admin(ctx, bearer)) return Asker{true, {}};
  auto who = ctx.auth.member(id, bearer);
  if (!who) return std::nullopt;
  return Asker{false, *who};
}

void board_route(ServerContext& ctx, const ApiRequest& req, const std::string& id, const std::string& rest,
                 Respond respond) {
  auto who = asker(ctx, id, req.bearer);
  if (!who) return respond(error(401, "unauthorized"));
  auto board = ctx.boards.find_or_open(id);
  if (!board) return respond(error(503, "the board is served by another node"));
  auto q = parse_query(req.query);
  AdminRequest a{AdminRequest::Kind::kExport};
  a.admin = who->admin;
  a.who = who->who;

  if (rest == "/export") {  // EXPORT-1
    if (req.method != "GET") return respond(error(405, "GET exports a board"));
    const std::string format = q.count("format") ? q["format"] : "json";
    if (format != "json" && format != "markdown" && format != "csv")
      return respond(error(400, "format is json, markdown or csv"));
    a.with_log = q["log"] == "1" || q["log"] == "true";
    if (a.with_log && !a.admin) return respond(error(403, "the whole log is exported with the admin token only"));
    a.finish = render(format, true);
    return board->admin(std::move(a), [respond = std::move(respond)](AdminResult r) {
      if (r.status >= 300) return respond(failed(r));
      respond(ApiResponse{200, std::move(r.body), r.content_type, r.filename});
    });
  }
  if (rest == "/history") {  // EXPORT-7
    if (req.method != "GET") return respond(error(405, "GET reads a board's history"));
    if (q.count("seq") && q.count("at")) return respond(error(400, "give seq or at, not both"));
    if (q.count("seq")) {
      auto seq = parse_u64(q["seq"]);
      if (!seq) return respond(error(400, "seq is a change number"));
      a.seq = *seq;
      a.has_seq = true;
    }
    if (q.count("at")) {
      auto at = parse_u64(q["at"]);
      if (!at) return respond(error(400, "at is a time in milliseconds since 1970"));
      a.at_ms = static_cast<std::int64_t>(*at);
      a.has_at = true;
    }
    a.finish = [](AdminResult& r) {
      r.body = transfer::to_json(*r.board, false);
      r.content_type = "application/json";
    };
    return board->admin(std::move(a), [respond = std::move(respond)](AdminResult r) {
      if (r.status >= 300) return respond(failed(r));
      respond(ApiResponse{200, std::move(r.body), r.content_type, ""});
    });
  }
  // rest == "/restore": EXPORT-8
  if (req.method != "POST") return respond(error(405, "POST restores a board's past state as a new board"));
  if (!who->admin && !ctx.auth.may_create(req.bearer))
    return respond(error(403, "creating boards needs the admin token"));
  boost::system::error_code ec;
  json::value body = json::parse(req.body.empty() ? std::string_view("{}") : std::string_view(req.body), ec);
  const json::value* seq = !ec && body.is_object() ? body.as_object().if_contains("seq") : nullptr;
  if (!seq || !seq->is_number() || (seq->is_int64() && seq->as_int64() < 0) || seq->is_double())
    return respond(error(400, "the body is {\"seq\": N, \"title\": T}"));
  a.seq = seq->is_uint64() ? seq->as_uint64() : static_cast<std::uint64_t>(seq->as_int64());
  a.has_seq = true;
  std::string title;
  if (const json::value* t = body.as_object().if_contains("title")) {
    if (!t->is_string()) return respond(error(400, "title must be a string"));
    title = std::string(t->as_string());
  }
  std::string name = who->admin ? "Owner" : who->who.name();
  if (const json::value* n = body.as_object().if_contains("name"); n && n->is_string()) name = std::string(n->as_string());
  if (!valid_name(name)) return respond(error(400, "name: 1-64 bytes, no control characters"));
  board->admin(std::move(a), [&ctx, title, name, respond = std::move(respond)](AdminResult r) mutable {
    if (r.status >= 300) return respond(failed(r));
    AdminRequest imp{AdminRequest::Kind::kImport};
    imp.source = r.board;
    imp.title = title.empty() ? r.board->meta().title() + " (restored)" : title;
    if (title.empty() && imp.title.size() > 200) imp.title = r.board->meta().title();  // check_title's limit
    create_from(ctx, std::move(imp), name, false, std::move(respond));
  });
}

}  // namespace

bool handle_transfer_api(ServerContext& ctx, const ApiRequest& req, std::function<void(ApiResponse)>& respond) {
  if (req.path == "/api/boards/import") {
    import_route(ctx, req, std::move(respond));
    return true;
  }
  constexpr std::string_view kPrefix = "/api/boards/";
  if (req.path.rfind(kPrefix, 0) != 0) return false;
  const std::string tail = req.path.substr(kPrefix.size());
  const std::size_t slash = tail.find('/');
  if (slash == std::string::npos) return false;
  const std::string id = tail.substr(0, slash), rest = tail.substr(slash);
  if (rest != "/export" && rest != "/history" && rest != "/restore") return false;
  if (!model::valid_id(id)) {
    respond(error(404, "no such board"));
    return true;
  }
  board_route(ctx, req, id, rest, std::move(respond));
  return true;
}

}  // namespace tandem
