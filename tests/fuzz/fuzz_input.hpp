// The record format of the fuzz targets' inputs, shared with the seed generator
// (make_seeds.cpp): a sequence of records, each one flag byte, a 16-bit little-endian
// length and that many bytes (a serialized protobuf message, or anything). A record cut
// short by the end of the input ends the sequence. Plain bytes rather than
// FuzzedDataProvider so that seeds can be written from real messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tandem::fuzz {

struct Record {
  std::uint8_t flags = 0;
  std::string_view bytes;
};

class RecordReader {
 public:
  RecordReader(const std::uint8_t* data, std::size_t size)
      : data_(reinterpret_cast<const char*>(data)), size_(size) {}
  // The next record; false at the end.
  bool next(Record* r) {
    if (size_ - pos_ < 3) return false;
    r->flags = static_cast<std::uint8_t>(data_[pos_]);
    const std::size_t len = static_cast<std::uint8_t>(data_[pos_ + 1]) |
                            (static_cast<std::size_t>(static_cast<std::uint8_t>(data_[pos_ + 2])) << 8);
    pos_ += 3;
    if (size_ - pos_ < len) return false;
    r->bytes = std::string_view(data_ + pos_, len);
    pos_ += len;
    return true;
  }

 private:
  const char* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// Appends one record (the seed generator's side); bytes past 65535 are cut.
inline void append_record(std::string* out, std::uint8_t flags, std::string_view bytes) {
  const std::size_t len = bytes.size() > 0xffff ? 0xffff : bytes.size();
  out->push_back(static_cast<char>(flags));
  out->push_back(static_cast<char>(len & 0xff));
  out->push_back(static_cast<char>(len >> 8));
  out->append(bytes.substr(0, len));
}

}  // namespace tandem::fuzz
