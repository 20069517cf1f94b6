// switchboard/params.hpp — reading an action's params, with named options.
//
// The host validates params against the category schema before the plugin runs; a plugin
// still refuses, defensively, anything it could not use (a host bug or a newer contract must
// not make it send a malformed request or crash). Params does that in one way for every
// plugin:
//
//     sdk::Params params(params_json);
//     const auto id = params.string("calendar_id", {.required = true, .max_length = 1024});
//     const auto max = params.integer("max_results", {.min = 1, .max = 250});
//     const auto start = params.time("/start/date_time", {.required = true});
//     if (!params.ok()) return params.error();
//
// Each reader takes a member name of the params object ("calendar_id") or a JSON Pointer
// into it ("/start/date_time", "/attendees/0/email"), and returns nullopt (or nullptr) when
// the value is absent or unusable. JSON null counts as absent. The first problem is kept:
// error() is then the SB_STATUS_INVALID_INPUT Outcome with code "invalid_params", a message
// naming the field, and "field" set to the field's JSON Pointer.
//
// Header-only; uses nlohmann/json (Debian nlohmann-json3-dev): link nlohmann_json::nlohmann_json.
#pragma once

#include "switchboard/outcome.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::sdk {

// The options of each reader, named at the call: {.required = true, .max_length = 1024}.
struct StringOptions {
    bool required = false;
    // Lengths in Unicode code points, as JSON Schema counts them.
    std::size_t min_length = 0;
    std::size_t max_length = std::numeric_limits<std::size_t>::max();
};
struct IntegerOptions {
    bool required = false;
    std::int64_t min = std::numeric_limits<std::int64_t>::min();
    std::int64_t max = std::numeric_limits<std::int64_t>::max();
};
struct NumberOptions {
    bool required = false;
    double min = -std::numeric_limits<double>::max();
    double max = std::numeric_limits<double>::max();
};
struct BooleanOptions {
    bool required = false;
};
struct TimeOptions {
    bool required = false;
};
struct ObjectOptions {
    bool required = false;
};
struct ArrayOptions {
    bool required = false;
    std::size_t min_items = 0;
    std::size_t max_items = std::numeric_limits<std::size_t>::max();
};
struct StringListOptions {
    bool required = false;
    std::size_t min_items = 0;
    std::size_t max_items = std::numeric_limits<std::size_t>::max();
    // Each item's length, in code points.
    std::size_t min_length = 0;
    std::size_t max_length = std::numeric_limits<std::size_t>::max();
    // Refuse an item given twice.
    bool unique = false;
};

// Checks of the value's shape, usable on their own.
namespace params_syntax {

// Unicode code points in a UTF-8 string.
inline std::size_t code_points(std::string_view text) noexcept {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

inline bool digits(std::string_view text, std::size_t from, std::size_t count) noexcept {
    if (text.size() < from + count) return false;
    for (std::size_t i = from; i < from + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
    }
    return true;
}

inline int number_at(std::string_view text, std::size_t from, std::size_t count) noexcept {
    int n = 0;
    for (std::size_t i = from; i < from + count; ++i) n = n * 10 + (text[i] - '0');
    return n;
}

// An RFC 3339 date-time with its offset: 2026-03-01T09:30:00Z, 2026-03-01T09:30:00.5+01:00.
inline bool is_rfc3339_date_time(std::string_view t) noexcept {
    if (!digits(t, 0, 4) || t.size() < 20 || t[4] != '-' || !digits(t, 5, 2) || t[7] != '-' ||
        !digits(t, 8, 2) || (t[10] != 'T' && t[10] != 't') || !digits(t, 11, 2) || t[13] != ':' ||
        !digits(t, 14, 2) || t[16] != ':' || !digits(t, 17, 2)) {
        return false;
    }
    const int year = number_at(t, 0, 4);
    const int month = number_at(t, 5, 2);
    const int day = number_at(t, 8, 2);
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    constexpr int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 ||
        day > days_in_month[month - 1] + (month == 2 && leap ? 1 : 0)) {
        return false;
    }
    // Second 60: a leap second, which RFC 3339 admits.
    if (number_at(t, 11, 2) > 23 || number_at(t, 14, 2) > 59 || number_at(t, 17, 2) > 60) {
        return false;
    }
    std::size_t i = 19;
    if (i < t.size() && t[i] == '.') {
        const std::size_t first = ++i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
        if (i == first) return false;
    }
    if (i == t.size()) return false;
    if (t[i] == 'Z' || t[i] == 'z') return i + 1 == t.size();
    if ((t[i] != '+' && t[i] != '-') || t.size() != i + 6 || !digits(t, i + 1, 2) ||
        t[i + 3] != ':' || !digits(t, i + 4, 2)) {
        return false;
    }
    return number_at(t, i + 1, 2) <= 23 && number_at(t, i + 4, 2) <= 59;
}

// An e-mail address as a mailbox's addr-spec: local@domain, no spaces, quotes or brackets, a
// domain of dot-separated labels. Deliverability is the provider's business.
inline bool is_email_address(std::string_view address) noexcept {
    const std::size_t at = address.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= address.size() || address.size() > 254) {
        return false;
    }
    for (const char c : address.substr(0, at)) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F || c == '@' || c == '"' || c == '<' || c == '>' || c == '(' ||
            c == ')' || c == ',' || c == ';' || c == ':' || c == '[' || c == ']' || c == '\\') {
            return false;
        }
    }
    const std::string_view domain = address.substr(at + 1);
    if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos) {
        return false;
    }
    for (const char c : domain) {
        const auto u = static_cast<unsigned char>(c);
        const bool ascii_ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                              (c >= '0' && c <= '9') || c == '-' || c == '.';
        if (!ascii_ok && u < 0x80) return false; // internationalised domains pass as UTF-8
    }
    return true;
}

} // namespace params_syntax

