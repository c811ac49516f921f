#include "board/board_directory.hpp"

namespace tandem {

BoardDirectory::BoardDirectory(boost::asio::any_io_executor executor, Board::Deps deps,
                               Placement& placement)
    : executor_(std::move(executor)), deps_(deps), placement_(placement) {
  deps_.directory = this;
  deps_.placement = &placement;
}

std::shared_ptr<Board> BoardDirectory::find_or_open(const std::string& board_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = boards_[board_id];
  if (!slot) slot = std::make_shared<Board>(board_id, executor_, deps_);
  return slot;
}

std::shared_ptr<Board> BoardDirectory::find(const std::string& board_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = boards_.find(board_id);
  return it == boards_.end() ? nullptr : it->second;
}

bool BoardDirectory::erase_if(const std::string& board_id, const Board* board) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = boards_.find(board_id);
  if (it == boards_.end() || it->second.get() != board) return false;
  boards_.erase(it);
  return true;
}

std::size_t BoardDirectory::open_boards() const {
  std::lock_guard<std::mutex> lock(mu_);
  return boards_.size();
}

}  // namespace tandem
