// Templates: the ready layouts a new discovery board can start from (DESIGN
// section 1). A template is a list of ops the server logs as the board's first
// change (seq 1, a system change), so clients need no template code.
// Pure; thread-safe.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include "tandem/v1/board.pb.h"

namespace tandem::model {

// The ops that lay out template `t`; empty for BOARD_TEMPLATE_UNSPECIFIED.
google::protobuf::RepeatedPtrField<v1::Op> template_ops(v1::BoardTemplate t);

}  // namespace tandem::model
