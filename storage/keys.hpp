// Column families and the key codec of Tandem's RocksDB database.
//
// Storage owns this list and this byte layout; nothing outside storage/ builds keys.
// All integers are fixed-width big-endian so that RocksDB's bytewise order is the
// natural order (a board's ops sort by seq). Pure functions, thread-safe.
//
// Key layout (never change: on disk):
//
//   boards     key := board_id
//              val := BoardMeta (protobuf)
//   ops        key := board_prefix u64be(seq)
//              val := SequencedChange (protobuf)
//   snapshots  key := board_prefix u64be(seq)
//              val := BoardSnapshot (protobuf)
//   clients    key := board_prefix client_id
//              val := ClientRecord (client_record.hpp)
//   invites    key := board_prefix nonce
//              val := InviteRecord (protobuf)
//
//   default    key := "fence" board_prefix
//              val := u64be(lease epoch) of the newest log batch (CLUSTER-3; clustered only)
//
//   board_prefix := u8(len(board_id)) board_id      (board ids are 1..64 bytes)
//
// The length byte makes one board's prefix never a prefix of another board's keys.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tandem::storage {

// Never change the numbers or names: they are on disk.
enum class Cf : int { kDefault = 0, kBoards = 1, kOps = 2, kSnapshots = 3, kClients = 4, kInvites = 5 };
inline constexpr int kCfCount = 6;
inline constexpr std::array<const char*, kCfCount> kCfNames = {"default", "boards",  "ops",
                                                              "snapshots", "clients", "invites"};

inline constexpr std::size_t kMaxBoardIdBytes = 64;

void put_u64be(std::string* out, std::uint64_t v);
std::uint64_t get_u64be(std::string_view in);  // in.size() >= 8

std::string board_prefix(std::string_view board_id);
std::string board_key(std::string_view board_id);
std::string seq_key(std::string_view board_id, std::uint64_t seq);  // ops and snapshots
std::string client_key(std::string_view board_id, std::string_view client_id);
std::string invite_key(std::string_view board_id, std::string_view nonce);
// The key of a board's fence record in the default column family (CLUSTER-3).
std::string fence_key(std::string_view board_id);
// The smallest key after every key of `board_id` in ops, snapshots, clients and
// invites: [board_prefix, board_end) holds exactly the board's keys.
std::string board_end(std::string_view board_id);

// Parses a key made by seq_key; nullopt when it is not one of `board_id`.
std::optional<std::uint64_t> parse_seq_key(std::string_view key, std::string_view board_id);
// Parses a key made by client_key or invite_key; nullopt when it is not one of `board_id`.
std::optional<std::string> parse_client_key(std::string_view key, std::string_view board_id);

}  // namespace tandem::storage