class Params {
public:
    // Parses `params_json`; anything but one JSON object is the first problem.
    explicit Params(std::string_view params_json) {
        nlohmann::json parsed = nlohmann::json::parse(params_json, nullptr, /*allow_exceptions=*/false);
        if (!parsed.is_object()) {
            fail("", "the params are not a JSON object");
            return;
        }
        root_ = std::move(parsed);
    }

    // The params object (an empty object when parsing failed).
    const nlohmann::json& root() const noexcept { return root_; }

    bool ok() const noexcept { return !failed_; }
    // The invalid-input Outcome for the first problem. Only meaningful when !ok().
    Outcome error() const { return Outcome::invalid_input("invalid_params", message_, field_); }
    // The first problem's field (a JSON Pointer, "" for the params as a whole) and message.
    const std::string& error_field() const noexcept { return field_; }
    const std::string& error_message() const noexcept { return message_; }

    // Records a problem of the plugin's own with the value at `at`; the first one is kept.
    void fail(std::string_view at, std::string message) {
        if (failed_) return;
        failed_ = true;
        field_ = pointer(at);
        message_ = std::move(message);
    }

    // True when the value at `at` is present and not null.
    bool has(std::string_view at) const { return find(pointer(at)) != nullptr; }

    // The raw value at `at`, or nullptr when absent or null (no problem is recorded).
    const nlohmann::json* value(std::string_view at) const { return find(pointer(at)); }

