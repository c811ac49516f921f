// The cluster's HTTP routes (issue 14, protocol/SPEC.md CLUSTER-*, docs/CLUSTER.md):
// node to node, and the drain. Every one takes the admin token only (the nodes of a
// cluster share one secret, so it is valid on each); anything else is 401, a member
// token included. On a single node each answers 409 "not clustered".
//   POST /api/boards/{id}/handover?to=NODE      the board's whole stored state, as
//                                               v1::BoardShipment bytes (CLUSTER-4)
//   POST /api/boards/{id}/handover/done?epoch=E the new owner has it: wipe it here
//   POST /api/boards/{id}/promote               v1::PromoteForward -> v1::PromoteForwardAnswer (CLUSTER-6)
//   POST /api/boards/{id}/claim                 serve the board here (pulls it): 200
//                                               {"node", "head_seq"}; 503 not now; 404 none (CLUSTER-7)
//   POST /api/cluster/drain[?deadline_ms=N]     hand every board over: {"node", "moved", "left"}
//   POST /api/cluster/undrain                   take boards again
//   GET  /api/cluster                           {"node", "draining", "open_boards"}
// Free of Beast, like http_api.hpp.
#pragma once

#include <functional>
#include <string>

#include "board/promote_outbox.hpp"
#include "net/http_api.hpp"
#include "tandem/v1/cluster.pb.h"

namespace tandem {

// True when `req` is one of the paths above: `respond` was then taken and will be called.
bool handle_cluster_api(ServerContext& ctx, const ApiRequest& req, std::function<void(ApiResponse)>& respond);

// API-7 on a node of a cluster (CLUSTER-8): `local`, this node's answer
// ({"boards": [...]}), with every other live node's (asked with ?local=1), each row
// naming its "node"; a board on two nodes (a move not yet finished) once, from the one
// further ahead. Nodes that did not answer are listed in "unreachable". Blocking: never
// on a network thread.
ApiResponse cluster_board_list(ServerContext& ctx, const std::string& local, bool with_deleted);

// A promote as it travels between nodes (CLUSTER-6), and back.
v1::PromoteForward promote_forward(const std::string& backlog_board, const PromoteRequest& req);
PromoteRequest promote_request(const v1::PromoteForward& f);

}  // namespace tandem
