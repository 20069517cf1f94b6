// What every harness shares: the input as text, splitting it into the parts a harness reads,
// and the invariant check that turns a broken promise into a crash libFuzzer reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace switchboard::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// A promise of the code under test that the input broke: report it and abort, which libFuzzer
// (and the replay test) counts as a crash.
inline void check(bool holds, const char* promise) {
    if (!holds) {
        std::fprintf(stderr, "fuzz: broken promise: %s\n", promise);
        std::abort();
    }
}

// `text` cut at each `separator`, at most `max_parts` parts (the last one keeps the rest).
// The seeds are text files whose parts are separated this way, so they stay readable.
inline std::vector<std::string_view> split(std::string_view text, std::string_view separator,
                                           std::size_t max_parts) {
    std::vector<std::string_view> parts;
    while (parts.size() + 1 < max_parts) {
        const auto at = text.find(separator);
        if (at == std::string_view::npos) {
            break;
        }
        parts.push_back(text.substr(0, at));
        text.remove_prefix(at + separator.size());
    }
    parts.push_back(text);
    return parts;
}

} // namespace switchboard::fuzz
