// The Gmail plugin's MIME builder, checked by parsing its output back: with the tests' own
// reader (mime_reader.hpp), with the plugin's decoders, and with Python's email package.
#include "plugins/gmail/mime/message_builder.hpp"

#include "plugins/common/base64.hpp"
#include "plugins/gmail/mime/address_list.hpp"
#include "plugins/gmail/mime/encoded_word.hpp"
#include "tests/plugins/gmail/mime_reader.hpp"
#include "tests/support/child_process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace {

using namespace switchboard::plugins::gmail::mime;
namespace t = switchboard::plugins::testing;
using ::testing::HasSubstr;

// 2024-06-01T12:00:00Z and tokens tok1, tok2, ... so the output is predictable.
MessageContext fixed_context() {
    MessageContext ctx;
    ctx.now_unix_ms = 1717243200000;
    ctx.random_token = [n = 0]() mutable { return "tok" + std::to_string(++n); };
    return ctx;
}

OutgoingMessage simple(std::string text) {
    OutgoingMessage m;
    m.to = {{"bob@example.com", "Bob"}};
    m.subject = "Hello";
    m.text_body = std::move(text);
    return m;
}

std::string build_ok(const OutgoingMessage& m) {
    const BuildResult r = build_message(m, fixed_context());
    EXPECT_TRUE(r.ok()) << r.error << " at " << r.error_field;
    return r.message;
}

// Every line CRLF-terminated (the last may be unterminated), no bare CR or LF, within 998
// octets, 7-bit; header lines within 78.
void expect_wire_safe(const std::string& message) {
    bool in_headers = true;
    std::size_t pos = 0;
    while (pos < message.size()) {
        std::size_t end = message.find("\r\n", pos);
        if (end == std::string::npos) end = message.size();
        const std::string line = message.substr(pos, end - pos);
        EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << "bare CR or LF in: " << line;
        EXPECT_LE(line.size(), 998u);
        if (in_headers) {
            EXPECT_LE(line.size(), 78u) << line;
        }
        if (line.empty()) in_headers = false;
        for (const char c : line) ASSERT_LT(static_cast<unsigned char>(c), 0x80) << line;
        pos = end + 2;
    }
}

TEST(MessageBuilder, PlainTextMessage) {
    OutgoingMessage m = simple("Hi Bob,\nsee you.\n");
    m.cc = {{"carol@example.com", ""}};
    m.bcc = {{"dave@example.com", "Dave"}};
    m.reply_to = Mailbox{"replies@example.com", "Replies"};
    const BuildResult r = build_message(m, fixed_context());
    ASSERT_TRUE(r.ok()) << r.error;
    expect_wire_safe(r.message);
    const t::MimeEntity e = t::parse_entity(r.message);
    std::vector<std::string> names;
    for (const auto& [name, value] : e.headers) names.push_back(name);
    EXPECT_THAT(names, ::testing::ElementsAre("Date", "Message-ID", "Subject", "To", "Cc", "Bcc", "Reply-To",
                                              "MIME-Version", "Content-Type", "Content-Transfer-Encoding"));
    EXPECT_EQ(e.header("Date"), "Sat, 01 Jun 2024 12:00:00 +0000");
    EXPECT_EQ(e.header("Message-ID"), "<tok1@switchboard.invalid>");
    EXPECT_EQ(r.message_id, "<tok1@switchboard.invalid>");
    EXPECT_EQ(e.header("Subject"), "Hello");
    EXPECT_EQ(e.header("To"), "Bob <bob@example.com>");
    EXPECT_EQ(e.header("Cc"), "carol@example.com");
    EXPECT_EQ(e.header("Bcc"), "Dave <dave@example.com>");
    EXPECT_EQ(e.header("Reply-To"), "Replies <replies@example.com>");
    EXPECT_EQ(e.header("MIME-Version"), "1.0");
    EXPECT_EQ(e.header("Content-Type"), "text/plain; charset=UTF-8");
    EXPECT_EQ(e.header("Content-Transfer-Encoding"), "quoted-printable");
    EXPECT_EQ(e.header("From"), std::nullopt); // Gmail sets the account's own address
    EXPECT_EQ(t::decoded_body(e), "Hi Bob,\r\nsee you.\r\n");
}

TEST(MessageBuilder, HtmlOnlyMessage) {
    OutgoingMessage m;
    m.to = {{"bob@example.com", ""}};
    m.subject = "Report";
    m.html_body = "<p>caf\xC3\xA9</p>";
    const std::string message = build_ok(m);
    expect_wire_safe(message);
    const t::MimeEntity e = t::parse_entity(message);
    EXPECT_EQ(e.header("Content-Type"), "text/html; charset=UTF-8");
    EXPECT_EQ(t::decoded_body(e), "<p>caf\xC3\xA9</p>");
}

