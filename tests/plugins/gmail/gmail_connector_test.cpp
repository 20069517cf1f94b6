// The Gmail plugin through the SDK's fake host: the exact requests each action sends, how it
// reads Gmail's answers, error mapping, and every result checked against the e-mail contract.
// The plugin's objects (entry function included) are linked into this test.
#include "plugins/common/base64.hpp"
#include "plugins/gmail/mime/address_list.hpp"
#include "plugins/gmail/mime/encoded_word.hpp"
#include "tests/plugins/gmail/category_schema.hpp"
#include "tests/plugins/gmail/discovery_check.hpp"
#include "tests/plugins/gmail/mime_reader.hpp"

#include "switchboard/plugin.h"
#include "switchboard/testing/fake_host.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace {

using namespace switchboard::sdk::testing;
namespace b64 = switchboard::plugins::base64;
namespace t = switchboard::plugins::testing;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const t::CategorySchema& schema() {
    static const t::CategorySchema s("email.schema.json");
    return s;
}

const t::DiscoveryDocument& gmail_discovery() {
    static const t::DiscoveryDocument d("gmail_v1.json");
    return d;
}

// The discovery method a request of this plugin calls.
std::string method_id(const RecordedRequest& r) {
    const std::string path = r.path.substr(0, r.path.find('?'));
    if (r.method == "POST" && path.ends_with("/messages/send")) return "gmail.users.messages.send";
    if (path.find("/attachments/") != std::string::npos) return "gmail.users.messages.attachments.get";
    if (path.ends_with("/messages")) return "gmail.users.messages.list";
    return "gmail.users.messages.get";
}

// Every request the fake host saw is a valid call of Gmail's API as its discovery document
// describes it.
void expect_requests_follow_discovery(const FakeHost& host) {
    for (const auto& r : host.requests()) {
        EXPECT_THAT(gmail_discovery().problems(method_id(r), r), IsEmpty()) << r.method << " " << r.path;
    }
}

std::string url64(std::string_view bytes) { return b64::encode(bytes, b64::Alphabet::url); }

const std::string metadata_query = "?format=metadata&metadataHeaders=From&metadataHeaders=Subject&metadataHeaders=Date";

class GmailConnector : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(plugin.init(), SB_STATUS_OK);
        connector = plugin.connect("gmail");
        ASSERT_EQ(connector.status(), SB_STATUS_OK);
    }

    Invocation invoke(std::string_view action, const json& params) {
        return connector.invoke(action, params.dump());
    }

    // Result valid against `definition`, and the fake host saw every expected request.
    void expect_valid(const Invocation& call, const char* definition) {
        ASSERT_EQ(call.status, SB_STATUS_OK) << call.error;
        EXPECT_THAT(schema().problems(definition, call.result), IsEmpty()) << call.result;
        EXPECT_THAT(plugin.problems(), IsEmpty());
        expect_requests_follow_discovery(host);
    }

    FakeHost host;
    PluginUnderTest plugin{std::filesystem::path(SB_PLUGIN_GMAIL), host}; // the built gmail.so
    ConnectorHandle connector;
};

// --- send_email ---------------------------------------------------------------------------------

