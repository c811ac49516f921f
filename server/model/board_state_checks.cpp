// BoardState: the checks of one field value against its schema (kinds, lengths, references,
// enums, order keys): what create, update and restore share.
#include "board_state.hpp"

#include <cmath>

#include "order_key.hpp"
#include "state_util.hpp"

namespace tandem::model {

using detail::reject;

std::optional<Rejection> BoardState::check_value(const FieldSpec& fs, const v1::Value& v, const std::string& self) const {
  const std::string& name = fs.name;
  if (!value_has_kind(v, fs.kind))
    return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + name + "' takes a " + value_kind_name(fs.kind));
  switch (fs.kind) {
    case ValueKind::kText:
      if (v.text().size() > fs.max_len)
        return reject(v1::REJECT_CODE_TOO_LONG, "field '" + name + "' is longer than " + std::to_string(fs.max_len) + " bytes");
      break;
    case ValueKind::kNumber:
      if (!std::isfinite(v.number())) return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + name + "' must be a finite number");
      break;
    case ValueKind::kTextList:
      if (static_cast<std::size_t>(v.list().items_size()) > fs.max_items)
        return reject(v1::REJECT_CODE_TOO_LONG, "field '" + name + "' holds at most " + std::to_string(fs.max_items) + " items");
      for (const auto& item : v.list().items())
        if (item.size() > fs.max_len)
          return reject(v1::REJECT_CODE_TOO_LONG, "an item of '" + name + "' is longer than " + std::to_string(fs.max_len) + " bytes");
      break;
    case ValueKind::kInteger:
    case ValueKind::kFlag:
      break;
  }
  switch (fs.check) {
    case Check::kNone: break;
    case Check::kRef: {
      const std::string& id = v.text();
      if (id.empty() && !fs.required) break;  // no reference
      if (id == self) return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + name + "' cannot refer to the object itself");
      const Object* o = find(id);
      if (!o) return reject(v1::REJECT_CODE_UNKNOWN_OBJECT, "field '" + name + "': no object " + id);
      if (o->deleted) return reject(v1::REJECT_CODE_DELETED, "field '" + name + "': object " + id + " was deleted");
      if (std::find(fs.ref_types.begin(), fs.ref_types.end(), o->type) == fs.ref_types.end())
        return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + name + "' cannot refer to a " + schema_.type(o->type)->name);
      break;
    }
    case Check::kOrderKey:
      if (v.text().size() > order_key::kMaxLength)
        return reject(v1::REJECT_CODE_TOO_LONG, "order key longer than " + std::to_string(order_key::kMaxLength));
      if (!order_key::valid(v.text())) return reject(v1::REJECT_CODE_BAD_FIELD, "'" + v.text() + "' is not a valid order key");
      break;
    case Check::kEnum:
      if (std::find(fs.enum_values.begin(), fs.enum_values.end(), v.text()) == fs.enum_values.end())
        return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + name + "' cannot be '" + v.text() + "'");
      break;
    case Check::kColumn:
      if (std::find(settings_.columns().begin(), settings_.columns().end(), v.text()) == settings_.columns().end())
        return reject(v1::REJECT_CODE_BAD_FIELD, "'" + v.text() + "' is not a column of this board");
      break;
  }
  return std::nullopt;
}

std::optional<Rejection> BoardState::check_field(const TypeSpec& spec, const v1::Field& f, bool system,
                                                 bool creating) const {
  const FieldSpec* fs = spec.field(f.name());
  if (!fs) return reject(v1::REJECT_CODE_BAD_FIELD, spec.name + " has no field '" + f.name() + "'");
  if (!system) {
    if (fs->access == Access::kServer)
      return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + f.name() + "' is set by the server");
    if (fs->access == Access::kMove && !creating)
      return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + f.name() + "' changes by a move");
    if (fs->access == Access::kCreate && !creating)
      return reject(v1::REJECT_CODE_BAD_FIELD, "field '" + f.name() + "' cannot change");
  }
  return std::nullopt;
}

}  // namespace tandem::model
