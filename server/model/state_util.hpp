// Small helpers shared by the files that implement BoardState (board_state*.cpp,
// facilitation.cpp). Internal to server/model/: not part of the model's interface.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "board_state.hpp"

namespace tandem::model::detail {

inline Rejection reject(v1::RejectCode code, std::string message) { return Rejection{code, std::move(message)}; }

inline v1::Value text_value(std::string_view s) {
  v1::Value v;
  v.set_text(std::string(s));
  return v;
}

}  // namespace tandem::model::detail
