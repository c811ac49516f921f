#include "net/http_api.hpp"
#include "net/http_transfer.hpp"
#include "net/http_cluster.hpp"
#include "net/api_answers.hpp"

// Boost.JSON, header-only: this is the one file that compiles its sources.
#include <boost/json/src.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <chrono>

#include "access/roles.hpp"
#include "access/token.hpp"
#include "board/board_directory.hpp"
#include "model/board_state.hpp"
#include "server_context.hpp"

namespace tandem {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxNameBytes = 64;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ApiResponse reply(int status, json::object body) { return ApiResponse{status, json::serialize(body), "application/json", {}}; }
ApiResponse error(int status, std::string message) { return reply(status, {{"error", message}}); }
ApiResponse unauthorized() { return error(401, "unauthorized"); }

std::string_view kind_name(v1::BoardKind k) { return k == v1::BOARD_KIND_BACKLOG ? "backlog" : "discovery"; }

std::optional<v1::BoardTemplate> parse_template(const json::value* v) {
  if (!v || v->is_null()) return v1::BOARD_TEMPLATE_UNSPECIFIED;
  if (v->is_int64()) return static_cast<v1::BoardTemplate>(v->as_int64());  // checked by check_new_board
  if (!v->is_string()) return std::nullopt;
  std::string_view s = v->as_string();
  if (s == "blank" || s.empty()) return v1::BOARD_TEMPLATE_UNSPECIFIED;
  std::string upper = "BOARD_TEMPLATE_";
  for (char c : s) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  v1::BoardTemplate t;
  if (!v1::BoardTemplate_Parse(upper, &t)) return std::nullopt;
  return t;
}

// A display name: 1-64 bytes, no control characters.
std::optional<std::string> parse_name(const json::object& o) {
  const json::value* v = o.if_contains("name");
  if (!v || !v->is_string()) return std::nullopt;
  std::string name(v->as_string());
  while (!name.empty() && name.back() == ' ') name.pop_back();
  while (!name.empty() && name.front() == ' ') name.erase(name.begin());
  if (name.empty() || name.size() > kMaxNameBytes) return std::nullopt;
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return std::nullopt;
  return name;
}

}  // namespace

// Shared with the export / import routes (net/api_answers.hpp, SPEC EXPORT-5).
v1::InviteRecord new_owner_link() {
  v1::InviteRecord r;
  r.set_nonce(access::random_id());
  r.set_role(v1::ROLE_OWNER);
  r.set_created_ms(now_ms());
  r.set_created_by("board-create");
  r.set_label("Owner link");
  return r;
}

std::string invite_token(const access::TokenCodec& tokens, const std::string& board_id, const v1::InviteRecord& r) {
  v1::TokenClaims c;
  c.set_kind(v1::TOKEN_KIND_INVITE);
  c.set_board_id(board_id);
  c.set_role(r.role());
  c.set_expires_ms(r.expires_ms());
  c.set_nonce(r.nonce());
  c.set_issued_ms(r.created_ms());
  return tokens.sign(c);
}

json::object invite_json(const access::TokenCodec& tokens, const std::string& board_id, const v1::InviteRecord& r) {
  return {{"nonce", r.nonce()},
          {"role", access::role_name(static_cast<v1::Role>(r.role()))},
          {"expires_ms", r.expires_ms()},
          {"created_ms", r.created_ms()},
          {"created_by", r.created_by()},
          {"label", r.label()},
          {"revoked", r.revoked()},
          {"token", invite_token(tokens, board_id, r)}};
}

// A new member of `board_id` with `role`, redeemed from `invite_nonce`.
json::object member_json(const access::TokenCodec& tokens, const std::string& board_id, v1::Role role,
                         const std::string& name, const std::string& invite_nonce, const std::string& member_id) {
  v1::TokenClaims c;
  c.set_kind(v1::TOKEN_KIND_MEMBER);
  c.set_board_id(board_id);
  c.set_role(role);
  c.set_member_id(member_id.empty() ? access::random_id() : member_id);
  c.set_name(name);
  c.set_invite_nonce(invite_nonce);
  c.set_issued_ms(now_ms());
  return {{"board_id", board_id},
          {"member_token", tokens.sign(c)},
          {"member_id", c.member_id()},
          {"name", name},
          {"role", access::role_name(role)}};
}

