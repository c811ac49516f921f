#include "transfer/csv.hpp"

#include <algorithm>
#include <charconv>

#include "transfer/object_fields.hpp"

namespace tandem::transfer {

namespace {

std::string number_text(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest form that reads back equal
  return std::string(buf, r.ptr);
}

bool valid_utf8(std::string_view s, std::size_t* bad_at) {
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return *bad_at = i, false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return *bad_at = i, false;
    i += n;
  }
  return true;
}

}  // namespace

const std::vector<std::string>& backlog_csv_columns() {
  static const std::vector<std::string> kColumns = {"id", "title", "status", "estimate", "assignee", "tags", "description"};
  return kColumns;
}

std::string csv_field(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string backlog_csv(const v1::BoardExport& e) {
  std::vector<const v1::ObjectState*> items;
  for (const v1::ObjectState& o : e.snapshot().objects())
    if (live(o) && o.type() == v1::OBJECT_TYPE_BACKLOG_ITEM) items.push_back(&o);
  std::stable_sort(items.begin(), items.end(), [](const v1::ObjectState* a, const v1::ObjectState* b) {
    const std::string ka = text(*a, "order"), kb = text(*b, "order");
    if (ka.empty() != kb.empty()) return kb.empty();
    return ka != kb ? ka < kb : a->id() < b->id();
  });
  std::string out;
  const auto& cols = backlog_csv_columns();
  for (std::size_t i = 0; i < cols.size(); ++i) out += (i ? "," : "") + cols[i];
  out += "\r\n";
  for (const v1::ObjectState* o : items) {
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (i) out += ",";
      if (cols[i] == "id") {
        out += csv_field(o->id());
        continue;
      }
      const v1::Value* v = field(*o, cols[i]);
      if (!v) continue;
      switch (v->kind_case()) {
        case v1::Value::kText: out += csv_field(v->text()); break;
        case v1::Value::kNumber: out += number_text(v->number()); break;
        case v1::Value::kInteger: out += std::to_string(v->integer()); break;
        case v1::Value::kFlag: out += v->flag() ? "true" : "false"; break;
        case v1::Value::kList: {
          std::string joined;
          for (int k = 0; k < v->list().items_size(); ++k) joined += (k ? "; " : "") + v->list().items(k);
          out += csv_field(joined);
          break;
        }
        default: break;
      }
    }
    out += "\r\n";
  }
  return out;
}

std::optional<CsvRows> parse_csv(std::string_view in, std::string* error) {
  if (in.substr(0, 3) == "\xEF\xBB\xBF") in.remove_prefix(3);
  std::size_t bad = 0;
  if (!valid_utf8(in, &bad)) {
    *error = "the file is not UTF-8 text (byte " + std::to_string(bad) + "): save it as CSV UTF-8";
    return std::nullopt;
  }
  CsvRows rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, was_quoted = false;
  std::size_t line = 1, quote_line = 0;
  auto end_cell = [&] {
    row.push_back(std::move(cell));
    cell.clear();
    was_quoted = false;
  };
  auto end_row = [&] {
    end_cell();
    const bool blank = row.size() == 1 && row[0].empty();
    if (!blank) rows.push_back(std::move(row));
    row.clear();
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < in.size() && in[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
      continue;
    }
    if (c == '"' && cell.empty() && !was_quoted) {
      quoted = was_quoted = true;
      quote_line = line;
    } else if (c == ',') {
      end_cell();
    } else if (c == '\r' && i + 1 < in.size() && in[i + 1] == '\n') {
      continue;  // the LF ends the row
    } else if (c == '\n') {
      end_row();
      ++line;
    } else {
      cell.push_back(c);  // lenient: a quote inside an unquoted field is kept
    }
  }
  if (quoted) {
    *error = "a quoted field opened on line " + std::to_string(quote_line) + " is never closed";
    return std::nullopt;
  }
  if (!cell.empty() || !row.empty()) end_row();
  return rows;
}

}  // namespace tandem::transfer