TEST(MessageBuilder, BothBodiesMakeMultipartAlternativeTextFirst) {
    OutgoingMessage m = simple("plain version");
    m.html_body = "<b>html</b> version";
    const std::string message = build_ok(m);
    expect_wire_safe(message);
    const t::MimeEntity e = t::parse_entity(message);
    const std::string type = e.header("Content-Type").value();
    EXPECT_THAT(type, ::testing::StartsWith("multipart/alternative;"));
    EXPECT_EQ(t::boundary_of(type), "=_sb_tok2");
    EXPECT_EQ(e.header("Content-Transfer-Encoding"), std::nullopt);
    const auto parts = t::split_multipart(e.body, "=_sb_tok2");
    ASSERT_EQ(parts.size(), 2u);
    const t::MimeEntity text = t::parse_entity(parts[0]);
    const t::MimeEntity html = t::parse_entity(parts[1]);
    EXPECT_EQ(text.header("Content-Type"), "text/plain; charset=UTF-8");
    EXPECT_EQ(html.header("Content-Type"), "text/html; charset=UTF-8");
    EXPECT_EQ(t::decoded_body(text), "plain version");
    EXPECT_EQ(t::decoded_body(html), "<b>html</b> version");
    EXPECT_TRUE(message.ends_with("\r\n--=_sb_tok2--\r\n"));
}

TEST(MessageBuilder, TheBoundaryCannotOccurInTheBodies) {
    // A body holding the very delimiter the builder will pick: quoted-printable turns its
    // "=" into "=3D", so the delimiter line appears nowhere in the encoded text.
    OutgoingMessage m = simple("before\r\n--=_sb_tok2\r\nContent-Type: text/html\r\n\r\n--=_sb_tok2--\r\nafter");
    m.html_body = "--=_sb_tok2";
    const std::string message = build_ok(m);
    const t::MimeEntity e = t::parse_entity(message);
    const auto parts = t::split_multipart(e.body, "=_sb_tok2");
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(t::decoded_body(t::parse_entity(parts[0])), *m.text_body);
    EXPECT_EQ(t::decoded_body(t::parse_entity(parts[1])), *m.html_body);
}

TEST(MessageBuilder, NonAsciiSubjectBecomesEncodedWordsWithinLineLimits) {
    OutgoingMessage m = simple("x");
    m.subject = "R\xC3\xA9union \xE2\x80\x94 caf\xC3\xA9 et cr\xC3\xA8me br\xC3\xBBl\xC3\xA9" "e pour toute l'\xC3\xA9quipe "
                "du d\xC3\xA9partement des ventes, vendredi \xC3\xA0 15h";
    const std::string message = build_ok(m);
    expect_wire_safe(message);
    const t::MimeEntity e = t::parse_entity(message);
    const std::string subject = e.header("Subject").value();
    EXPECT_THAT(subject, ::testing::StartsWith("=?UTF-8?"));
    EXPECT_EQ(decode_header_text(subject), m.subject);
    std::size_t subject_lines = 0;
    for (const auto& line : e.raw_header_lines) {
        if (line.starts_with("Subject:") || (subject_lines > 0 && line.starts_with(" "))) ++subject_lines;
    }
    EXPECT_GT(subject_lines, 1u); // folded
}

TEST(MessageBuilder, LongAsciiSubjectIsFoldedAtSpaces) {
    OutgoingMessage m = simple("x");
    for (int i = 0; i < 30; ++i) m.subject += "quarterly" + std::to_string(i) + " ";
    m.subject += "end";
    const std::string message = build_ok(m);
    expect_wire_safe(message);
    EXPECT_EQ(t::parse_entity(message).header("Subject"), m.subject); // plain, just unfolded
}

TEST(MessageBuilder, SubjectsThatCannotStayPlainAreEncoded) {
    for (const std::string& subject : {std::string(120, 'x'), std::string("price =?UTF-8?Q?x?= trick"),
                                      std::string("bell\x07")}) {
        OutgoingMessage m = simple("x");
        m.subject = subject;
        const std::string message = build_ok(m);
        expect_wire_safe(message);
        const std::string header = t::parse_entity(message).header("Subject").value();
        EXPECT_THAT(header, ::testing::StartsWith("=?UTF-8?")) << subject;
        EXPECT_EQ(decode_header_text(header), subject);
    }
    OutgoingMessage empty = simple("x");
    empty.subject = "";
    EXPECT_THAT(build_ok(empty), HasSubstr("\r\nSubject:\r\n"));
}