namespace {

std::optional<json::object> parse_body(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body.empty() ? std::string_view("{}") : std::string_view(body), ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

// "/api/boards/{id}/rest" -> (id, rest)
bool split_board_path(const std::string& path, std::string* id, std::string* rest) {
  constexpr std::string_view kPrefix = "/api/boards/";
  if (path.rfind(kPrefix, 0) != 0) return false;
  std::string tail = path.substr(kPrefix.size());
  auto slash = tail.find('/');
  *id = tail.substr(0, slash);
  *rest = slash == std::string::npos ? "" : tail.substr(slash);
  return model::valid_id(*id);
}

void create_board(ServerContext& ctx, const ApiRequest& req, std::function<void(ApiResponse)> respond) {
  if (!ctx.auth.may_create(req.bearer)) return respond(error(403, "creating boards needs the admin token"));
  auto body = parse_body(req.body);
  if (!body) return respond(error(400, "the body is a JSON object"));
  auto name = parse_name(*body);
  if (!name) return respond(error(400, "name: 1-64 bytes, no control characters"));
  v1::BoardMeta meta;
  const json::value* kind = body->if_contains("kind");
  if (!kind || !kind->is_string() || (kind->as_string() != "discovery" && kind->as_string() != "backlog"))
    return respond(error(400, "kind must be discovery or backlog"));
  meta.set_kind(kind->as_string() == "backlog" ? v1::BOARD_KIND_BACKLOG : v1::BOARD_KIND_DISCOVERY);
  const json::value* title = body->if_contains("title");
  if (title && !title->is_string()) return respond(error(400, "title must be a string"));
  meta.set_title(title ? std::string(title->as_string()) : std::string(meta.kind() == v1::BOARD_KIND_BACKLOG ? "Backlog" : "Discovery"));
  auto tpl = parse_template(body->if_contains("template"));
  if (!tpl) return respond(error(400, "unknown template"));
  meta.set_template_(*tpl);
  if (auto r = model::check_new_board(meta)) return respond(error(400, r->message));

  const std::string id = access::random_id();
  auto board = ctx.boards.find_or_open(id);
  if (!board) return respond(error(503, "no node serves new boards"));
  AdminRequest a{AdminRequest::Kind::kCreate};
  a.meta = meta;
  a.invite = new_owner_link();
  v1::InviteRecord owner_link = a.invite;
  board->admin(std::move(a), [&ctx, id, name = *name, owner_link, respond = std::move(respond)](AdminResult r) {
    if (r.status >= 300) return respond(error(r.status, r.error));
    json::object out = member_json(ctx.auth.tokens(), id, v1::ROLE_OWNER, name, "");
    out["owner_invite"] = invite_token(ctx.auth.tokens(), id, owner_link);
    out["title"] = r.meta.title();
    out["kind"] = kind_name(r.meta.kind());
    respond(reply(201, std::move(out)));
  });
}

bool has_query_flag(const std::string& query, std::string_view name) {
  std::string_view q = query;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view part = q.substr(0, amp);
    if (part == std::string(name) + "=1" || part == std::string(name) + "=true") return true;
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return false;
}

// API-7: every board, read from the store on the blocking pool (never on a network
// thread); `respond` may be called there. On a node of a cluster, the other nodes'
// boards too, asked from the cluster's own thread (CLUSTER-8), unless ?local=1.
void list_boards(ServerContext& ctx, const ApiRequest& req, std::function<void(ApiResponse)> respond) {
  if (!ctx.auth.is_admin(req.bearer)) return respond(error(403, "listing boards needs the admin token"));
  const bool with_deleted = has_query_flag(req.query, "deleted");
  if (ctx.cluster && !has_query_flag(req.query, "local")) {
    respond = [&ctx, with_deleted, respond = std::move(respond)](ApiResponse local) {
      if (local.status != 200) return respond(std::move(local));
      boost::asio::post(*ctx.cluster_jobs, [&ctx, with_deleted, local = std::move(local.body), respond] {
        respond(cluster_board_list(ctx, local, with_deleted));
      });
    };
  }
  const Board::Deps& deps = ctx.boards.deps();
  boost::asio::post(deps.blocking, [&store = deps.store, with_deleted, respond = std::move(respond)] {
    std::vector<storage::Store::BoardListing> listing;
    Status s = store.list_boards(&listing);
    if (!s.ok()) return respond(error(503, "storage unavailable: " + s.message()));
    json::array boards;
    std::vector<std::pair<std::int64_t, json::object>> rows;
    for (std::size_t i = 0; i < listing.size(); ++i) {
      v1::BoardMeta m;
      if (!m.ParseFromString(listing[i].meta) || (m.deleted() && !with_deleted)) continue;
      rows.emplace_back(m.created_ms(), json::object{{"board_id", m.id()},
                                                     {"title", m.title()},
                                                     {"kind", m.deleted() ? "" : kind_name(m.kind())},
                                                     {"head_seq", listing[i].head_seq},
                                                     {"created_ms", m.created_ms()},
                                                     {"deleted", m.deleted()}});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& r : rows) boards.push_back(std::move(r.second));
    respond(reply(200, {{"boards", std::move(boards)}}));
  });
}

}  // namespace

bool is_api_path(const std::string& path) { return path == "/api/boards" || path.rfind("/api/", 0) == 0; }

void handle_api(ServerContext& ctx, ApiRequest req, std::function<void(ApiResponse)> respond) {
  if (handle_transfer_api(ctx, req, respond)) return;  // export, import, history (http_transfer.hpp)
  if (handle_cluster_api(ctx, req, respond)) return;   // node to node, drain (http_cluster.hpp)
  if (req.path == "/api/boards") {
    if (req.method == "GET") return list_boards(ctx, req, std::move(respond));
    if (req.method != "POST") return respond(error(405, "GET lists boards, POST creates a board"));
    return create_board(ctx, req, std::move(respond));
  }
  std::string id, rest;
  if (!split_board_path(req.path, &id, &rest)) return respond(error(404, "no such API"));
  auto board = ctx.boards.find_or_open(id);
  if (!board) return respond(error(503, "the board is served by another node"));
  const access::TokenCodec& tokens = ctx.auth.tokens();

  if (rest == "/members") {  // API-2: redeem an invite
    if (req.method != "POST") return respond(error(405, "POST redeems an invite"));
    auto body = parse_body(req.body);
    if (!body) return respond(error(400, "the body is a JSON object"));
    auto name = parse_name(*body);
    if (!name) return respond(error(400, "name: 1-64 bytes, no control characters"));
    const json::value* invite = body->if_contains("invite");
    auto claims = invite && invite->is_string() ? ctx.auth.invite(id, std::string_view(invite->as_string())) : std::nullopt;
    if (!claims) return respond(unauthorized());
    AdminRequest a{AdminRequest::Kind::kRedeem};
    a.who = *claims;
    return board->admin(std::move(a), [&tokens, id, name = *name, role = static_cast<v1::Role>(claims->role()),
                                       nonce = claims->nonce(), respond = std::move(respond)](AdminResult r) {
      if (r.status >= 300) return respond(r.status == 401 ? unauthorized() : error(r.status, r.error));
      json::object out = member_json(tokens, id, role, name, nonce);
      out["title"] = r.meta.title();
      out["kind"] = kind_name(r.meta.kind());
      respond(reply(200, std::move(out)));
    });
  }

  auto who = ctx.auth.member_or_admin(id, req.bearer);  // API-7: the admin token acts as owner
  if (!who) return respond(unauthorized());
  AdminRequest a{AdminRequest::Kind::kInfo};
  a.who = *who;
  auto finish = [&tokens, id, respond = std::move(respond)](AdminResult r, int ok_status, std::function<json::object(AdminResult&)> body) {
    if (r.status >= 300) return respond(r.status == 401 ? unauthorized() : error(r.status, r.error));
    respond(reply(ok_status, body(r)));
  };

  if (rest.empty() && req.method == "GET") {  // API-3
    return board->admin(std::move(a), [finish, who = *who](AdminResult r) {
      finish(std::move(r), 200, [&](AdminResult& r) -> json::object {
        return {{"board_id", who.board_id()}, {"title", r.meta.title()}, {"kind", kind_name(r.meta.kind())},
                {"role", access::role_name(static_cast<v1::Role>(who.role()))},
                {"member_id", who.member_id()}, {"name", who.name()}};
      });
    });
  }
  if (rest.empty() && req.method == "PATCH") {  // API-8: rename
    auto body = parse_body(req.body);
    const json::value* title = body ? body->if_contains("title") : nullptr;
    if (!title || !title->is_string()) return finish(AdminResult{400, "the body is {\"title\": \"...\"}"}, 0, {});
    std::string text(title->as_string());
    if (auto r = model::check_title(text)) return finish(AdminResult{400, r->message}, 0, {});
    a.kind = AdminRequest::Kind::kRename;
    a.meta.set_title(text);
    return board->admin(std::move(a), [finish, id](AdminResult r) {
      finish(std::move(r), 200, [&](AdminResult& r) -> json::object {
        return {{"board_id", id}, {"title", r.meta.title()}, {"kind", kind_name(r.meta.kind())}};
      });
    });
  }
  if (rest.empty() && req.method == "DELETE") {  // API-5
    a.kind = AdminRequest::Kind::kDelete;
    return board->admin(std::move(a), [finish](AdminResult r) {
      finish(std::move(r), 200, [](AdminResult&) -> json::object { return {{"deleted", true}}; });
    });
  }
  auto one_invite = [&tokens, id](AdminResult& r) -> json::object {
    return r.invites.empty() ? json::object{} : invite_json(tokens, id, r.invites.front());
  };
  if (rest == "/invites" && req.method == "GET") {  // API-4
    a.kind = AdminRequest::Kind::kListInvites;
    return board->admin(std::move(a), [finish, &tokens, id](AdminResult r) {
      finish(std::move(r), 200, [&](AdminResult& r) -> json::object {
        json::array list;
        for (const auto& inv : r.invites) list.push_back(invite_json(tokens, id, inv));
        return {{"invites", std::move(list)}};
      });
    });
  }
  if (rest == "/invites" && req.method == "POST") {
    auto body = parse_body(req.body);
    if (!body) return finish(AdminResult{400, "the body is a JSON object"}, 0, {});
    const json::value* role = body->if_contains("role");
    auto r = role && role->is_string() ? access::parse_role(std::string_view(role->as_string())) : std::nullopt;
    if (!r) return finish(AdminResult{400, "role is viewer, editor, facilitator or owner"}, 0, {});
    const json::value* expires = body->if_contains("expires_in_s");
    std::int64_t secs = expires && expires->is_int64() ? expires->as_int64() : 0;
    if (secs < 0 || secs > 10LL * 365 * 24 * 3600) return finish(AdminResult{400, "expires_in_s: 0 (never) to ten years"}, 0, {});
    const json::value* label = body->if_contains("label");
    std::string text = label && label->is_string() ? std::string(label->as_string()) : std::string();
    if (text.size() > 200) return finish(AdminResult{400, "label: at most 200 bytes"}, 0, {});
    a.kind = AdminRequest::Kind::kMintInvite;
    a.invite.set_nonce(access::random_id());
    a.invite.set_role(*r);
    a.invite.set_expires_ms(secs ? now_ms() + secs * 1000 : 0);
    a.invite.set_label(text);
    return board->admin(std::move(a), [finish, one_invite](AdminResult r) { finish(std::move(r), 201, one_invite); });
  }
  if (rest.rfind("/invites/", 0) == 0 && req.method == "DELETE") {
    a.kind = AdminRequest::Kind::kRevokeInvite;
    a.invite.set_nonce(rest.substr(9));
    return board->admin(std::move(a), [finish](AdminResult r) {
      finish(std::move(r), 200, [](AdminResult&) -> json::object { return {{"revoked", true}}; });
    });
  }
  finish(AdminResult{405, "no such method on this path"}, 0, {});
}

}  // namespace tandem
