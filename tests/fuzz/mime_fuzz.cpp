// The Gmail plugin's MIME decoders (plugins/gmail): what it reads of the messages Gmail hands
// back, which anyone who can send the account an e-mail writes.
//
// An input that is JSON is Gmail's Message resource: the plugin's get_email (format=full) and
// list_emails (format=metadata) run on it through the C ABI, as the host runs them (the SDK's
// fake host answers; an optional part after a line "#attachment" is the answer to an
// attachments.get of a body Gmail kept apart). Each must answer a result the e-mail contract
// accepts, or an error object; never an internal failure, which is a thrown exception.
// Every input is also a header field value for the decoders on their own (encoded-words,
// address lists, dates, Content-Type parameters, charsets, HTML character references): what
// they give is UTF-8 a JSON document can hold, a date is a real RFC 3339 date-time, and text
// made into encoded-words decodes back to itself.
// Seeds: the messages of the Gmail tests, and header values from them and from RFC 2047/5322.
#include "core/plugin/contract_catalog.hpp"
#include "plugins/gmail/html_entities.hpp"
#include "plugins/gmail/mime/address_list.hpp"
#include "plugins/gmail/mime/charset.hpp"
#include "plugins/gmail/mime/encoded_word.hpp"
#include "plugins/gmail/mime/mail_date.hpp"
#include "plugins/gmail/mime/parameterized_value.hpp"
#include "tests/fuzz/support/fuzz_support.hpp"

#include "switchboard/plugin.h"
#include "switchboard/testing/fake_host.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <string_view>

extern "C" const sb_plugin* switchboard_plugin_entry(void);

namespace {

using namespace switchboard::plugins::gmail;
using namespace switchboard::plugins::gmail::mime;
using namespace switchboard::sdk::testing;
using switchboard::fuzz::check;
using nlohmann::json;

constexpr std::string_view messages_path = "/gmail/v1/users/me/messages";

// True when `text` is UTF-8 a JSON document can hold (nlohmann refuses anything else).
bool json_safe(std::string_view text) {
    try {
        (void)json(std::string(text)).dump();
        return true;
    } catch (const json::exception&) {
        return false;
    }
}

bool digits(std::string_view text, std::size_t at, std::size_t count, int& value) {
    value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (i >= text.size() || text[i] < '0' || text[i] > '9') {
            return false;
        }
        value = value * 10 + (text[i] - '0');
    }
    return true;
}

// RFC 3339 date-time, as the contract's DateTime format checks it: "YYYY-MM-DDTHH:MM:SS"
// then "Z" or "+HH:MM"/"-HH:MM", every field in its range (February 29 in leap years only).
bool rfc3339_date_time(std::string_view text) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (text.size() < 20 || !digits(text, 0, 4, year) || text[4] != '-' ||
        !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
        text[10] != 'T' || !digits(text, 11, 2, hour) || text[13] != ':' ||
        !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second)) {
        return false;
    }
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    constexpr std::array<int, 12> month_days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 ||
        day > month_days[static_cast<std::size_t>(month - 1)] + (month == 2 && leap ? 1 : 0) ||
        hour > 23 || minute > 59 || second > 60) {
        return false;
    }
    const std::string_view zone = text.substr(19);
    if (zone == "Z") {
        return true;
    }
    int zone_hours = 0, zone_minutes = 0;
    return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') &&
           digits(zone, 1, 2, zone_hours) && zone[3] == ':' && digits(zone, 4, 2, zone_minutes) &&
           zone_hours <= 23 && zone_minutes <= 59;
}

const switchboard::plugin::ContractCatalog& catalog() {
    return switchboard::plugin::ContractCatalog::embedded();
}