    // Refuses members of the object at `at` ("" for the params) not named in `allowed`: an
    // unknown member is a contract the plugin does not implement, and ignoring it would
    // misbehave silently.
    void allow_only(std::string_view at, std::initializer_list<std::string_view> allowed) {
        const std::string where = pointer(at);
        const nlohmann::json* object = where.empty() ? &root_ : find(where);
        if (object == nullptr || !object->is_object()) return;
        for (const auto& [key, unused] : object->items()) {
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
                fail(child(where, key), "unknown field '" + key + "' in " +
                                            (where.empty() ? std::string("the params")
                                                           : "'" + where + "'"));
                return;
            }
        }
    }

    std::optional<std::string> string(std::string_view at, StringOptions options = {}) {
        const std::string field = pointer(at);
        const nlohmann::json* v = present(field, options.required);
        if (v == nullptr) return std::nullopt;
        if (!v->is_string()) return refuse<std::string>(field, "must be a string");
        std::string text = v->get<std::string>();
        if (!length_fits(text, options.min_length, options.max_length)) {
            return refuse<std::string>(field, "must be " + range_text(options.min_length, options.max_length) +
                                                  " characters long");
        }
        return text;
    }

    std::optional<std::int64_t> integer(std::string_view at, IntegerOptions options = {}) {
        const std::string field = pointer(at);
        const nlohmann::json* v = present(field, options.required);
        if (v == nullptr) return std::nullopt;
        std::optional<std::int64_t> number;
        if (v->is_number_unsigned()) {
            const auto u = v->get<std::uint64_t>();
            if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                number = static_cast<std::int64_t>(u);
            }
        } else if (v->is_number_integer()) {
            number = v->get<std::int64_t>();
        } else if (v->is_number_float()) {
            // JSON Schema's "integer" admits 10.0; anything with a fraction is refused.
            const double d = v->get<double>();
            if (d >= -9.0e15 && d <= 9.0e15 && d == static_cast<double>(static_cast<std::int64_t>(d))) {
                number = static_cast<std::int64_t>(d);
            }
        }
        if (!number || *number < options.min || *number > options.max) {
            return refuse<std::int64_t>(field, "must be an integer" + bounds_text(options.min, options.max));
        }
        return number;
    }

    std::optional<double> number(std::string_view at, NumberOptions options = {}) {
        const std::string field = pointer(at);
        const nlohmann::json* v = present(field, options.required);
        if (v == nullptr) return std::nullopt;
        if (!v->is_number() || v->get<double>() < options.min || v->get<double>() > options.max) {
            return refuse<double>(field, "must be a number" + bounds_text(options.min, options.max));
        }
        return v->get<double>();
    }

    std::optional<bool> boolean(std::string_view at, BooleanOptions options = {}) {
        const std::string field = pointer(at);
        const nlohmann::json* v = present(field, options.required);
        if (v == nullptr) return std::nullopt;
        if (!v->is_boolean()) return refuse<bool>(field, "must be true or false");
        return v->get<bool>();
    }

    // An RFC 3339 date-time with an offset ("2026-03-01T09:30:00+01:00"), as written.
    std::optional<std::string> time(std::string_view at, TimeOptions options = {}) {
        const std::string field = pointer(at);
        const nlohmann::json* v = present(field, options.required);
        if (v == nullptr) return std::nullopt;
        if (!v->is_string() || !params_syntax::is_rfc3339_date_time(v->get_ref<const std::string&>())) {
            return refuse<std::string>(field, "must be an RFC 3339 date-time with an offset, e.g. "
                                              "2026-03-01T09:30:00Z");
        }
        return v->get<std::string>();
    }

    const nlohmann::json* object(std::string_view at, ObjectOptions options = {}) {
        const std::string field = pointer(at);
        const nlohmann::json* v = present(field, options.required);
        if (v == nullptr) return nullptr;
        if (!v->is_object()) {
            refuse<bool>(field, "must be an object");
            return nullptr;
        }
        return v;
    }

    const nlohmann::json* array(std::string_view at, ArrayOptions options = {}) {
        const std::string field = pointer(at);
        const nlohmann::json* v = present(field, options.required);
        if (v == nullptr) return nullptr;
        if (!v->is_array()) {
            refuse<bool>(field, "must be an array");
            return nullptr;
        }
        if (v->size() < options.min_items || v->size() > options.max_items) {
            refuse<bool>(field, "must have " + range_text(options.min_items, options.max_items) + " items");
            return nullptr;
        }
        return v;
    }

    // An array of strings; a bad item is reported at its own pointer ("/calendar_ids/2").
    std::optional<std::vector<std::string>> strings(std::string_view at, StringListOptions options = {}) {
        return string_list(at, options, /*emails=*/false);
    }
    // An array of e-mail addresses (params_syntax::is_email_address).
    std::optional<std::vector<std::string>> emails(std::string_view at, StringListOptions options = {}) {
        return string_list(at, options, /*emails=*/true);
    }
    // One e-mail address.
    std::optional<std::string> email(std::string_view at, StringOptions options = {}) {
        auto text = string(at, options);
        if (text && !params_syntax::is_email_address(*text)) {
            return refuse<std::string>(pointer(at), "must be an e-mail address");
        }
        return text;
    }

    // `at` as a JSON Pointer: a member name becomes "/name" (escaped, RFC 6901), a pointer
    // ("" or starting with '/') is kept.
    static std::string pointer(std::string_view at) {
        if (at.empty() || at.front() == '/') return std::string(at);
        return child("", at);
    }
    // `parent` + "/" + `name`, with '~' and '/' escaped (RFC 6901).
    static std::string child(std::string_view parent, std::string_view name) {
        std::string out(parent);
        out += '/';
        for (const char c : name) {
            if (c == '~') out += "~0";
            else if (c == '/') out += "~1";
            else out += c;
        }
        return out;
    }
    static std::string child(std::string_view parent, std::size_t index) {
        return std::string(parent) + "/" + std::to_string(index);
    }

