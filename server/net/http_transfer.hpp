// Export, import and history over HTTP (issue 13; protocol/SPEC.md EXPORT-*):
//   GET  /api/boards/{id}/export?format=json|markdown|csv[&log=1]
//   POST /api/boards/import?format=json|csv            (a new board, as API-1 answers)
//   GET  /api/boards/{id}/history[?seq=N | ?at=MS]     (BoardExport JSON of a past state)
//   POST /api/boards/{id}/restore {"seq", "title"}     (a new board from a past state)
// Free of Beast, like http_api.hpp.
#pragma once

#include <functional>

#include "net/http_api.hpp"

namespace tandem {

// True when `req` is one of the paths above: `respond` was then taken and will be called.
bool handle_transfer_api(ServerContext& ctx, const ApiRequest& req, std::function<void(ApiResponse)>& respond);

}  // namespace tandem