TEST(MessageBuilder, AddressListsFoldAndReadBack) {
    OutgoingMessage m = simple("x");
    m.to.clear();
    for (int i = 0; i < 30; ++i) {
        m.to.push_back({"person" + std::to_string(i) + "@example.com",
                        i % 3 == 0 ? "Zo\xC3\xAB N\xC2\xB0" + std::to_string(i) : i % 3 == 1 ? "Doe, J." : ""});
    }
    const std::string message = build_ok(m);
    expect_wire_safe(message);
    const auto parsed = parse_address_list(t::parse_entity(message).header("To").value());
    ASSERT_EQ(parsed.size(), m.to.size());
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        EXPECT_EQ(parsed[i].email, m.to[i].email);
        EXPECT_EQ(parsed[i].name, m.to[i].name);
    }
}

TEST(MessageBuilder, ReplyHeaders) {
    OutgoingMessage m = simple("x");
    m.in_reply_to = "CAabc123@mail.gmail.com";
    t::MimeEntity e = t::parse_entity(build_ok(m));
    EXPECT_EQ(e.header("In-Reply-To"), "<CAabc123@mail.gmail.com>");
    EXPECT_EQ(e.header("References"), "<CAabc123@mail.gmail.com>");
    m.in_reply_to = "  <CAabc123@mail.gmail.com> ";
    e = t::parse_entity(build_ok(m));
    EXPECT_EQ(e.header("In-Reply-To"), "<CAabc123@mail.gmail.com>");
}

TEST(MessageBuilder, HeaderInjectionIsRefused) {
    struct Case {
        std::function<void(OutgoingMessage&)> poison;
        const char* field;
    };
    const Case cases[] = {
        {[](OutgoingMessage& m) { m.subject = "hi\r\nBcc: evil@example.com"; }, "/subject"},
        {[](OutgoingMessage& m) { m.subject = "hi\nBcc: evil@example.com"; }, "/subject"},
        {[](OutgoingMessage& m) { m.subject = "hi\rBcc: evil@example.com"; }, "/subject"},
        {[](OutgoingMessage& m) { m.to[0].name = "Bob\r\nBcc: evil@example.com"; }, "/to/0/name"},
        {[](OutgoingMessage& m) { m.to.push_back({"x@example.com\nBcc: evil@example.com", ""}); }, "/to/1/email"},
        {[](OutgoingMessage& m) { m.cc = {{"ok@example.com", ""}, {"a@b.c", "\n"}}; }, "/cc/1/name"},
        {[](OutgoingMessage& m) { m.bcc = {{"evil\r@example.com", ""}}; }, "/bcc/0/email"},
        {[](OutgoingMessage& m) { m.reply_to = Mailbox{"r@example.com", "R\r\nX: y"}; }, "/reply_to/name"},
        {[](OutgoingMessage& m) { m.in_reply_to = "<a@b>\r\nBcc: evil@example.com"; }, "/in_reply_to"},
    };
    for (const auto& c : cases) {
        OutgoingMessage m = simple("x");
        c.poison(m);
        const BuildResult r = build_message(m, fixed_context());
        EXPECT_FALSE(r.ok()) << c.field;
        EXPECT_EQ(r.error_field, c.field);
        EXPECT_TRUE(r.message.empty());
    }
}

TEST(MessageBuilder, InvalidValuesAreRefusedWithTheirField) {
    OutgoingMessage m = simple("x");
    m.in_reply_to = "not a message id";
    EXPECT_EQ(build_message(m, fixed_context()).error_field, "/in_reply_to");
    m = simple("x");
    m.to.push_back({"no-domain", ""});
    EXPECT_EQ(build_message(m, fixed_context()).error_field, "/to/1/email");
    m = simple("x");
    m.cc = {{"m\xC3\xBCller@example.com", ""}};
    const BuildResult r = build_message(m, fixed_context());
    EXPECT_EQ(r.error_field, "/cc/0/email");
    EXPECT_THAT(r.error, HasSubstr("not ASCII"));
}

TEST(MessageBuilder, LongLinesTrailingSpacesAndBareLineBreaksSurvive) {
    std::string text = std::string(5000, 'a') + "\n" + "ends with spaces   \n" + "tab\t\r" + "=3D literal\n";
    const std::string message = build_ok(simple(text));
    expect_wire_safe(message);
    const t::MimeEntity e = t::parse_entity(message);
    EXPECT_EQ(e.header("Content-Transfer-Encoding"), "quoted-printable");
    EXPECT_EQ(t::decoded_body(e), std::string(5000, 'a') + "\r\nends with spaces   \r\ntab\t\r\n=3D literal\r\n");
}

TEST(MessageBuilder, MostlyNonAsciiBodyIsBase64) {
    std::string text;
    for (int i = 0; i < 500; ++i) text += "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E";
    const std::string message = build_ok(simple(text));
    expect_wire_safe(message);
    const t::MimeEntity e = t::parse_entity(message);
    EXPECT_EQ(e.header("Content-Transfer-Encoding"), "base64");
    EXPECT_EQ(t::decoded_body(e), text);
}

