// The Markdown summary of a discovery board (protocol/SPEC.md EXPORT-3): title and
// date; groups (lanes) with their notes, most voted first, ungrouped notes last; the
// results of each closed voting session; experiments with their result; comments under
// what they comment. Text is escaped so that nothing a member typed becomes markup.
// Pure: the same export gives the same text.
#pragma once

#include <string>
#include <string_view>

#include "tandem/v1/board.pb.h"

namespace tandem::transfer {

std::string discovery_markdown(const v1::BoardExport& e);

// `text` as inline Markdown: one line, Markdown's special characters backslash-escaped.
std::string md_escape(std::string_view text);

// "2026-11-27 15:00 UTC" for unix milliseconds.
std::string utc_time(std::int64_t ms);

}  // namespace tandem::transfer
