#include "client_record.hpp"

#include <algorithm>

#include "keys.hpp"

namespace tandem::storage {

namespace {

void put_varint(std::string* out, std::uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool get_varint(std::string_view* in, std::uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    auto b = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    *v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

}  // namespace

const Outcome* ClientRecord::find(std::uint64_t cseq) const {
  auto it = std::lower_bound(window.begin(), window.end(), cseq,
                             [](const auto& e, std::uint64_t c) { return e.first < c; });
  return it != window.end() && it->first == cseq ? &it->second : nullptr;
}

void ClientRecord::record(std::uint64_t cseq, Outcome outcome) {
  auto it = std::lower_bound(window.begin(), window.end(), cseq,
                             [](const auto& e, std::uint64_t c) { return e.first < c; });
  window.insert(it, {cseq, outcome});
  if (cseq > client_seq) client_seq = cseq;
  if (outcome.kind == Outcome::Kind::kApplied && window.back().first == cseq) seq = outcome.value;
  const std::uint64_t lowest = client_seq >= kWindow ? client_seq - kWindow + 1 : 1;
  floor = std::max(floor, lowest);
  while (!window.empty() && window.front().first < floor) window.erase(window.begin());
}

std::string encode_client_record(const ClientRecord& r) {
  std::string v;
  v.reserve(32 + r.member_id.size() + 4 * r.window.size());
  put_u64be(&v, r.client_seq);
  put_u64be(&v, r.seq);
  v.push_back(2);
  put_varint(&v, r.member_id.size());
  v.append(r.member_id);
  put_varint(&v, r.client_seq - std::min(r.floor, r.client_seq));
  put_varint(&v, r.window.size());
  for (auto it = r.window.rbegin(); it != r.window.rend(); ++it) {
    put_varint(&v, r.client_seq - it->first);
    v.push_back(static_cast<char>(it->second.kind));
    put_varint(&v, it->second.value);
  }
  return v;
}

std::optional<ClientRecord> decode_client_record(std::string_view v) {
  if (v.size() < 16) return std::nullopt;
  ClientRecord r;
  r.client_seq = get_u64be(v);
  r.seq = get_u64be(v.substr(8));
  v.remove_prefix(16);
  if (v.empty()) {  // a record from before the window
    r.floor = std::max<std::uint64_t>(1, r.client_seq);
    if (r.client_seq) r.window.push_back({r.client_seq, {Outcome::Kind::kApplied, r.seq}});
    return r;
  }
  if (v.front() != 2) return std::nullopt;
  v.remove_prefix(1);
  std::uint64_t len = 0, below = 0, n = 0;
  if (!get_varint(&v, &len) || len > v.size()) return std::nullopt;
  r.member_id = std::string(v.substr(0, len));
  v.remove_prefix(len);
  if (!get_varint(&v, &below) || below > r.client_seq || !get_varint(&v, &n) || n > ClientRecord::kWindow)
    return std::nullopt;
  r.floor = std::max<std::uint64_t>(1, r.client_seq - below);
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t back = 0, value = 0;
    if (!get_varint(&v, &back) || back > r.client_seq || v.empty()) return std::nullopt;
    auto kind = static_cast<unsigned char>(v.front());
    v.remove_prefix(1);
    if ((kind != 1 && kind != 2) || !get_varint(&v, &value)) return std::nullopt;
    r.window.insert(r.window.begin(), {r.client_seq - back, Outcome{static_cast<Outcome::Kind>(kind), value}});
  }
  if (!v.empty() || !std::is_sorted(r.window.begin(), r.window.end(),
                                    [](const auto& a, const auto& b) { return a.first < b.first; }))
    return std::nullopt;
  return r;
}

}  // namespace tandem::storage
