// The cluster's HTTP routes: see http_cluster.hpp (SPEC CLUSTER-4, -6, -7).
#include "net/http_cluster.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include "board/board_directory.hpp"
#include "cluster/cluster_placement.hpp"
#include "model/board_state.hpp"
#include "server_context.hpp"

namespace tandem {

namespace json = boost::json;

namespace {

// A drain answers before the command line's 60 s request timeout (cli/remote.cpp).
constexpr std::chrono::milliseconds kDrainDeadline{50000};
// How long a board listing waits for each other node (CLUSTER-8).
constexpr std::chrono::milliseconds kListTimeout{3000};

ApiResponse reply(int status, json::object body) { return ApiResponse{status, json::serialize(body), "application/json", {}}; }
ApiResponse error(int status, std::string message) { return reply(status, {{"error", std::move(message)}}); }
ApiResponse bytes(std::string body) { return ApiResponse{200, std::move(body), "application/x-protobuf", {}}; }

std::optional<std::uint64_t> number(const std::string& s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// The Board's answer of a hand-over step (status, body): 200 carries the body as it is.
using StepDone = std::function<void(int status, std::string body)>;
StepDone step_answer(std::function<void(ApiResponse)> respond, bool shipment) {
  return [respond = std::move(respond), shipment](int status, std::string body) {
    if (status != 200) return respond(error(status, body.empty() ? "refused" : body));
    respond(shipment ? bytes(std::move(body)) : reply(200, {{"done", true}}));
  };
}

// Board::hand_over and Board::handover_done (board_handover.cpp, CLUSTER-4).
void hand_over(Board& board, std::string to, StepDone done) { board.hand_over(std::move(to), std::move(done)); }
void handover_done(Board& board, std::uint64_t epoch, StepDone done) { board.handover_done(epoch, std::move(done)); }

// POST /api/boards/{id}/claim: opens the board here, which claims it (pulling it from
// the node that has it, CLUSTER-4); 200 only when this node serves it now.
void claim(ServerContext& ctx, const std::string& id, const std::string& bearer, std::function<void(ApiResponse)> respond) {
  cluster::ClusterPlacement& node = *ctx.cluster;
  if (node.draining()) return respond(error(503, "this node is draining"));  // CLUSTER-7
  auto who = ctx.auth.member_or_admin(id, bearer);
  if (!who) return respond(error(401, "unauthorized"));
  AdminRequest a{AdminRequest::Kind::kInfo};
  a.who = *who;
  ctx.boards.find_or_open(id)->admin(std::move(a), [&ctx, &node, id, respond = std::move(respond)](AdminResult r) {
    // The admin's claims pass every ready board's check: a refusal means no board (AUTH-2).
    if (r.status == 401) return respond(error(404, "no such board"));
    if (r.status >= 300) return respond(error(503, r.error));
    if (node.draining()) return respond(error(503, "this node is draining"));
    // Its newest logged seq, read off the board's strand.
    boost::asio::post(ctx.boards.deps().blocking, [&ctx, &node, id, respond] {
      storage::HistoryImage h;
      Status s = ctx.boards.deps().store.load_history(id, 0, &h);  // seq 0: the head only
      if (!s.ok()) return respond(error(503, "storage unavailable: " + s.message()));
      respond(reply(200, {{"node", node.node_id()}, {"head_seq", h.head_seq}}));
    });
  });
}

void promote(ServerContext& ctx, const std::string& id, const ApiRequest& req, std::function<void(ApiResponse)> respond) {
  v1::PromoteForward f;
  if (!f.ParseFromString(req.body) || f.source_board().empty() || f.item_id().empty() ||
      (!f.backlog_board().empty() && f.backlog_board() != id))
    return respond(error(400, "the body is a tandem.v1.PromoteForward for this board"));
  ctx.boards.find_or_open(id)->promote_in(promote_request(f), [respond = std::move(respond)](PromoteOutcome o, std::string e) {
    v1::PromoteForwardAnswer a;
    a.set_outcome(o == PromoteOutcome::kCreated   ? v1::PromoteForwardAnswer::OUTCOME_CREATED
                  : o == PromoteOutcome::kRefused ? v1::PromoteForwardAnswer::OUTCOME_REFUSED
                                                  : v1::PromoteForwardAnswer::OUTCOME_RETRY);
    a.set_error(e);
    respond(bytes(a.SerializeAsString()));
  });
}

void drain(ServerContext& ctx, const ApiRequest& req, std::function<void(ApiResponse)> respond) {
  auto q = parse_query(req.query);
  std::chrono::milliseconds deadline = kDrainDeadline;
  if (auto it = q.find("deadline_ms"); it != q.end()) {
    auto n = number(it->second);
    if (!n || *n < 1 || *n > 600000) return respond(error(400, "deadline_ms: 1..600000"));
    deadline = std::chrono::milliseconds(*n);
  }
  // Blocking, and it waits for hand-overs this node serves on its network threads and
  // blocking pool: on a thread of its own (ServerContext::cluster_jobs).
  boost::asio::post(*ctx.cluster_jobs, [&node = *ctx.cluster, deadline, respond = std::move(respond)] {
    cluster::ClusterPlacement::DrainReport r = node.drain(deadline);
    json::array left;
    for (const auto& b : r.left) left.push_back(json::string(b));
    respond(reply(200, {{"node", node.node_id()}, {"moved", r.moved}, {"left", std::move(left)}}));
  });
}

json::object status(ServerContext& ctx) {
  return {{"node", ctx.cluster->node_id()},
          {"draining", ctx.cluster->draining()},
          {"open_boards", ctx.boards.open_boards()}};
}

// "/api/boards/{id}/{rest}" with rest one of the board routes above.
bool board_route(const std::string& path, std::string* id, std::string* rest) {
  constexpr std::string_view kPrefix = "/api/boards/";
  if (!path.starts_with(kPrefix)) return false;
  const auto slash = path.find('/', kPrefix.size());
  if (slash == std::string::npos) return false;
  *rest = path.substr(slash);
  if (*rest != "/handover" && *rest != "/handover/done" && *rest != "/promote" && *rest != "/claim") return false;
  *id = path.substr(kPrefix.size(), slash - kPrefix.size());
  return true;
}

}  // namespace

ApiResponse cluster_board_list(ServerContext& ctx, const std::string& local, bool with_deleted) {
  struct Row {
    std::int64_t created_ms = 0;
    std::uint64_t head_seq = 0;
    json::object value;
  };
  std::map<std::string, Row> rows;  // by board id
  auto add = [&rows](const std::string& node, const std::string& body) {
    boost::system::error_code ec;
    json::value v = json::parse(body, ec);
    const json::value* boards = !ec && v.is_object() ? v.as_object().if_contains("boards") : nullptr;
    if (!boards || !boards->is_array()) return false;
    for (const json::value& b : boards->as_array()) {
      const json::object* o = b.if_object();
      const json::value* id = o ? o->if_contains("board_id") : nullptr;
      if (!id || !id->is_string()) continue;
      Row row{o->contains("created_ms") ? json::value_to<std::int64_t>(o->at("created_ms")) : 0,
              o->contains("head_seq") ? json::value_to<std::uint64_t>(o->at("head_seq")) : 0, *o};
      row.value["node"] = node;
      auto [it, fresh] = rows.try_emplace(std::string(id->as_string()), row);
      if (!fresh && row.head_seq > it->second.head_seq) it->second = std::move(row);
    }
    return true;
  };
  add(ctx.cluster->node_id(), local);
  json::array unreachable;
  const std::string target = with_deleted ? "/api/boards?local=1&deleted=1" : "/api/boards?local=1";
  for (const auto& a : ctx.cluster->ask_other_nodes(target, kListTimeout))
    if (a.status != 200 || !add(a.node, a.body)) unreachable.push_back(json::value(a.node));
  std::vector<Row*> order;
  for (auto& [id, row] : rows) order.push_back(&row);
  std::stable_sort(order.begin(), order.end(), [](const Row* a, const Row* b) { return a->created_ms < b->created_ms; });
  json::array boards;
  for (Row* r : order) boards.push_back(std::move(r->value));
  json::object body{{"boards", std::move(boards)}};
  if (!unreachable.empty()) body["unreachable"] = std::move(unreachable);
  return reply(200, std::move(body));
}

v1::PromoteForward promote_forward(const std::string& backlog_board, const PromoteRequest& req) {
  v1::PromoteForward f;
  f.set_source_board(req.source_board);
  f.set_promote_seq(req.promote_seq);
  f.set_note_id(req.note_id);
  f.set_item_id(req.item_id);
  f.set_title(req.title);
  f.set_has_promoter_invite(req.promoter_invite.has_value());
  if (req.promoter_invite) f.set_promoter_invite(*req.promoter_invite);
  f.set_backlog_board(backlog_board);
  return f;
}

PromoteRequest promote_request(const v1::PromoteForward& f) {
  PromoteRequest r;
  r.source_board = f.source_board();
  r.promote_seq = f.promote_seq();
  r.note_id = f.note_id();
  r.item_id = f.item_id();
  r.title = f.title();
  if (f.has_promoter_invite()) r.promoter_invite = f.promoter_invite();
  return r;
}

bool handle_cluster_api(ServerContext& ctx, const ApiRequest& req, std::function<void(ApiResponse)>& respond) {
  std::string id, rest;
  const bool cluster_path = req.path == "/api/cluster" || req.path == "/api/cluster/drain" || req.path == "/api/cluster/undrain";
  if (!cluster_path && !board_route(req.path, &id, &rest)) return false;
  auto answer = std::move(respond);
  if (!cluster_path && !model::valid_id(id)) {
    answer(error(404, "no such API"));
    return true;
  }
  const bool get = req.path == "/api/cluster";
  if (req.method != (get ? "GET" : "POST")) {
    answer(error(405, get ? "GET only" : "POST only"));
    return true;
  }
  // Node to node and operator only: the admin token, never a member's (CLUSTER-4).
  if (!ctx.auth.is_admin(req.bearer)) {
    answer(error(401, "unauthorized"));
    return true;
  }
  if (!ctx.cluster) {
    answer(error(409, "not clustered: this server runs alone (no --redis)"));
    return true;
  }
  auto q = parse_query(req.query);
  if (req.path == "/api/cluster") answer(reply(200, status(ctx)));
  else if (req.path == "/api/cluster/drain") drain(ctx, req, std::move(answer));
  else if (req.path == "/api/cluster/undrain") {
    ctx.cluster->set_draining(false);
    answer(reply(200, status(ctx)));
  } else if (rest == "/claim") claim(ctx, id, req.bearer, std::move(answer));
  else if (rest == "/promote") promote(ctx, id, req, std::move(answer));
  else if (rest == "/handover") {
    const std::string to = q.count("to") ? q["to"] : "";
    if (to.empty()) answer(error(400, "to=NODE: the node taking the board"));
    else hand_over(*ctx.boards.find_or_open(id), to, step_answer(std::move(answer), true));
  } else {  // /handover/done
    auto epoch = q.count("epoch") ? number(q["epoch"]) : std::nullopt;
    auto board = ctx.boards.find(id);  // only the board being handed over: never load it for this
    if (!epoch) answer(error(400, "epoch=N: the new owner's lease epoch"));
    else if (!board) answer(error(409, "the board is not being handed over here"));
    else handover_done(*board, *epoch, step_answer(std::move(answer), false));
  }
  return true;
}

}  // namespace tandem
