// BoardDirectory: which boards this node serves, and their open Board actors.
//
// Where boards live is the Placement's (placement.hpp): a Board claims its lease
// before it loads, so the directory opens any id and the Board learns whether it
// may serve it. Thread-safe: mu_ guards boards_. A Board is created on
// first use and loads itself lazily, so a restart opens nothing up front.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "board/board_actor.hpp"
#include "board/placement.hpp"

namespace tandem {

class BoardDirectory {
 public:
  BoardDirectory(boost::asio::any_io_executor executor, Board::Deps deps, Placement& placement);

  // The board's actor, opened if needed (it claims the board when it loads).
  std::shared_ptr<Board> find_or_open(const std::string& board_id);
  // The board's actor if it is open; nullptr otherwise.
  std::shared_ptr<Board> find(const std::string& board_id) const;
  // Closes `board` if it is still the open actor of `board_id` (called by an idle board).
  bool erase_if(const std::string& board_id, const Board* board);
  std::size_t open_boards() const;
  // The store and blocking pool the boards use (GET /api/boards reads there, API-7).
  const Board::Deps& deps() const { return deps_; }
  Placement& placement() const { return placement_; }

 private:
  boost::asio::any_io_executor executor_;
  Board::Deps deps_;
  Placement& placement_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Board>> boards_;  // GUARDED_BY(mu_)
};

}  // namespace tandem
