#include "transfer/export_json.hpp"

#include <google/protobuf/util/json_util.h>

namespace tandem::transfer {

std::string to_json(const v1::BoardExport& e, bool pretty) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.add_whitespace = pretty;
  std::string out;
  auto status = google::protobuf::util::MessageToJsonString(e, &out, opts);
  if (!status.ok()) return "{}";  // only for invalid UTF-8, which parsed messages never hold
  return out;
}

std::optional<v1::BoardExport> from_json(std::string_view json, std::string* error) {
  v1::BoardExport e;
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = false;  // a misspelt field is an error the file's author can fix
  auto status = google::protobuf::util::JsonStringToMessage(std::string(json), &e, opts);
  if (!status.ok()) {
    *error = "not a Tandem board export (JSON): " + std::string(status.message());
    return std::nullopt;
  }
  if (e.format() != 0 && e.format() != 1) {
    *error = "export format " + std::to_string(e.format()) + " is newer than this server reads (1)";
    return std::nullopt;
  }
  return e;
}

std::string file_name(std::string_view title, std::string_view ext) {
  std::string name;
  for (char c : title) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
                    c == '-' || c == '_' || c == '.';
    if (name.size() < 100) name.push_back(ok ? c : '_');
  }
  while (!name.empty() && (name.front() == ' ' || name.front() == '.')) name.erase(name.begin());
  while (!name.empty() && (name.back() == ' ' || name.back() == '.')) name.pop_back();
  if (name.empty()) name = "board";
  return name + "." + std::string(ext);
}

}  // namespace tandem::transfer