void check_invocation(const Invocation& call, std::string_view action) {
    check(call.violations.empty(), "the plugin keeps the ABI's rules");
    check(call.status != SB_STATUS_INTERNAL, "a Gmail answer never fails the plugin internally");
    if (call.ok()) {
        const auto result = json::parse(call.result, nullptr, false);
        check(!result.is_discarded(), "the result is JSON");
        const auto valid = catalog().validate_result("email", action, result);
        if (!valid) {
            std::fprintf(stderr, "fuzz: %s\n", valid.error().message.c_str());
        }
        check(valid.has_value(), "the result keeps the e-mail contract");
    }
}

void get_email(std::string_view message, std::string_view attachment) {
    FakeHost host;
    host.expect_prefix("GET", std::string(messages_path) + "/m1?format=full",
                       CannedResponse::json(200, std::string(message)));
    // Up to two bodies (text and HTML) may live apart as attachments.
    for (int i = 0; i < 2; ++i) {
        host.expect_prefix("GET", std::string(messages_path) + "/m1/attachments/",
                           CannedResponse::json(200, std::string(attachment)));
    }
    PluginUnderTest plugin(&switchboard_plugin_entry, host);
    check(plugin.init() == SB_STATUS_OK, "the plugin initialises");
    const auto connector = plugin.connect("gmail");
    check(connector.status() == SB_STATUS_OK, "a gmail connector is created");
    check_invocation(connector.invoke("get_email", R"({"email_id":"m1"})"), "get_email");
}

void list_emails(std::string_view message) {
    FakeHost host;
    host.expect_prefix("GET", std::string(messages_path) + "?",
                       CannedResponse::json(200, R"({"messages":[{"id":"m1","threadId":"t1"}]})"));
    host.expect_prefix("GET", std::string(messages_path) + "/m1?format=metadata",
                       CannedResponse::json(200, std::string(message)));
    PluginUnderTest plugin(&switchboard_plugin_entry, host);
    check(plugin.init() == SB_STATUS_OK, "the plugin initialises");
    const auto connector = plugin.connect("gmail");
    check(connector.status() == SB_STATUS_OK, "a gmail connector is created");
    check_invocation(connector.invoke("list_emails", "{}"), "list_emails");
}

void decode_header_value(std::string_view value) {
    check(json_safe(decode_header_text(value)), "a decoded header is UTF-8");
    check(json_safe(decode_html_entities(value)) || !json_safe(value),
          "decoding character references keeps UTF-8 UTF-8");
    for (const auto& address : parse_address_list(value)) {
        check(json_safe(address.name), "a decoded display name is UTF-8");
        check(!address.email.empty(), "an address read has an e-mail");
    }
    if (const auto date = rfc5322_to_rfc3339(value)) {
        if (!rfc3339_date_time(*date)) {
            std::fprintf(stderr, "fuzz: date '%s'\n", date->c_str());
        }
        check(rfc3339_date_time(*date), "a Date header read is an RFC 3339 date-time");
    }
    const auto content_type = parse_parameterized_value(value);
    for (const std::string_view charset :
         {std::string_view(), std::string_view("utf-8"), std::string_view("iso-8859-1"),
          std::string_view("shift_jis"), std::string_view("iso-2022-jp"),
          std::string_view("x-unknown")}) {
        check(json_safe(to_utf8(value, charset).utf8), "text converted to UTF-8 is UTF-8");
    }
    if (const auto charset = content_type.params.find("charset");
        charset != content_type.params.end()) {
        check(json_safe(to_utf8(value, charset->second).utf8),
              "text in a declared charset converts to UTF-8");
    }
    if (json_safe(value)) {
        std::string joined;
        for (const auto& word : encode_words(value)) {
            joined += joined.empty() ? "" : " ";
            joined += word;
        }
        check(decode_header_text(joined) == value, "encoded-words decode back to their text");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = switchboard::fuzz::as_text(data, size);
    const auto parts = switchboard::fuzz::split(input, "\n#attachment\n", 2);
    if (json::accept(parts[0])) {
        get_email(parts[0], parts.size() > 1 ? parts[1] : R"({"data":""})");
        list_emails(parts[0]);
    }
    decode_header_value(input);
    return 0;
}