TEST(MessageBuilder, ChooseBoundaryDrawsAgainOnACollisionAndGivesUpInTheEnd) {
    // Unreachable through build_message (quoted-printable and base64 text never hold "=_"),
    // so the guard is tested on its own.
    const std::vector<std::string_view> parts = {"x\r\n--=_sb_a\r\n", "--=_sb_b--"};
    std::vector<std::string> tokens = {"a", "b", "c"};
    std::size_t next = 0;
    EXPECT_EQ(choose_boundary(parts, [&] { return tokens[next++]; }), "=_sb_c");
    EXPECT_EQ(next, 3u);
    int calls = 0;
    EXPECT_EQ(choose_boundary(parts, [&] { ++calls; return std::string("a"); }), std::nullopt);
    EXPECT_EQ(calls, 8);
}

// Python's email package (policy.default) reads the messages back: a second, unrelated
// implementation of RFC 5322, 2045-2047 and 2231.
TEST(MessageBuilder, PythonEmailPackageReadsTheMessagesBack) {
    std::vector<OutgoingMessage> messages;
    OutgoingMessage a = simple("Line one\nLine two with caf\xC3\xA9 \xE2\x82\xAC\n" + std::string(300, 'z'));
    a.to = {{"bob@example.com", "Bob \"The Builder\" Smith"}, {"jp@example.com", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"}};
    a.cc = {{"carol@example.com", "Doe, Carol"}, {"x@example.com", ""}};
    a.bcc = {{"secret@example.com", "Z\xC3\xB6\xC3\xAB"}};
    a.reply_to = Mailbox{"replies@example.com", "Team (sales)"};
    a.subject = "Caf\xC3\xA9 \xE2\x98\x95 meeting \xE2\x80\x94 agenda for the long quarterly review of everything";
    a.html_body = "<p>Hello <b>Bob</b>, caf\xC3\xA9</p>";
    a.in_reply_to = "<orig@example.com>";
    messages.push_back(a);
    OutgoingMessage b = simple("");
    b.subject = "plain ascii subject that is long enough to need folding at some point, surely, yes";
    messages.push_back(b);
    OutgoingMessage c;
    c.to = {{"x@example.com", "x"}};
    c.subject = "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82";
    c.html_body = "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xD0\xBC\xD0\xB8\xD1\x80";
    messages.push_back(c);

    nlohmann::json input = nlohmann::json::array();
    for (const auto& m : messages) input.push_back(switchboard::plugins::base64::encode(build_ok(m)));
    switchboard::testing::ProcessOptions options;
    options.argv = {"python3", std::string(SB_GMAIL_TEST_DIR) + "/parse_messages.py"};
    const auto result = switchboard::testing::run_process(options, input.dump());
    ASSERT_TRUE(result.status.exited_with(0)) << result.error;
    const auto parsed = nlohmann::json::parse(result.output);
    ASSERT_EQ(parsed.size(), messages.size());

    const auto crlf_to_lf = [](std::string s) {
        for (std::size_t p; (p = s.find("\r\n")) != std::string::npos;) s.replace(p, 2, "\n");
        return s;
    };
    const auto addresses = [](const std::vector<Mailbox>& list) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& m : list) out.push_back({{"email", m.email}, {"name", m.name}});
        return out;
    };
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto& p = parsed[i];
        const auto& m = messages[i];
        SCOPED_TRACE("message " + std::to_string(i));
        EXPECT_TRUE(p["defects"].empty()) << p["defects"].dump();
        EXPECT_EQ(p["subject"], m.subject);
        EXPECT_EQ(p["to"], addresses(m.to));
        if (!m.cc.empty()) {
            EXPECT_EQ(p["cc"], addresses(m.cc));
        }
        if (!m.bcc.empty()) {
            EXPECT_EQ(p["bcc"], addresses(m.bcc));
        }
        if (m.reply_to) {
            EXPECT_EQ(p["reply_to"], addresses({*m.reply_to}));
        }
        if (m.text_body) {
            EXPECT_EQ(crlf_to_lf(p["text"].get<std::string>()), crlf_to_lf(*m.text_body));
        }
        if (m.html_body) {
            EXPECT_EQ(crlf_to_lf(p["html"].get<std::string>()), crlf_to_lf(*m.html_body));
        }
    }
    EXPECT_EQ(parsed[0]["content_type"], "multipart/alternative");
    EXPECT_EQ(parsed[0]["in_reply_to"], "<orig@example.com>");
    EXPECT_EQ(parsed[1]["content_type"], "text/plain");
    EXPECT_EQ(parsed[2]["content_type"], "text/html");
}

} // namespace