TEST_F(GmailConnector, SendEmailPostsTheMessageAsBase64UrlRaw) {
    host.expect("POST", "/gmail/v1/users/me/messages/send",
                CannedResponse::json(200, R"({"id":"18f0a","threadId":"18f0a","labelIds":["SENT"]})"));
    const json params = {{"to", {{{"email", "bob@example.com"}, {"name", "Bob Smith"}}}},
                         {"cc", {{{"email", "carol@example.com"}}}},
                         {"bcc", {{{"email", "dave@example.com"}, {"name", "D\xC3\xA4ve"}}}},
                         {"reply_to", {{"email", "replies@example.com"}}},
                         {"subject", "Caf\xC3\xA9 at 10?"},
                         {"text_body", "See you\nthere."},
                         {"html_body", "<p>See you there.</p>"},
                         {"in_reply_to", "<prev@example.com>"}};
    const Invocation call = invoke("send_email", params);
    expect_valid(call, "SendEmailResult");
    EXPECT_EQ(json::parse(call.result), json::parse(R"({"id":"18f0a","thread_id":"18f0a","label_ids":["SENT"]})"));

    const auto requests = host.requests();
    ASSERT_EQ(requests.size(), 1u);
    ASSERT_NE(requests[0].header("Content-Type"), nullptr);
    EXPECT_EQ(*requests[0].header("Content-Type"), "application/json");
    const json body = json::parse(requests[0].body);
    ASSERT_EQ(body.size(), 1u) << "only raw: " << body.dump();
    const std::string raw = body.at("raw");
    EXPECT_EQ(raw.find_first_of("+/"), std::string::npos) << "base64url, not base64";
    const auto message = b64::decode(raw, b64::Alphabet::url);
    ASSERT_TRUE(message);
    const t::MimeEntity e = t::parse_entity(*message);
    EXPECT_EQ(e.header("Date"), "Sat, 01 Jun 2024 12:00:00 +0000"); // the fake host's clock
    EXPECT_EQ(e.header("To"), "Bob Smith <bob@example.com>");
    EXPECT_EQ(e.header("Cc"), "carol@example.com");
    EXPECT_EQ(e.header("Bcc"), "=?UTF-8?B?RMOkdmU=?= <dave@example.com>");
    EXPECT_EQ(e.header("Reply-To"), "replies@example.com");
    EXPECT_EQ(switchboard::plugins::gmail::mime::decode_header_text(e.header("Subject").value()),
              "Caf\xC3\xA9 at 10?");
    EXPECT_EQ(e.header("In-Reply-To"), "<prev@example.com>");
    EXPECT_EQ(e.header("References"), "<prev@example.com>");
    EXPECT_THAT(e.header("Message-ID").value(), ::testing::MatchesRegex("<[0-9a-f]{32}@switchboard\\.invalid>"));
    const std::string type = e.header("Content-Type").value();
    EXPECT_THAT(type, ::testing::StartsWith("multipart/alternative;"));
    const auto parts = t::split_multipart(e.body, t::boundary_of(type));
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(t::decoded_body(t::parse_entity(parts[0])), "See you\r\nthere.");
    EXPECT_EQ(t::decoded_body(t::parse_entity(parts[1])), "<p>See you there.</p>");
}

TEST_F(GmailConnector, SendEmailEachMessageGetsItsOwnMessageIdAndBoundary) {
    const json params = {{"to", {{{"email", "bob@example.com"}}}}, {"subject", "s"},
                         {"text_body", "a"}, {"html_body", "b"}};
    for (int i = 0; i < 2; ++i) {
        host.expect("POST", "/gmail/v1/users/me/messages/send", CannedResponse::json(200, R"({"id":"x"})"));
        expect_valid(invoke("send_email", params), "SendEmailResult");
    }
    const auto requests = host.requests();
    ASSERT_EQ(requests.size(), 2u);
    const auto first = t::parse_entity(*b64::decode(json::parse(requests[0].body).at("raw").get<std::string>(), b64::Alphabet::url));
    const auto second = t::parse_entity(*b64::decode(json::parse(requests[1].body).at("raw").get<std::string>(), b64::Alphabet::url));
    EXPECT_NE(first.header("Message-ID"), second.header("Message-ID"));
    EXPECT_NE(first.header("Content-Type"), second.header("Content-Type"));
}

