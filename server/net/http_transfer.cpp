#include "net/http_transfer.hpp"

namespace tandem {

bool handle_transfer_api(ServerContext&, const ApiRequest&, std::function<void(ApiResponse)>&) { return false; }

}  // namespace tandem
