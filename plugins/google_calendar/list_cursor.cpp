#include "plugins/google_calendar/list_cursor.hpp"

#include <charconv>
#include <system_error>

namespace switchboard::plugins::google_calendar {
namespace {

constexpr std::string_view prefix = "gc1.";

constexpr std::uint64_t fnv_offset = 14695981039346656037ull;
constexpr std::uint64_t fnv_prime = 1099511628211ull;

void mix(std::uint64_t& hash, std::string_view bytes) {
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= fnv_prime;
    }
}

// Each field with its length first, so ("ab","c") and ("a","bc") differ.
void mix_field(std::uint64_t& hash, std::string_view field) {
    mix(hash, std::to_string(field.size()));
    mix(hash, ":");
    mix(hash, field);
}

std::string hex16(std::uint64_t value) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = digits[value & 0xF];
        value >>= 4;
    }
    return out;
}

// The text up to the next '.', advancing `rest` past it.
std::optional<std::string_view> take_part(std::string_view& rest) {
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    const std::string_view part = rest.substr(0, dot);
    rest.remove_prefix(dot + 1);
    return part;
}

template <class T>
std::optional<T> decimal(std::string_view text) {
    if (text.empty() || text.size() > 9 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

} // namespace

std::uint64_t list_query_fingerprint(std::string_view calendar_id, std::string_view time_min,
                                     std::string_view time_max, std::string_view query) {
    std::uint64_t hash = fnv_offset;
    mix_field(hash, calendar_id);
    mix_field(hash, time_min);
    mix_field(hash, time_max);
    mix_field(hash, query);
    return hash;
}

std::string encode_list_cursor(const ListCursor& cursor, std::uint64_t fingerprint) {
    std::string out(prefix);
    out += std::to_string(cursor.page_size);
    out += '.';
    out += std::to_string(cursor.skip);
    out += '.';
    out += hex16(fingerprint);
    out += '.';
    out += cursor.provider_page_token;
    return out;
}

DecodedCursor decode_list_cursor(std::string_view token, std::uint64_t fingerprint) {
    DecodedCursor out;
    if (!token.starts_with(prefix)) return out;
    std::string_view rest = token.substr(prefix.size());
    const auto size_text = take_part(rest);
    const auto skip_text = take_part(rest);
    const auto fingerprint_text = take_part(rest);
    if (!size_text || !skip_text || !fingerprint_text) return out;
    const auto page_size = decimal<int>(*size_text);
    const auto skip = decimal<std::size_t>(*skip_text);
    // skip may exceed the page size only if Google answered with more events than asked for;
    // the provider's page limit bounds it all the same.
    if (!page_size || *page_size < 1 || *page_size > 2500 || !skip || *skip > 2500 ||
        fingerprint_text->size() != 16) {
        return out;
    }
    // `rest` is Google's page token, taken whole; it is never empty except on the first page.
    if (rest.empty() && *skip == 0) return out; // such a token is never written: not ours
    if (*fingerprint_text != hex16(fingerprint)) {
        out.problem = CursorProblem::other_query;
        return out;
    }
    ListCursor cursor;
    cursor.page_size = *page_size;
    cursor.skip = *skip;
    cursor.provider_page_token = std::string(rest);
    out.cursor = std::move(cursor);
    return out;
}

} // namespace switchboard::plugins::google_calendar