TEST_F(GmailConnector, SendEmailRefusesInjectionAndBadParamsWithoutARequest) {
    const std::pair<json, std::string> cases[] = {
        {{{"to", {{{"email", "bob@example.com"}}}}, {"subject", "x\r\nBcc: evil@example.com"}, {"text_body", "a"}}, "/subject"},
        {{{"to", {{{"email", "bob@example.com"}, {"name", "B\nBcc: e@x.y"}}}}, {"subject", "s"}, {"text_body", "a"}}, "/to/0/name"},
        {{{"to", {{{"email", "bob@example.com"}}}}, {"subject", "s"}, {"text_body", "a"}, {"in_reply_to", "a@b\r\nX: y"}}, "/in_reply_to"},
        {{{"to", {{{"email", "not-an-address"}}}}, {"subject", "s"}, {"text_body", "a"}}, "/to/0/email"},
    };
    for (const auto& [params, field] : cases) {
        const Invocation call = invoke("send_email", params);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << field;
        EXPECT_EQ(call.error_code(), "invalid_header_value") << field;
        EXPECT_EQ(json::parse(call.error).value("field", ""), field);
    }
    const std::pair<std::string, std::string> malformed[] = {
        {"not json", ""},
        {R"([1,2])", ""},
        {R"({"subject":"s","text_body":"a"})", "/to"},
        {R"({"to":"bob@example.com","subject":"s","text_body":"a"})", "/to"},
        {R"({"to":[],"subject":"s","text_body":"a"})", "/to"},
        {R"({"to":[{"name":"x"}],"subject":"s","text_body":"a"})", "/to/0/email"},
        {R"({"to":["bob@example.com"],"subject":"s","text_body":"a"})", "/to/0"},
        {R"({"to":[{"email":"b@x.y"}],"subject":7,"text_body":"a"})", "/subject"},
        {R"({"to":[{"email":"b@x.y"}],"subject":"s"})", ""},
        {R"({"to":[{"email":"b@x.y"}],"subject":"s","text_body":"a","reply_to":"r@x.y"})", "/reply_to"},
    };
    for (const auto& [params, field] : malformed) {
        const Invocation call = connector.invoke("send_email", params);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << params;
        EXPECT_EQ(call.error_code(), "invalid_params") << params;
        EXPECT_EQ(json::parse(call.error).value("field", ""), field) << params;
    }
    EXPECT_THAT(host.requests(), IsEmpty());
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(GmailConnector, SendEmailThatGmailAnswersWithoutAnIdIsAnUnreadableAnswer) {
    host.expect("POST", "/gmail/v1/users/me/messages/send", CannedResponse::json(200, R"({"threadId":"t"})"));
    const Invocation call = invoke("send_email", {{"to", {{{"email", "b@example.com"}}}}, {"subject", "s"}, {"text_body", "a"}});
    EXPECT_EQ(call.status, SB_STATUS_UNAVAILABLE);
    EXPECT_EQ(call.error_code(), "invalid_provider_response");
}

// The contract's Id is at most 1024 characters: an answer whose id is longer is unreadable,
// never a result that breaks the contract (found by the mime fuzzer).
TEST_F(GmailConnector, AnIdLongerThanTheContractAllowsIsAnUnreadableAnswer) {
    const std::string longest(1024, 'a');
    const std::string too_long(1025, 'a');
    const json sent_params = {{"to", {{{"email", "b@example.com"}}}}, {"subject", "s"}, {"text_body", "a"}};

    host.expect("POST", "/gmail/v1/users/me/messages/send", CannedResponse::json(200, json{{"id", longest}}.dump()));
    expect_valid(invoke("send_email", sent_params), "SendEmailResult");
    host.expect("POST", "/gmail/v1/users/me/messages/send", CannedResponse::json(200, json{{"id", too_long}}.dump()));
    EXPECT_EQ(invoke("send_email", sent_params).error_code(), "invalid_provider_response");

    host.expect("GET", "/gmail/v1/users/me/messages/m1?format=full", CannedResponse::json(200, json{{"id", longest}}.dump()));
    expect_valid(invoke("get_email", {{"email_id", "m1"}}), "Email");
    host.expect("GET", "/gmail/v1/users/me/messages/m1?format=full", CannedResponse::json(200, json{{"id", too_long}}.dump()));
    EXPECT_EQ(invoke("get_email", {{"email_id", "m1"}}).error_code(), "invalid_provider_response");

    host.expect("GET", "/gmail/v1/users/me/messages?maxResults=20", CannedResponse::json(200, R"({"messages":[{"id":"m1"}]})"));
    host.expect("GET", "/gmail/v1/users/me/messages/m1" + metadata_query, CannedResponse::json(200, json{{"id", too_long}}.dump()));
    const Invocation listed = invoke("list_emails", json::object());
    EXPECT_EQ(listed.status, SB_STATUS_UNAVAILABLE);
    EXPECT_EQ(listed.error_code(), "invalid_provider_response");
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

// --- error mapping (the same for every action; shown on send_email and get_email) ----------

struct ErrorCase {
    const char* name;
    CannedResponse response;
    sb_status status;
    const char* code;
    const char* message_part;
};

void PrintTo(const ErrorCase& c, std::ostream* out) { *out << c.name; }

std::string google_error(int code, const char* message, const char* reason = nullptr) {
    json error = {{"code", code}, {"message", message}};
    if (reason != nullptr) error["errors"] = {{{"reason", reason}, {"domain", "usageLimits"}, {"message", message}}};
    return json{{"error", error}}.dump();
}

const ErrorCase error_cases[] = {
    {"bad_request", CannedResponse::json(400, google_error(400, "Invalid To header")), SB_STATUS_INVALID_INPUT,
     "provider_rejected_request", "Google: Invalid To header (HTTP 400)"},
    {"unauthorized", CannedResponse::json(401, google_error(401, "Invalid Credentials")), SB_STATUS_AUTH,
     "unauthorized", "Invalid Credentials"},
    {"forbidden", CannedResponse::json(403, google_error(403, "Insufficient Permission", "insufficientPermissions")),
     SB_STATUS_AUTH, "forbidden", "Insufficient Permission"},
    {"rate_limit_403", CannedResponse::json(403, google_error(403, "User-rate limit exceeded", "userRateLimitExceeded")),
     SB_STATUS_RATE_LIMITED, "rate_limited", "User-rate limit exceeded"},
    {"quota_403", CannedResponse::json(403, google_error(403, "Quota exceeded", "quotaExceeded")),
     SB_STATUS_RATE_LIMITED, "rate_limited", "Quota exceeded"},
    {"not_found", CannedResponse::json(404, google_error(404, "Requested entity was not found.")), SB_STATUS_NOT_FOUND,
     "not_found", "Requested entity was not found."},
    {"conflict", CannedResponse::json(409, google_error(409, "Conflict")), SB_STATUS_INVALID_INPUT,
     "provider_rejected_request", "HTTP 409"},
    {"too_many", CannedResponse::json(429, google_error(429, "Too many requests")).with_header("Retry-After", "30"),
     SB_STATUS_RATE_LIMITED, "rate_limited", "Too many requests"},
    {"server_error", CannedResponse::json(500, google_error(500, "Backend Error")), SB_STATUS_UNAVAILABLE,
     "provider_unavailable", "Backend Error"},
    {"unavailable_no_body", CannedResponse::empty(503), SB_STATUS_UNAVAILABLE, "provider_unavailable", "HTTP 503"},
    {"host_no_credentials", CannedResponse::host_failure(SB_STATUS_AUTH), SB_STATUS_AUTH, "credentials_unavailable",
     "reconnect"},
    {"host_network", CannedResponse::host_failure(SB_STATUS_UNAVAILABLE), SB_STATUS_UNAVAILABLE,
     "provider_unreachable", "could not be reached"},
};

class GmailErrors : public GmailConnector, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(GmailErrors, SendEmailMapsTheAnswer) {
    const ErrorCase& c = GetParam();
    host.expect("POST", "/gmail/v1/users/me/messages/send", c.response);
    const Invocation call = invoke("send_email", {{"to", {{{"email", "b@example.com"}}}}, {"subject", "s"}, {"text_body", "a"}});
    EXPECT_EQ(call.status, c.status) << call.error;
    EXPECT_EQ(call.error_code(), c.code);
    EXPECT_THAT(call.error_message(), HasSubstr(c.message_part));
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_P(GmailErrors, GetEmailMapsTheAnswer) {
    const ErrorCase& c = GetParam();
    host.expect("GET", "/gmail/v1/users/me/messages/m1?format=full", c.response);
    const Invocation call = invoke("get_email", {{"email_id", "m1"}});
    EXPECT_EQ(call.status, c.status) << call.error;
    EXPECT_EQ(call.error_code(), c.code);
    EXPECT_THAT(call.error_message(), HasSubstr(c.message_part));
    if (std::string(c.name) == "too_many") {
        EXPECT_EQ(json::parse(call.error).at("details").at("retry_after_seconds"), 30);
    }
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Statuses, GmailErrors, ::testing::ValuesIn(error_cases),
                         [](const auto& test) { return std::string(test.param.name); });

// --- get_email -----------------------------------------------------------------------------------

json full_message() {
    return {
        {"id", "m1"},
        {"threadId", "t1"},
        {"labelIds", {"INBOX", "UNREAD"}},
        {"snippet", "It&#39;s caf&#233; &amp; cake"},
        {"internalDate", "1717243200000"},
        {"payload",
         {{"mimeType", "multipart/mixed"},
          {"headers",
           {{{"name", "From"}, {"value", "=?UTF-8?Q?Ren=C3=A9e_Dupont?= <renee@example.com>"}},
            {{"name", "to"}, {"value", "Bob <bob@example.com>, \"Doe, J\" <j@example.com>"}},
            {{"name", "Cc"}, {"value", "carol@example.com"}},
            {{"name", "Reply-To"}, {"value", "list@example.com"}},
            {{"name", "Subject"}, {"value", "=?ISO-8859-1?Q?R=E9union?= today"}},
            {{"name", "Date"}, {"value", "Sat, 01 Jun 2024 14:00:00 +0200"}},
            {{"name", "Message-ID"}, {"value", "<abc@mail.example.com>"}}}},
          {"parts",
           {{{"mimeType", "multipart/alternative"},
             {"parts",
              {{{"mimeType", "text/plain"},
                {"headers", {{{"name", "Content-Type"}, {"value", "text/plain; charset=\"iso-8859-1\""}}}},
                {"body", {{"size", 6}, {"data", url64("caf\xE9\r\n")}}}},
               {{"mimeType", "text/html"},
                {"headers", {{{"name", "Content-Type"}, {"value", "text/html; charset=UTF-8"}}}},
                {"body", {{"size", 13}, {"data", url64("<p>caf\xC3\xA9</p>")}}}}}}},
            {{"mimeType", "text/plain"},
             {"filename", "notes.txt"},
             {"headers", {{{"name", "Content-Disposition"}, {"value", "attachment; filename=notes.txt"}}}},
             {"body", {{"attachmentId", "att-notes"}, {"size", 10}}}}}}}}};
}

TEST_F(GmailConnector, GetEmailReadsHeadersAndBodiesFromThePartTree) {
    host.expect("GET", "/gmail/v1/users/me/messages/m1?format=full", CannedResponse::json(200, full_message().dump()));
    const Invocation call = invoke("get_email", {{"email_id", "m1"}});
    expect_valid(call, "Email");
    const json expected = {
        {"id", "m1"},
        {"thread_id", "t1"},
        {"label_ids", {"INBOX", "UNREAD"}},
        {"snippet", "It's caf\xC3\xA9 & cake"},
        {"from", {{"email", "renee@example.com"}, {"name", "Ren\xC3\xA9" "e Dupont"}}},
        {"to", {{{"email", "bob@example.com"}, {"name", "Bob"}}, {{"email", "j@example.com"}, {"name", "Doe, J"}}}},
        {"cc", {{{"email", "carol@example.com"}}}},
        {"reply_to", {{{"email", "list@example.com"}}}},
        {"subject", "R\xC3\xA9union today"},
        {"date", "2024-06-01T14:00:00+02:00"},
        {"message_id_header", "<abc@mail.example.com>"},
        {"text_body", "caf\xC3\xA9\r\n"},
        {"html_body", "<p>caf\xC3\xA9</p>"}};
    EXPECT_EQ(json::parse(call.result), expected);
}

TEST_F(GmailConnector, GetEmailFetchesABodyGmailKeptApartAndEncodesTheId) {
    json message = {{"id", "a/b?c"},
                    {"payload",
                     {{"mimeType", "text/plain"},
                      {"headers", {{{"name", "From"}, {"value", "x@example.com"}}, {{"name", "Subject"}, {"value", "big"}}}},
                      {"body", {{"attachmentId", "ANGj+/="}, {"size", 900000}}}}}};
    host.expect("GET", "/gmail/v1/users/me/messages/a%2Fb%3Fc?format=full", CannedResponse::json(200, message.dump()));
    host.expect("GET", "/gmail/v1/users/me/messages/a%2Fb%3Fc/attachments/ANGj%2B%2F%3D",
                CannedResponse::json(200, json{{"size", 5}, {"data", url64("large")}}.dump()));
    const Invocation call = invoke("get_email", {{"email_id", "a/b?c"}});
    expect_valid(call, "Email");
    const json result = json::parse(call.result);
    EXPECT_EQ(result.at("text_body"), "large");
    EXPECT_EQ(result.at("to"), json::array());
    EXPECT_FALSE(result.contains("html_body"));
}

TEST_F(GmailConnector, GetEmailWithoutFromSubjectOrDateStillFitsTheContract) {
    host.expect("GET", "/gmail/v1/users/me/messages/d1?format=full",
                CannedResponse::json(200, R"({"id":"d1","internalDate":"1717243200000","payload":{"mimeType":"text/plain","body":{"size":0}}})"));
    const Invocation call = invoke("get_email", {{"email_id", "d1"}});
    expect_valid(call, "Email");
    const json result = json::parse(call.result);
    EXPECT_EQ(result.at("from"), json({{"email", ""}}));
    EXPECT_EQ(result.at("subject"), "");
    EXPECT_EQ(result.at("date"), "2024-06-01T12:00:00Z"); // internalDate, when there is no Date
    EXPECT_EQ(result.at("text_body"), "");
}

TEST_F(GmailConnector, GetEmailConvertsOtherCharsetsAndSaysWhenItCannot) {
    json message = {{"id", "c1"},
                    {"payload",
                     {{"mimeType", "multipart/alternative"},
                      {"headers", {{{"name", "From"}, {"value", "x@example.com"}}}},
                      {"parts",
                       {{{"mimeType", "text/plain"},
                         {"headers", {{{"name", "Content-Type"}, {"value", "text/plain; charset=koi8-r"}}}},
                         {"body", {{"data", url64("\xF0\xD2\xC9\xD7\xC5\xD4")}}}},
                        {{"mimeType", "text/html"},
                         {"headers", {{{"name", "Content-Type"}, {"value", "text/html; charset=x-klingon"}}}},
                         {"body", {{"data", url64("<p>ok\xFF</p>")}}}}}}}}};
    host.expect("GET", "/gmail/v1/users/me/messages/c1?format=full", CannedResponse::json(200, message.dump()));
    const Invocation call = invoke("get_email", {{"email_id", "c1"}});
    expect_valid(call, "Email");
    const json result = json::parse(call.result);
    EXPECT_EQ(result.at("text_body"), "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"); // Привет
    EXPECT_EQ(result.at("html_body"), "<p>ok\xEF\xBF\xBD</p>");
    EXPECT_TRUE(host.logged("charset 'x-klingon' could not be converted exactly"));
}

TEST_F(GmailConnector, GetEmailUnreadableAnswers) {
    host.expect("GET", "/gmail/v1/users/me/messages/m1?format=full", CannedResponse::json(200, "<html>"));
    EXPECT_EQ(invoke("get_email", {{"email_id", "m1"}}).error_code(), "invalid_provider_response");
    host.expect("GET", "/gmail/v1/users/me/messages/m1?format=full",
                CannedResponse::json(200, R"({"id":"m1","payload":{"mimeType":"text/plain","body":{"data":"***"}}})"));
    const Invocation call = invoke("get_email", {{"email_id", "m1"}});
    EXPECT_EQ(call.status, SB_STATUS_UNAVAILABLE);
    EXPECT_EQ(call.error_code(), "invalid_provider_response");
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(GmailConnector, GetEmailRefusesBadParams) {
    for (const char* params : {"{}", R"({"email_id":5})", R"({"email_id":""})", "[]"}) {
        const Invocation call = connector.invoke("get_email", params);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << params;
        EXPECT_EQ(call.error_code(), "invalid_params");
    }
    EXPECT_THAT(host.requests(), IsEmpty());
}

// --- list_emails ---------------------------------------------------------------------------------

json metadata(const char* id, const char* from, const char* subject, const char* date) {
    return {{"id", id},
            {"threadId", std::string("t-") + id},
            {"labelIds", {"INBOX"}},
            {"snippet", "hello &lt;there&gt;"},
            {"internalDate", "1717243200000"},
            {"payload",
             {{"mimeType", "multipart/alternative"},
              {"headers",
               {{{"name", "From"}, {"value", from}}, {{"name", "Subject"}, {"value", subject}}, {{"name", "Date"}, {"value", date}}}}}}};
}

TEST_F(GmailConnector, ListEmailsListsThenReadsEachMessagesMetadata) {
    host.expect("GET", "/gmail/v1/users/me/messages?maxResults=20",
                CannedResponse::json(200, R"({"messages":[{"id":"a","threadId":"ta"},{"id":"gone","threadId":"tg"},{"id":"b","threadId":"tb"}],
                                             "nextPageToken":"page-2","resultSizeEstimate":3})"));
    host.expect("GET", "/gmail/v1/users/me/messages/a" + metadata_query,
                CannedResponse::json(200, metadata("a", "\"Alice A.\" <alice@example.com>", "=?UTF-8?B?w6l0w6k=?=",
                                                   "Mon, 3 Jun 2024 08:00:00 -0700").dump()));
    host.expect("GET", "/gmail/v1/users/me/messages/gone" + metadata_query,
                CannedResponse::json(404, google_error(404, "Requested entity was not found.")));
    host.expect("GET", "/gmail/v1/users/me/messages/b" + metadata_query,
                CannedResponse::json(200, metadata("b", "bob@example.com", "plain", "not a date").dump()));
    const Invocation call = invoke("list_emails", json::object());
    expect_valid(call, "ListEmailsResult");
    const json expected = {
        {"emails",
         {{{"id", "a"}, {"thread_id", "t-a"}, {"label_ids", {"INBOX"}}, {"snippet", "hello <there>"},
           {"from", {{"email", "alice@example.com"}, {"name", "Alice A."}}}, {"subject", "\xC3\xA9t\xC3\xA9"},
           {"date", "2024-06-03T08:00:00-07:00"}},
          {{"id", "b"}, {"thread_id", "t-b"}, {"label_ids", {"INBOX"}}, {"snippet", "hello <there>"},
           {"from", {{"email", "bob@example.com"}}}, {"subject", "plain"}, {"date", "2024-06-01T12:00:00Z"}}}},
        {"next_page_token", "page-2"}};
    EXPECT_EQ(json::parse(call.result), expected);
}

TEST_F(GmailConnector, ListEmailsPassesQueryLabelSizeAndPageTokenEncoded) {
    host.expect("GET",
                "/gmail/v1/users/me/messages?maxResults=5&q=from%3Aalice%40example.com%20is%3Aunread%20%22a%26b%22"
                "&labelIds=Label_12&pageToken=tok%2B1%2F2",
                CannedResponse::json(200, R"({"resultSizeEstimate":0})"));
    const Invocation call = invoke("list_emails", {{"query", "from:alice@example.com is:unread \"a&b\""},
                                                   {"label", "Label_12"},
                                                   {"max_results", 5},
                                                   {"page_token", "tok+1/2"}});
    expect_valid(call, "ListEmailsResult");
    EXPECT_EQ(json::parse(call.result), json::parse(R"({"emails":[]})"));
}

TEST_F(GmailConnector, ListEmailsReadsNoMoreThanMaxResults) {
    host.expect("GET", "/gmail/v1/users/me/messages?maxResults=1",
                CannedResponse::json(200, R"({"messages":[{"id":"a"},{"id":"b"}]})"));
    host.expect("GET", "/gmail/v1/users/me/messages/a" + metadata_query,
                CannedResponse::json(200, metadata("a", "a@example.com", "s", "1 Jun 2024 10:00:00 +0000").dump()));
    const Invocation call = invoke("list_emails", {{"max_results", 1}});
    expect_valid(call, "ListEmailsResult");
    EXPECT_EQ(json::parse(call.result).at("emails").size(), 1u);
}

TEST_F(GmailConnector, ANextPageTokenTheCallerCouldNotHandBackIsAnUnreadableAnswer) {
    const std::string longest(4096, 'p'); // the contract's longest page_token
    const std::string too_long(4097, 'p');
    host.expect("GET", "/gmail/v1/users/me/messages?maxResults=20",
                CannedResponse::json(200, json{{"nextPageToken", longest}}.dump()));
    const Invocation first = invoke("list_emails", json::object());
    expect_valid(first, "ListEmailsResult");
    EXPECT_EQ(json::parse(first.result).at("next_page_token"), longest);

    host.expect("GET", "/gmail/v1/users/me/messages?maxResults=20&pageToken=" + longest,
                CannedResponse::json(200, json{{"messages", {{{"id", "m1"}}}}, {"nextPageToken", too_long}}.dump()));
    const Invocation second = invoke("list_emails", {{"page_token", longest}});
    EXPECT_EQ(second.status, SB_STATUS_UNAVAILABLE);
    EXPECT_EQ(second.error_code(), "invalid_provider_response");
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(GmailConnector, ListEmailsFailsWhenAMessageCannotBeRead) {
    host.expect("GET", "/gmail/v1/users/me/messages?maxResults=20", CannedResponse::json(200, R"({"messages":[{"id":"a"}]})"));
    host.expect("GET", "/gmail/v1/users/me/messages/a" + metadata_query,
                CannedResponse::json(403, google_error(403, "Rate Limit Exceeded", "rateLimitExceeded")));
    const Invocation call = invoke("list_emails", json::object());
    EXPECT_EQ(call.status, SB_STATUS_RATE_LIMITED);
    EXPECT_EQ(call.error_code(), "rate_limited");
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(GmailConnector, ListEmailsRefusesBadParams) {
    for (const char* params : {R"({"max_results":"ten"})", R"({"max_results":0})", R"({"max_results":501})",
                               R"({"max_results":2.5})", R"({"query":["a"]})", R"({"page_token":1})"}) {
        const Invocation call = connector.invoke("list_emails", params);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << params;
        EXPECT_EQ(call.error_code(), "invalid_params") << params;
    }
    EXPECT_THAT(host.requests(), IsEmpty());
}

TEST(GmailDiscovery, TheCheckerRefusesRequestsGmailWouldNot) {
    const auto& d = gmail_discovery();
    EXPECT_THAT(d.problems("gmail.users.messages.send", {"POST", "/gmail/v1/users/me/messages/send", {}, R"({"raw":"YQ"})"}), IsEmpty());
    EXPECT_THAT(d.problems("gmail.users.messages.send", {"POST", "/gmail/v1/users/me/messages/send", {}, R"({"rawr":"YQ"})"}),
                ::testing::SizeIs(2)); // unknown field, and raw (required for send) missing
    EXPECT_THAT(d.problems("gmail.users.messages.send", {"PUT", "/gmail/v1/users/me/messages/send", {}, R"({"raw":"***"})"}),
                ::testing::SizeIs(2)); // wrong verb, raw not base64
    EXPECT_THAT(d.problems("gmail.users.messages.get", {"GET", "/gmail/v1/users/me/messages/x?format=html", {}, ""}),
                ::testing::SizeIs(1)); // not one of the enum values
    EXPECT_THAT(d.problems("gmail.users.messages.list", {"GET", "/gmail/v1/users/me/messages?maxResults=5&q=a&q=b&bogus=1", {}, ""}),
                ::testing::SizeIs(2)); // q repeated, bogus unknown
    EXPECT_THAT(d.problems("gmail.users.messages.list", {"GET", "/gmail/v1/users/me/threads", {}, ""}),
                ::testing::SizeIs(2)); // no such path, so no userId either
}

TEST_F(GmailConnector, UnknownActionsAreUnsupported) {
    const Invocation call = connector.invoke("delete_email", "{}");
    EXPECT_EQ(call.status, SB_STATUS_UNSUPPORTED);
    EXPECT_EQ(call.error_code(), "unsupported_action");
}

} // namespace
