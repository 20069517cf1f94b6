// Gmail Message resources (gmail_v1.json "Message") in the e-mail contract's shapes
// (sdk/schemas/email.schema.json): the header fields of Email and EmailSummary.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace switchboard::plugins::gmail {

// True when `value` can be the contract's Id: a string of 1 to 1024 characters (counted here
// in bytes, which never admits more than 1024 code points). Gmail's ids are short; an answer
// with any other id is unreadable, never passed on.
bool is_contract_id(const nlohmann::json& value);

// The contract's Address objects for an address header value ([] for nullptr).
nlohmann::json address_list_json(const std::string* header_value);

// The message's date as RFC 3339: its Date header when that parses, else Gmail's
// internalDate (milliseconds since the epoch, when Gmail received it) in UTC, else nullopt.
std::optional<std::string> message_date(const nlohmann::json& message);

// The fields every message answer yields: id, thread_id, label_ids, snippet (HTML entities
// decoded), from, subject, date. `with_defaults` fills what Email requires even when the
// message lacks it (from {"email":""} and subject ""); EmailSummary leaves them out instead.
// Returns nullopt when the message has no id the contract takes (is_contract_id).
std::optional<nlohmann::json> common_fields(const nlohmann::json& message, bool with_defaults);

// The Email object of a message fetched with format=full, bodies aside: common_fields plus
// to, cc, bcc, reply_to and message_id_header.
std::optional<nlohmann::json> email_fields(const nlohmann::json& message);

} // namespace switchboard::plugins::gmail
