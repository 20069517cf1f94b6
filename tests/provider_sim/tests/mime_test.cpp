// MIME as Gmail's `raw` carries it: multipart/alternative, quoted-printable and base64
// bodies, RFC 2047 encoded-word headers, charsets, address lists, attachments.
#include "tests/provider_sim/mime/address_list.hpp"
#include "tests/provider_sim/mime/email_message.hpp"
#include "tests/provider_sim/mime/encoded_words.hpp"
#include "tests/provider_sim/mime/transfer_encoding.hpp"

#include <gtest/gtest.h>

namespace switchboard::sim {
namespace {

constexpr const char* kAlternative =
    "From: =?UTF-8?Q?Ren=C3=A9_Dupont?= <rene@example.com>\r\n"
    "To: \"Doe, Jane\" <jane@example.com>, bob@example.com\r\n"
    "Cc: team: carol@example.com, dan@example.com;\r\n"
    "Bcc: hidden@example.com\r\n"
    "Subject: =?UTF-8?B?UsOpdW5pb24=?= =?UTF-8?Q?_de_lundi?=\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/alternative;\r\n"
    " boundary=\"b1\"\r\n"
    "\r\n"
    "preamble is ignored\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Caf=C3=A9 =E2=82=AC 5, a long line that is =\r\n"
    "soft-wrapped.\r\n"
    "--b1\r\n"
    "Content-Type: text/html; charset=\"iso-8859-1\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "PHA+Q2Fm6TwvcD4=\r\n"
    "--b1--\r\n"
    "epilogue\r\n";

TEST(Mime, DecodesAMultipartAlternativeMessage) {
    const auto m = parse_email(kAlternative);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->subject, "Réunion de lundi");
    ASSERT_EQ(m->from.size(), 1u);
    EXPECT_EQ(m->from[0].name, "René Dupont");
    ASSERT_EQ(m->to.size(), 2u);
    EXPECT_EQ(m->to[0].name, "Doe, Jane");
    EXPECT_EQ(m->to[0].address, "jane@example.com");
    EXPECT_EQ(m->to[1].address, "bob@example.com");
    ASSERT_EQ(m->cc.size(), 2u);
    EXPECT_EQ(m->cc[1].address, "dan@example.com");
    EXPECT_EQ(m->recipients().size(), 5u);
    EXPECT_EQ(m->text, "Café € 5, a long line that is soft-wrapped.");
    EXPECT_EQ(m->html, "<p>Café</p>");
    EXPECT_TRUE(m->attachments.empty());
    ASSERT_EQ(m->root.parts.size(), 2u);
}

TEST(Mime, FindsTextInsideMixedWithAnAttachment) {
    const std::string raw =
        "To: a@example.com\nSubject: plain\nContent-Type: multipart/mixed; boundary=outer\n\n"
        "--outer\nContent-Type: multipart/alternative; boundary=inner\n\n"
        "--inner\nContent-Type: text/plain\n\nhello\n--inner\nContent-Type: text/html\n\n<b>hello</b>\n--inner--\n"
        "--outer\nContent-Type: application/pdf; name=\"=?UTF-8?Q?r=C3=A9sum=C3=A9.pdf?=\"\n"
        "Content-Disposition: attachment\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n--outer--\n";
    const auto m = parse_email(raw);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->text, "hello");
    EXPECT_EQ(m->html, "<b>hello</b>");
    ASSERT_EQ(m->attachments.size(), 1u);
    EXPECT_EQ(m->attachments[0].filename, "résumé.pdf");
    EXPECT_EQ(m->attachments[0].media_type, "application/pdf");
    EXPECT_EQ(m->attachments[0].size, 5u); // "%PDF-"
}

TEST(Mime, RefusesBrokenMessages) {
    EXPECT_FALSE(parse_email("To: a@example.com\nContent-Type: multipart/mixed\n\nno boundary"));
    EXPECT_FALSE(parse_email("To: not an address\n\nbody"));
    EXPECT_FALSE(parse_email("To: a@example.com\nContent-Transfer-Encoding: base64\n\n***"));
    EXPECT_FALSE(parse_email("To: a@example.com\nContent-Type: text/plain; charset=utf-8\n\n\xff\xfe"));
    EXPECT_FALSE(parse_email("To: a@example.com\nContent-Type: multipart/mixed; boundary=x\n\nno delimiter"));
}

TEST(Mime, EncodedWordsFollowRfc2047) {
    EXPECT_EQ(decode_encoded_words("=?ISO-8859-1?Q?caf=E9?= au lait"), "café au lait");
    EXPECT_EQ(decode_encoded_words("=?utf-8?b?4pyU?= =?utf-8?b?4pyU?="), "✔✔"); // blank between words dropped
    EXPECT_EQ(decode_encoded_words("plain =?bogus"), "plain =?bogus");
    EXPECT_EQ(decode_encoded_words("=?x-unknown-charset?Q?a?="), "=?x-unknown-charset?Q?a?=");
}

TEST(Mime, QuotedPrintableKeepsHardBreaksAndDropsSoftOnes) {
    EXPECT_EQ(decode_quoted_printable("a=3Db=\r\nc\r\nd"), "a=bc\r\nd");
    EXPECT_EQ(decode_quoted_printable("50=25 =ZZ"), "50% =ZZ");
}

TEST(Mime, AddressListsHandleQuotesCommentsAndGroups) {
    const auto list = parse_address_list("\"Smith, J\" <j@example.com> (work), k@example.com, list: ;");
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].name, "Smith, J");
    EXPECT_EQ((*list)[1].address, "k@example.com");
    EXPECT_FALSE(parse_address_list("two@@example.com"));
}

TEST(Mime, RemoveHeaderDropsFoldedHeadersWhole) {
    const std::string raw = "To: a@example.com\r\nBcc: b@example.com,\r\n c@example.com\r\nSubject: s\r\n\r\nbody";
    EXPECT_EQ(remove_header(raw, "bcc"), "To: a@example.com\r\nSubject: s\r\n\r\nbody");
}

} // namespace
} // namespace switchboard::sim
