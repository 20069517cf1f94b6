// switchboard/outcome.hpp — what an action returns: a status and the JSON text the host
// receives, the result on success or an error object ({"code", "message", ...}) otherwise.
#pragma once

#include "switchboard/json_string.hpp"
#include "switchboard/plugin.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace switchboard::sdk {

// The longest error message the contract allows (common.schema.json, Error.message), in
// code points. Longer messages are cut.
inline constexpr std::size_t max_error_message_length = 2000;

// True when `code` is a valid error code: ^[a-z][a-z0-9_]{0,63}$ (common.schema.json).
constexpr bool is_valid_error_code(std::string_view code) noexcept {
    if (code.empty() || code.size() > 64 || code[0] < 'a' || code[0] > 'z') return false;
    for (const char c : code) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

// Optional members of an error object.
struct ErrorExtras {
    // The params field at fault, as a JSON Pointer ("/start"); "" if none.
    std::string field = {};
    // Provider specifics, e.g. {"retry_after_seconds":30}: a JSON object text, copied
    // verbatim; "" if none.
    std::string details_json = {};
};

// A status and its JSON. Build one with the named constructors; the helper writes json()
// into the result sink when succeeded(), into the error sink otherwise.
class Outcome {
public:
    // Success: `result_json` is one JSON value valid against the action's result schema.
    static Outcome success(std::string result_json) {
        return Outcome(SB_STATUS_OK, std::move(result_json));
    }

    // Failure with a stable snake_case `code` and a `message` for people that must not
    // contain a secret (never paste tokens, codes or raw provider bodies into it). A status
    // of SB_STATUS_OK or an invalid code is a bug in the caller: the outcome then becomes
    // SB_STATUS_INTERNAL with code "internal", so the host still receives a valid error.
    static Outcome error(sb_status status, std::string_view code, std::string_view message,
                         const ErrorExtras& extras = {}) {
        if (status == SB_STATUS_OK || !is_valid_error_code(code)) {
            return Outcome(SB_STATUS_INTERNAL,
                           error_json("internal", "plugin produced an invalid error outcome", {}));
        }
        return Outcome(status, error_json(code, message, extras));
    }

    static Outcome invalid_input(std::string_view code, std::string_view message,
                                 std::string_view field = {}) {
        return error(SB_STATUS_INVALID_INPUT, code, message, {.field = std::string(field)});
    }
    // [since ABI 1.1] The request conflicts with the provider's state (e.g. the object
    // exists already); the host answers 409 with `code`.
    static Outcome conflict(std::string_view code, std::string_view message,
                            const ErrorExtras& extras = {}) {
        return error(SB_STATUS_CONFLICT, code, message, extras);
    }
    static Outcome not_found(std::string_view message) {
        return error(SB_STATUS_NOT_FOUND, "not_found", message);
    }
    static Outcome internal(std::string_view message) {
        return error(SB_STATUS_INTERNAL, "internal", message);
    }

    // The action is not one this provider offers (or not one of its category).
    static Outcome unsupported_action(std::string_view action) {
        return error(SB_STATUS_UNSUPPORTED, "unsupported_action",
                     "action '" + std::string(action) + "' is not supported by this provider");
    }

    // The action belongs to the provider's contract but has no implementation yet.
    static Outcome not_implemented(std::string_view action) {
        return error(SB_STATUS_UNSUPPORTED, "not_implemented",
                     "action '" + std::string(action) + "' is not implemented yet");
    }

    // This outcome as a host of ABI `host` understands it (the lower version wins): a status
    // newer than the host's minor becomes the nearest older one, SB_STATUS_CONFLICT ->
    // SB_STATUS_INVALID_INPUT for a 1.0 host. The JSON is kept as it is.
    Outcome for_host(sb_abi_version host) const {
        if (status_ == SB_STATUS_CONFLICT && host.major == 1 && host.minor < 1) {
            return Outcome(SB_STATUS_INVALID_INPUT, json_);
        }
        return *this;
    }

    sb_status status() const noexcept { return status_; }
    bool succeeded() const noexcept { return status_ == SB_STATUS_OK; }
    // The result JSON when succeeded(), the error object otherwise.
    const std::string& json() const noexcept { return json_; }

    // The error object text for `code` and `message` (and extras), as Outcome::error writes
    // it: {"code":...,"message":...[,"field":...][,"details":{...}]}.
    static std::string error_json(std::string_view code, std::string_view message,
                                  const ErrorExtras& extras) {
        std::string out = "{\"code\":";
        append_json_string(out, code);
        out += ",\"message\":";
        append_json_string(out, message, max_error_message_length);
        if (!extras.field.empty()) {
            out += ",\"field\":";
            append_json_string(out, extras.field);
        }
        if (!extras.details_json.empty()) {
            out += ",\"details\":";
            out += extras.details_json;
        }
        out.push_back('}');
        return out;
    }

private:
    Outcome(sb_status status, std::string json) : status_(status), json_(std::move(json)) {}

    sb_status status_;
    std::string json_;
};

// Checked<T>: a value, or the error Outcome that stops the action — the one result type for
// the steps between the params and the provider's answer (C++20 has no std::expected):
//
//     sdk::Checked<std::string> id = read_id(params);
//     if (!id.ok()) return id.error();
template <class T>
class Checked {
public:
    Checked(T value) : state_(std::in_place_index<0>, std::move(value)) {}        // NOLINT
    Checked(Outcome error) : state_(std::in_place_index<1>, std::move(error)) {} // NOLINT

    bool ok() const noexcept { return state_.index() == 0; }
    const T& value() const& { return std::get<0>(state_); }
    T& value() & { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    const Outcome& error() const& { return std::get<1>(state_); }

private:
    std::variant<T, Outcome> state_;
};

} // namespace switchboard::sdk
