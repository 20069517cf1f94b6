// Gmail v1: messages.send with a base64url RFC 2822 message (and the upload endpoint),
// parsed so tests can check recipients, subject and both bodies; messages.get and
// messages.list with q and paging; Gmail's error shapes.
#include "tests/provider_sim/tests/sim_fixture.hpp"

#include "tests/provider_sim/common/base64.hpp"

namespace switchboard::sim::testing {
namespace {

using nlohmann::json;

constexpr const char* kSend = "/gmail.googleapis.com/gmail/v1/users/me/messages/send";
constexpr const char* kMessages = "/gmail.googleapis.com/gmail/v1/users/me/messages";

std::string message(const std::string& to, const std::string& subject, const std::string& extra_headers = {}) {
    return "To: " + to + "\r\n" + extra_headers + "Subject: " + subject +
           "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"zz\"\r\n\r\n"
           "--zz\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
           "Hello =E2=80=94 see you Monday.\r\n"
           "--zz\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
           base64_encode("<p>Hello &mdash; see you <b>Monday</b>.</p>") + "\r\n--zz--\r\n";
}

class GmailTest : public SimTest {
protected:
    std::string sender = google_token({kGmailSend, kGmailRead});
};

TEST_F(GmailTest, SendParsesTheMessageForAssertions) {
    const std::string raw = message("\"Jane Doe\" <jane@example.com>", "=?UTF-8?Q?Caf=C3=A9_plans?=",
                                    "Cc: bob@example.com\r\nBcc: secret@example.com\r\n");
    const auto r = client().post_json(kSend, {{"raw", base64url_encode(raw)}}, sender);
    ASSERT_EQ(r.status, 200) << r.body;
    expect_conforms("gmail.users.messages.send", r.json());
    EXPECT_EQ(r.json().at("labelIds"), json::array({"SENT"}));
    const auto sent = sim().gmail_messages(kUser);
    ASSERT_EQ(sent.size(), 1u);
    const EmailMessage& m = sent[0].parsed;
    EXPECT_EQ(m.subject, "Café plans");
    EXPECT_EQ(m.to.at(0).address, "jane@example.com");
    EXPECT_EQ(m.to.at(0).name, "Jane Doe");
    EXPECT_EQ(m.cc.at(0).address, "bob@example.com");
    EXPECT_EQ(m.bcc.at(0).address, "secret@example.com");
    EXPECT_EQ(m.from.at(0).address, kUser); // Gmail fills in the sender
    EXPECT_EQ(m.text, "Hello — see you Monday.");
    EXPECT_EQ(m.html, "<p>Hello &mdash; see you <b>Monday</b>.</p>");
    // Recipients receive it, without the Bcc header.
    const auto inbox = sim().gmail_messages("jane@example.com");
    ASSERT_EQ(inbox.size(), 1u);
    EXPECT_EQ(inbox[0].labels, (std::vector<std::string>{"INBOX", "UNREAD"}));
    EXPECT_TRUE(inbox[0].parsed.bcc.empty());
    EXPECT_EQ(sim().gmail_messages("secret@example.com").size(), 1u);
}

TEST_F(GmailTest, UploadEndpointTakesTheMessageAsMedia) {
    const auto r = client().request("POST", "/gmail.googleapis.com/upload/gmail/v1/users/me/messages/send?uploadType=media",
                                    {{"Authorization", "Bearer " + sender}, {"Content-Type", "message/rfc822"}},
                                    message("jane@example.com", "Uploaded"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(sim().gmail_messages(kUser).at(0).parsed.subject, "Uploaded");
    const auto wrong_type = client().request(
        "POST", "/gmail.googleapis.com/upload/gmail/v1/users/me/messages/send?uploadType=media",
        {{"Authorization", "Bearer " + sender}, {"Content-Type", "text/plain"}}, "hello");
    EXPECT_EQ(wrong_type.status, 400); // the method accepts message/* only
}

TEST_F(GmailTest, GetReturnsTheParsedPayload) {
    const std::string id =
        client().post_json(kSend, {{"raw", base64url_encode(message("jane@example.com", "Hi"))}}, sender).json().at("id");
    const auto full = client().get(std::string(kMessages) + "/" + id, sender);
    ASSERT_EQ(full.status, 200) << full.body;
    const json m = full.json();
    expect_conforms("gmail.users.messages.get", m);
    EXPECT_EQ(m.at("payload").at("mimeType"), "multipart/alternative");
    const json plain = m.at("payload").at("parts").at(0);
    EXPECT_EQ(plain.at("partId"), "0");
    EXPECT_EQ(base64_decode(plain.at("body").at("data").get<std::string>()), "Hello \xE2\x80\x94 see you Monday.");
    EXPECT_EQ(m.at("snippet"), "Hello — see you Monday.");
    const auto raw = client().get(std::string(kMessages) + "/" + id + "?format=raw", sender).json();
    const auto decoded = base64_decode(raw.at("raw").get<std::string>());
    ASSERT_TRUE(decoded);
    EXPECT_NE(decoded->find("Subject: Hi\r\n"), std::string::npos);
    const auto meta = client().get(std::string(kMessages) + "/" + id + "?format=metadata&metadataHeaders=Subject", sender).json();
    ASSERT_EQ(meta.at("payload").at("headers").size(), 1u);
    EXPECT_EQ(meta.at("payload").at("headers").at(0).at("value"), "Hi");
    const auto missing = client().get(std::string(kMessages) + "/0123456789abcdef", sender);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.json().at("error").at("errors").at(0).at("reason"), "notFound");
}

TEST_F(GmailTest, ListSearchesAndPages) {
    for (int i = 0; i < 3; ++i) {
        client().post_json(kSend, {{"raw", base64url_encode(message("jane@example.com", "Report " + std::to_string(i)))}},
                           sender);
    }
    client().post_json(kSend, {{"raw", base64url_encode(message("bob@example.com", "Lunch"))}}, sender);
    const auto to_jane = client().get(std::string(kMessages) + "?q=to%3Ajane%40example.com%20subject%3Areport&maxResults=2", sender);
    ASSERT_EQ(to_jane.status, 200) << to_jane.body;
    expect_conforms("gmail.users.messages.list", to_jane.json());
    EXPECT_EQ(to_jane.json().at("resultSizeEstimate"), 3);
    ASSERT_EQ(to_jane.json().at("messages").size(), 2u);
    const std::string next = to_jane.json().at("nextPageToken");
    const auto page2 = client().get(std::string(kMessages) + "?q=to%3Ajane%40example.com%20subject%3Areport&maxResults=2&pageToken=" + next,
                                    sender);
    EXPECT_EQ(page2.json().at("messages").size(), 1u);
    const auto lunch = client().get(std::string(kMessages) + "?q=lunch%20-to%3Ajane%40example.com&labelIds=SENT", sender);
    EXPECT_EQ(lunch.json().at("resultSizeEstimate"), 1);
    const auto none = client().get(std::string(kMessages) + "?q=subject%3Anothing", sender);
    EXPECT_EQ(none.json().at("resultSizeEstimate"), 0);
    EXPECT_FALSE(none.json().contains("messages"));
    // The recipient finds it in the inbox with her own token.
    const auto jane = client().get(std::string(kMessages) + "?q=in%3Ainbox%20is%3Aunread", google_token({kGmailRead}, "jane@example.com"));
    EXPECT_EQ(jane.json().at("resultSizeEstimate"), 3);
}

TEST_F(GmailTest, SendErrors) {
    const auto no_raw = client().post_json(kSend, json::object(), sender);
    EXPECT_EQ(no_raw.status, 400);
    EXPECT_EQ(no_raw.json().at("error").at("status"), "INVALID_ARGUMENT");
    const auto no_recipient = client().post_json(kSend, {{"raw", base64url_encode("Subject: x\r\n\r\nbody")}}, sender);
    EXPECT_EQ(no_recipient.status, 400);
    EXPECT_EQ(no_recipient.json().at("error").at("message"), "Recipient address required");
    const auto bad_to = client().post_json(kSend, {{"raw", base64url_encode("To: nobody\r\n\r\nbody")}}, sender);
    EXPECT_EQ(bad_to.status, 400);
    EXPECT_NE(bad_to.json().at("error").at("message").get<std::string>().find("Invalid To header"), std::string::npos);
    const auto readonly = client().post_json(kSend, {{"raw", base64url_encode(message("a@example.com", "x"))}},
                                             google_token({kGmailRead}));
    EXPECT_EQ(readonly.status, 403); // gmail.readonly cannot send
    const auto other_user = client().post_json("/gmail.googleapis.com/gmail/v1/users/boss@example.com/messages/send",
                                               {{"raw", base64url_encode(message("a@example.com", "x"))}}, sender);
    EXPECT_EQ(other_user.status, 403);
}

} // namespace
} // namespace switchboard::sim::testing
