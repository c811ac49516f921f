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
  v.reserve(24 + r.member_id.size());
  put_u64be(&v, r.client_seq);
  put_u64be(&v, r.seq);
  v.push_back(2);
  put_varint(&v, r.member_id.size());
  v.append(r.member_id);
  const std::uint64_t floor = std::min(r.floor, r.client_seq);
  put_varint(&v, r.client_seq - floor);
  // Runs from client_seq down to floor: (count, kind[, code]).
  std::string runs;
  std::uint64_t n = 0;
  if (r.client_seq > 0) {
    auto it = r.window.rbegin();
    std::uint64_t count = 0;
    int kind = -1;
    std::uint64_t code = 0;
    auto flush = [&] {
      if (count == 0) return;
      put_varint(&runs, count);
      runs.push_back(static_cast<char>(kind));
      if (kind == 2) put_varint(&runs, code);
      ++n;
    };
    for (std::uint64_t c = r.client_seq;; --c) {
      while (it != r.window.rend() && it->first > c) ++it;
      int k = 0;
      std::uint64_t cd = 0;
      if (it != r.window.rend() && it->first == c) {
        k = static_cast<int>(it->second.kind);
        if (it->second.kind == Outcome::Kind::kRejected) cd = it->second.value;
      }
      if (k == kind && cd == code) {
        ++count;
      } else {
        flush();
        kind = k;
        code = cd;
        count = 1;
      }
      if (c == floor) break;
    }
    flush();
  }
  put_varint(&v, n);
  v.append(runs);
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
  if (!get_varint(&v, &below) || below > r.client_seq || below >= ClientRecord::kWindow || !get_varint(&v, &n))
    return std::nullopt;
  r.floor = std::max<std::uint64_t>(1, r.client_seq - below);
  std::uint64_t c = r.client_seq, covered = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t count = 0, code = 0;
    if (!get_varint(&v, &count) || count == 0 || v.empty()) return std::nullopt;
    auto kind = static_cast<unsigned char>(v.front());
    v.remove_prefix(1);
    if (kind > 2 || (kind == 2 && !get_varint(&v, &code))) return std::nullopt;
    covered += count;
    if (covered > below + 1) return std::nullopt;
    for (std::uint64_t k = 0; k < count; ++k, --c) {
      if (kind == 0) continue;
      Outcome o{static_cast<Outcome::Kind>(kind), kind == 2 ? code : (c == r.client_seq ? r.seq : 0)};
      r.window.insert(r.window.begin(), {c, o});
    }
  }
  if (!v.empty() || (r.client_seq > 0 && covered != below + 1)) return std::nullopt;
  return r;
}

}  // namespace tandem::storage
