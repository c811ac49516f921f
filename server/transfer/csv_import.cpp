#include "transfer/csv_import.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include "model/board_state.hpp"
#include "model/order_key.hpp"
#include "transfer/csv.hpp"

namespace tandem::transfer {

namespace {

constexpr std::size_t kMaxColumns = 12;  // a board's columns (UpdateBoard)

std::string lower_trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out;
  for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

// The backlog field a header names: Tandem's names and Jira's ("" = none).
std::string target_of(const std::string& header) {
  static const std::map<std::string, std::string, std::less<>> kNames = {
      {"id", "id"},
      {"issue key", "id"},
      {"key", "id"},
      {"title", "title"},
      {"summary", "title"},
      {"description", "description"},
      {"status", "status"},
      {"estimate", "estimate"},
      {"story points", "estimate"},
      {"story point estimate", "estimate"},
      {"custom field (story points)", "estimate"},
      {"custom field (story point estimate)", "estimate"},
      {"assignee", "assignee"},
      {"tags", "tags"},
      {"labels", "tags"},
      {"label", "tags"},
  };
  auto it = kNames.find(header);
  return it == kNames.end() ? std::string() : it->second;
}

v1::Field text_field(const std::string& name, std::string value) {
  v1::Field f;
  f.set_name(name);
  f.mutable_value()->set_text(std::move(value));
  return f;
}

}  // namespace

std::optional<CsvImport> backlog_from_csv(std::string_view text, std::string* error) {
  auto rows = parse_csv(text, error);
  if (!rows) return std::nullopt;
  if (rows->empty()) {
    *error = "the file is empty: a header row names the columns (title, status, ... or Jira's Summary, Status, ...)";
    return std::nullopt;
  }
  const std::vector<std::string>& header = rows->front();
  CsvImport out;
  std::vector<std::string> target(header.size());
  std::set<std::string> mapped, skipped_seen;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string t = target_of(lower_trim(header[i]));
    // A field maps from its first column only; tags take every Labels column (Jira repeats it).
    if (!t.empty() && (t == "tags" || mapped.insert(t).second)) {
      target[i] = t;
      mapped.insert(t);
    } else if (skipped_seen.insert(header[i]).second) {
      out.skipped_columns.push_back(header[i]);
    }
  }
  if (!mapped.count("title")) {
    *error = "no title column: the header needs \"title\" (or Jira's \"Summary\")";
    return std::nullopt;
  }

  v1::BoardSnapshot* snap = out.board.mutable_snapshot();
  out.board.mutable_meta()->set_kind(v1::BOARD_KIND_BACKLOG);
  out.board.set_format(1);
  std::vector<std::string> statuses;  // in order of first appearance
  std::set<std::string> ids;
  std::string last_key;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    const std::string where = "row " + std::to_string(r + 1);
    std::map<std::string, std::string> values;
    std::vector<std::string> tags;
    for (std::size_t i = 0; i < row.size() && i < target.size(); ++i) {
      if (target[i].empty()) continue;
      std::string v = target[i] == "description" ? row[i] : trim(row[i]);
      if (target[i] == "tags") {
        // A Tandem CSV joins tags with ';', Jira repeats the column.
        std::size_t start = 0;
        while (start <= v.size()) {
          std::size_t end = v.find(';', start);
          if (end == std::string::npos) end = v.size();
          std::string tag = trim(v.substr(start, end - start));
          if (!tag.empty() && std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
          start = end + 1;
        }
      } else {
        values[target[i]] = std::move(v);
      }
    }
    if (values.count("title") == 0 || values["title"].empty()) {
      bool blank = tags.empty();
      for (const auto& [k, v] : values) blank = blank && v.empty();
      if (blank) continue;  // an empty line of a spreadsheet
      *error = where + ": no title";
      return std::nullopt;
    }
    std::string id = values["id"];
    if (id.empty() || !model::valid_id(id) || ids.count(id)) id = "item-" + std::to_string(r);
    while (ids.count(id)) id += "x";
    ids.insert(id);
    v1::ObjectState* o = snap->add_objects();
    o->set_id(id);
    o->set_type(v1::OBJECT_TYPE_BACKLOG_ITEM);
    *o->add_fields() = text_field("title", values["title"]);
    if (!values["description"].empty()) *o->add_fields() = text_field("description", values["description"]);
    if (!values["assignee"].empty()) *o->add_fields() = text_field("assignee", values["assignee"]);
    if (const std::string& s = values["status"]; !s.empty()) {
      *o->add_fields() = text_field("status", s);
      if (std::find(statuses.begin(), statuses.end(), s) == statuses.end()) statuses.push_back(s);
    }
    if (const std::string& est = values["estimate"]; !est.empty()) {
      double d = 0;
      auto res = std::from_chars(est.data(), est.data() + est.size(), d);
      if (res.ec != std::errc() || res.ptr != est.data() + est.size()) {
        *error = where + ": estimate \"" + est + "\" is not a number";
        return std::nullopt;
      }
      v1::Field f;
      f.set_name("estimate");
      f.mutable_value()->set_number(d);
      *o->add_fields() = std::move(f);
    }
    if (!tags.empty()) {
      v1::Field f;
      f.set_name("tags");
      for (auto& t : tags) f.mutable_value()->mutable_list()->add_items(std::move(t));
      *o->add_fields() = std::move(f);
    }
    // Rows keep the file's order: each a key after the one before (ORDER-1).
    last_key = *model::order_key::between(last_key.empty() ? std::nullopt : std::optional<std::string_view>(last_key),
                                          std::nullopt);
    *o->add_fields() = text_field("order", last_key);
  }
  // The columns: the defaults when every status is one of them, else the file's statuses.
  std::vector<std::string> columns = model::default_columns();
  const bool all_default = std::all_of(statuses.begin(), statuses.end(), [&](const std::string& s) {
    return std::find(columns.begin(), columns.end(), s) != columns.end();
  });
  if (!all_default) columns = statuses;
  if (columns.size() > kMaxColumns) {
    *error = "the file has " + std::to_string(columns.size()) + " statuses; a backlog has at most " +
             std::to_string(kMaxColumns) + " columns";
    return std::nullopt;
  }
  for (const auto& c : columns) snap->mutable_settings()->add_columns(c);
  // Objects sorted by id, as in every snapshot.
  std::sort(snap->mutable_objects()->begin(), snap->mutable_objects()->end(),
            [](const v1::ObjectState& a, const v1::ObjectState& b) { return a.id() < b.id(); });
  return out;
}

}  // namespace tandem::transfer