private:
    // The value at `field`, or nullptr when it, or a container on the way, is absent or null.
    // (A container of the wrong type is reported by whoever reads it.)
    const nlohmann::json* find(const std::string& field) const {
        if (field.empty()) return &root_;
        const nlohmann::json* at = &root_;
        std::size_t start = 1;
        while (true) {
            const std::size_t end = field.find('/', start);
            std::string token = unescape(field.substr(start, end == std::string::npos ? std::string::npos
                                                                                      : end - start));
            if (at->is_object()) {
                const auto it = at->find(token);
                if (it == at->end()) return nullptr;
                at = &*it;
            } else if (at->is_array()) {
                if (token.empty() || token.size() > 9 ||
                    !params_syntax::digits(token, 0, token.size()) ||
                    (token.size() > 1 && token[0] == '0')) {
                    return nullptr;
                }
                const auto index = static_cast<std::size_t>(std::stoul(token));
                if (index >= at->size()) return nullptr;
                at = &(*at)[index];
            } else {
                return nullptr;
            }
            if (at->is_null()) return nullptr;
            if (end == std::string::npos) return at;
            start = end + 1;
        }
    }

    static std::string unescape(std::string token) {
        std::string out;
        for (std::size_t i = 0; i < token.size(); ++i) {
            if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
                out += token[i + 1] == '0' ? '~' : '/';
                ++i;
            } else {
                out += token[i];
            }
        }
        return out;
    }

    const nlohmann::json* present(const std::string& field, bool required) {
        const nlohmann::json* v = find(field);
        if (v == nullptr && required) fail(field, "'" + field + "' is required");
        return v;
    }

    template <class T>
    std::optional<T> refuse(const std::string& field, const std::string& what) {
        fail(field, "'" + field + "' " + what);
        return std::nullopt;
    }

    static bool length_fits(std::string_view text, std::size_t min, std::size_t max) {
        const std::size_t length = params_syntax::code_points(text);
        return length >= min && length <= max;
    }

    static std::string range_text(std::size_t min, std::size_t max) {
        if (max == std::numeric_limits<std::size_t>::max()) return "at least " + std::to_string(min);
        return std::to_string(min) + " to " + std::to_string(max);
    }

    template <class N>
    static std::string bounds_text(N min, N max) {
        const bool has_min = min != std::numeric_limits<N>::lowest();
        const bool has_max = max != std::numeric_limits<N>::max();
        const auto text = [](N n) { return nlohmann::json(n).dump(); };
        if (has_min && has_max) return " from " + text(min) + " to " + text(max);
        if (has_min) return " of at least " + text(min);
        if (has_max) return " of at most " + text(max);
        return "";
    }

    std::optional<std::vector<std::string>> string_list(std::string_view at,
                                                        const StringListOptions& options, bool emails) {
        const std::string field = pointer(at);
        const nlohmann::json* list =
            array(field, {.required = options.required, .min_items = options.min_items,
                          .max_items = options.max_items});
        if (list == nullptr) return std::nullopt;
        std::vector<std::string> out;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string item_field = child(field, i);
            auto item = emails ? email(item_field, {.required = true, .min_length = options.min_length,
                                                    .max_length = options.max_length})
                               : string(item_field, {.required = true, .min_length = options.min_length,
                                                     .max_length = options.max_length});
            if (!item) {
                if (ok()) fail(item_field, "'" + item_field + "' must be a string");
                return std::nullopt;
            }
            if (options.unique && std::find(out.begin(), out.end(), *item) != out.end()) {
                return refuse<std::vector<std::string>>(item_field, "repeats an earlier item");
            }
            out.push_back(std::move(*item));
        }
        return out;
    }

    nlohmann::json root_ = nlohmann::json::object();
    bool failed_ = false;
    std::string field_;
    std::string message_;
};

} // namespace switchboard::sdk
