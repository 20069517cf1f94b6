// The MIME building blocks of the Gmail plugin: encoded-words, quoted-printable, header
// folding, mailboxes, address lists, dates, charsets and MIME parameters.
#include "plugins/gmail/mime/address_list.hpp"
#include "plugins/gmail/mime/charset.hpp"
#include "plugins/gmail/mime/encoded_word.hpp"
#include "plugins/gmail/mime/header_folding.hpp"
#include "plugins/gmail/mime/mail_date.hpp"
#include "plugins/gmail/mime/mailbox.hpp"
#include "plugins/gmail/mime/parameterized_value.hpp"
#include "plugins/gmail/mime/transfer_encoding.hpp"
#include "plugins/gmail/mime/utf8.hpp"

#include "tests/plugins/gmail/mime_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace switchboard::plugins::gmail::mime;
namespace t = switchboard::plugins::testing;
using ::testing::ElementsAre;

std::string join(const std::vector<std::string>& words, const char* separator = " ") {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) out += (i ? separator : "") + words[i];
    return out;
}

// --- encoded-words ----------------------------------------------------------------------------

TEST(EncodedWord, AsciiLettersUseQ) {
    EXPECT_THAT(encode_words("Andre Pirard"), ElementsAre("=?UTF-8?Q?Andre_Pirard?="));
    EXPECT_THAT(encode_words("caf\xC3\xA9 au lait with friends"),
                ElementsAre("=?UTF-8?Q?caf=C3=A9_au_lait_with_friends?="));
    // Phrase-unsafe characters are escaped even though they are ASCII (RFC 2047 §5(3)).
    EXPECT_THAT(encode_words("a\"b,c? abcdefghijklmnop"), ElementsAre("=?UTF-8?Q?a=22b=2Cc=3F_abcdefghijklmnop?="));
    // A short word with a non-ASCII letter is shorter in B (as Python's email package chooses).
    EXPECT_THAT(encode_words("Andr\xC3\xA9"), ElementsAre("=?UTF-8?B?QW5kcsOp?="));
}

TEST(EncodedWord, MostlyNonAsciiUsesB) {
    const std::string japanese = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"; // 日本語
    EXPECT_THAT(encode_words(japanese), ElementsAre("=?UTF-8?B?5pel5pys6Kqe?="));
}

TEST(EncodedWord, LongTextIsSplitOnCharacterBoundariesWithinTheLimit) {
    std::string text;
    for (int i = 0; i < 60; ++i) text += "\xC3\xA9\xE2\x82\xAC x"; // é€ x, mixed widths
    for (const std::size_t limit : {24u, 40u, 66u, 75u}) {
        const auto words = encode_words(text, limit);
        ASSERT_GT(words.size(), 1u);
        std::string decoded;
        for (const auto& w : words) {
            EXPECT_LE(w.size(), limit) << w;
            std::string part;
            ASSERT_TRUE(decode_word(w, part)) << w;
            EXPECT_TRUE(is_valid_utf8(part)) << "a word split a character: " << w;
            decoded += part;
        }
        EXPECT_EQ(decoded, text);
        EXPECT_EQ(decode_header_text(join(words, "\r\n ")), text); // folded between words
    }
}

TEST(EncodedWord, DecodesRfc2047Examples) {
    // RFC 2047 §8.
    EXPECT_EQ(decode_header_text("=?ISO-8859-1?Q?a?= b"), "a b");
    EXPECT_EQ(decode_header_text("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?="), "ab");
    EXPECT_EQ(decode_header_text("=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?="), "ab");
    EXPECT_EQ(decode_header_text("=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?="), "ab");
    EXPECT_EQ(decode_header_text("=?ISO-8859-1?Q?a_b?="), "a b");
    EXPECT_EQ(decode_header_text("=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?="), "a b");
    EXPECT_EQ(decode_header_text("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?="), "Keld J\xC3\xB8rn Simonsen");
    EXPECT_EQ(decode_header_text("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
                                 " =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?="),
              "If you can read this you understand the example.");
    // Lower-case encodings, RFC 2231 language tags, text around words.
    EXPECT_EQ(decode_header_text("Re: =?utf-8?q?caf=C3=A9?= ok"), "Re: caf\xC3\xA9 ok");
    EXPECT_EQ(decode_header_text("=?UTF-8*en?B?aGk=?="), "hi");
    // Not encoded-words: kept as written.
    EXPECT_EQ(decode_header_text("=?UTF-8?X?abc?="), "=?UTF-8?X?abc?=");
    EXPECT_EQ(decode_header_text("=?UTF-8?Q?a b?="), "=?UTF-8?Q?a b?=");
    EXPECT_EQ(decode_header_text("2+2=?4"), "2+2=?4");
    EXPECT_EQ(decode_header_text("=?UTF-8?B?!!!?="), "=?UTF-8?B?!!!?=");
}

// --- quoted-printable and base64 bodies ----------------------------------------------------

void expect_lines_within(const std::string& encoded, std::size_t limit) {
    std::size_t pos = 0;
    while (pos <= encoded.size()) {
        const std::size_t end = encoded.find("\r\n", pos);
        const std::string line = encoded.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        EXPECT_LE(line.size(), limit) << line;
        EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << "a bare CR or LF";
        for (const char c : line) EXPECT_LT(static_cast<unsigned char>(c), 0x80) << line;
        if (end == std::string::npos) break;
        pos = end + 2;
    }
}

TEST(QuotedPrintable, EscapesAndSoftBreaks) {
    EXPECT_EQ(encode_quoted_printable("a=b caf\xC3\xA9"), "a=3Db caf=C3=A9");
    EXPECT_EQ(encode_quoted_printable("trailing \r\ntab\t"), "trailing=20\r\ntab=09");
    const std::string long_line(200, 'x');
    const std::string encoded = encode_quoted_printable(long_line);
    expect_lines_within(encoded, max_encoded_line_length);
    EXPECT_NE(encoded.find("=\r\n"), std::string::npos);
    EXPECT_EQ(t::decode_quoted_printable(encoded), long_line);
}

TEST(QuotedPrintable, NeverSplitsAnEscape) {
    std::string text;
    for (int i = 0; i < 300; ++i) text += (i % 3 == 0) ? "\xC3\xA9" : "a";
    const std::string encoded = encode_quoted_printable(text);
    expect_lines_within(encoded, max_encoded_line_length);
    EXPECT_EQ(t::decode_quoted_printable(encoded), text);
}

TEST(QuotedPrintable, RoundTripsAnyBytes) {
    std::string text;
    for (int i = 0; i < 2000; ++i) text.push_back(static_cast<char>((i * 7919) % 256));
    const std::string crlf = normalize_line_breaks(text);
    const std::string encoded = encode_quoted_printable(crlf);
    expect_lines_within(encoded, max_encoded_line_length);
    EXPECT_EQ(t::decode_quoted_printable(encoded), crlf);
}

TEST(TransferEncoding, LineBreaksBecomeCrlf) {
    EXPECT_EQ(normalize_line_breaks("a\nb\rc\r\nd\n\n"), "a\r\nb\r\nc\r\nd\r\n\r\n");
}

TEST(TransferEncoding, ChoosesQuotedPrintableForMostlyAsciiAndBase64Otherwise) {
    const EncodedBody ascii = encode_text_body("Hello,\nsee you at 10.\n");
    EXPECT_EQ(ascii.transfer_encoding, "quoted-printable");
    EXPECT_EQ(ascii.text, "Hello,\r\nsee you at 10.\r\n");

    std::string japanese;
    for (int i = 0; i < 200; ++i) japanese += "\xE6\x97\xA5\xE6\x9C\xAC";
    const EncodedBody cjk = encode_text_body(japanese);
    EXPECT_EQ(cjk.transfer_encoding, "base64");
    expect_lines_within(cjk.text, 76);
    EXPECT_EQ(switchboard::plugins::base64::decode(cjk.text, switchboard::plugins::base64::Alphabet::standard, true),
              japanese);
}

// --- header folding ------------------------------------------------------------------------------

TEST(HeaderFolding, FoldsBeforeTheTokenThatWouldPassColumn78) {
    std::vector<std::string> words;
    for (int i = 0; i < 40; ++i) words.push_back("word" + std::to_string(i));
    const FoldedHeader folded = fold_header("Subject", words);
    EXPECT_LE(folded.longest_line, recommended_line_length);
    EXPECT_TRUE(folded.text.ends_with("\r\n"));
    const auto entity = t::parse_entity(folded.text + "\r\n");
    EXPECT_EQ(entity.header("Subject"), join(words));
    EXPECT_GT(entity.raw_header_lines.size(), 1u);
}

TEST(HeaderFolding, NoWhitespaceOnlyLinesAndNothingLost) {
    const std::vector<std::string> tokens = {"a", "", "", std::string(70, 'b'), "", "c"};
    const FoldedHeader folded = fold_header("Subject", tokens);
    const auto entity = t::parse_entity(folded.text + "\r\n");
    EXPECT_EQ(entity.header("Subject"), join(tokens));
    for (const auto& line : entity.raw_header_lines) {
        EXPECT_NE(line.find_first_not_of(" \t"), std::string::npos) << "whitespace-only line";
    }
    EXPECT_EQ(fold_header("Subject", {}).text, "Subject:\r\n");
}

// --- mailboxes -----------------------------------------------------------------------------------

std::string mailbox_text(const Mailbox& m) {
    std::vector<std::string> tokens;
    std::string why;
    if (!append_mailbox_tokens(m, tokens, why)) return "error: " + why;
    return join(tokens);
}

TEST(Mailbox, NamesAsAtomsQuotedStringsOrEncodedWords) {
    EXPECT_EQ(mailbox_text({"alice@example.com", ""}), "alice@example.com");
    EXPECT_EQ(mailbox_text({"alice@example.com", "Alice Smith"}), "Alice Smith <alice@example.com>");
    EXPECT_EQ(mailbox_text({"j@example.com", "Doe, John \"JD\""}),
              "\"Doe, John \\\"JD\\\"\" <j@example.com>");
    EXPECT_EQ(mailbox_text({"j@example.com", "J. Doe"}), "\"J. Doe\" <j@example.com>");
    EXPECT_EQ(mailbox_text({"j@example.com", "back\\slash"}), "\"back\\\\slash\" <j@example.com>");
    EXPECT_EQ(mailbox_text({"z@example.com", "Zo\xC3\xAB"}), "=?UTF-8?Q?Zo=C3=AB?= <z@example.com>"); // Q on a tie
    EXPECT_EQ(mailbox_text({"z@example.com", "=?looks encoded?="}).substr(0, 8), "=?UTF-8?");
    EXPECT_EQ(mailbox_text({"z@example.com", "tab\there"}).substr(0, 8), "=?UTF-8?");
    EXPECT_EQ(decode_header_text(mailbox_text({"z@example.com", "=?looks encoded?="})), "=?looks encoded?= <z@example.com>");
}

TEST(Mailbox, AddressesAreCheckedAndQuotedWhereNeeded) {
    EXPECT_EQ(mailbox_text({"john doe@example.com", ""}), "\"john doe\"@example.com");
    EXPECT_EQ(mailbox_text({"\"john doe\"@example.com", ""}), "\"john doe\"@example.com");
    EXPECT_EQ(mailbox_text({"a@[192.0.2.1]", ""}), "a@[192.0.2.1]");
    EXPECT_EQ(mailbox_text({"first.last+tag@sub.example.com", ""}), "first.last+tag@sub.example.com");
    EXPECT_THAT(mailbox_text({"no-at-sign", ""}), ::testing::StartsWith("error: "));
    EXPECT_THAT(mailbox_text({"a@", ""}), ::testing::StartsWith("error: "));
    EXPECT_THAT(mailbox_text({"a@exa mple.com", ""}), ::testing::StartsWith("error: "));
    EXPECT_THAT(mailbox_text({"a@example.com>", ""}), ::testing::StartsWith("error: "));
    EXPECT_THAT(mailbox_text({"a@example.com\r\nBcc: x@y.z", ""}), ::testing::HasSubstr("line break"));
    EXPECT_THAT(mailbox_text({"j\xC3\xBCrgen@example.com", ""}), ::testing::HasSubstr("not ASCII"));
    EXPECT_THAT(mailbox_text({"a@example.com", "Eve\r\nBcc: x@y.z"}), ::testing::HasSubstr("line break"));
    EXPECT_THAT(mailbox_text({"a@example.com", "Eve\nBcc: x@y.z"}), ::testing::HasSubstr("line break"));
}

// --- address lists (reading) -------------------------------------------------------------------

MATCHER_P2(Addr, email, name, "") { return arg.email == email && arg.name == name; }

TEST(AddressList, ReadsTheUsualForms) {
    EXPECT_THAT(parse_address_list("alice@example.com"), ElementsAre(Addr("alice@example.com", "")));
    EXPECT_THAT(parse_address_list("Alice Smith <alice@example.com>, \"Doe, John\" <j@example.com>"),
                ElementsAre(Addr("alice@example.com", "Alice Smith"), Addr("j@example.com", "Doe, John")));
    EXPECT_THAT(parse_address_list("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>"),
                ElementsAre(Addr("PIRARD@vm1.ulg.ac.be", "Andr\xC3\xA9 Pirard")));
    EXPECT_THAT(parse_address_list("\"=?UTF-8?B?5pel5pys?=\" <jp@example.com>"),
                ElementsAre(Addr("jp@example.com", "\xE6\x97\xA5\xE6\x9C\xAC")));
    EXPECT_THAT(parse_address_list("\"a \\\"quoted\\\" name\" <q@example.com>"),
                ElementsAre(Addr("q@example.com", "a \"quoted\" name")));
    EXPECT_THAT(parse_address_list("bob@example.com (Bob Jones)"), ElementsAre(Addr("bob@example.com", "Bob Jones")));
    EXPECT_THAT(parse_address_list("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>"),
                ElementsAre(Addr("pete@silly.test", "Pete")));
}

TEST(AddressList, GroupsRoutesFoldingAndJunk) {
    EXPECT_THAT(parse_address_list("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;"),
                ElementsAre(Addr("c@a.test", "Ed Jones"), Addr("joe@where.test", ""), Addr("jdoe@one.test", "John")));
    EXPECT_THAT(parse_address_list("undisclosed-recipients:;"), ElementsAre());
    EXPECT_THAT(parse_address_list("<@relay.test:user@example.com>"), ElementsAre(Addr("user@example.com", "")));
    EXPECT_THAT(parse_address_list("Long\r\n Name <x@example.com>,\r\n\ty@example.com, ,"),
                ElementsAre(Addr("x@example.com", "Long Name"), Addr("y@example.com", "")));
    EXPECT_THAT(parse_address_list("\"quoted local\"@example.com"),
                ElementsAre(Addr("\"quoted local\"@example.com", "")));
    EXPECT_THAT(parse_address_list(""), ElementsAre());
    EXPECT_THAT(parse_address_list("<<<>>>,,;;::\"unterminated"), ::testing::SizeIs(::testing::Le(1u)));
}

// --- dates ----------------------------------------------------------------------------------------

TEST(MailDate, WritesRfc5322AndRfc3339) {
    EXPECT_EQ(rfc5322_date(1717243200000), "Sat, 01 Jun 2024 12:00:00 +0000");
    EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
    EXPECT_EQ(rfc5322_date(951782400000 + 86399000), "Tue, 29 Feb 2000 23:59:59 +0000");
    EXPECT_EQ(rfc3339_utc(1717243200999), "2024-06-01T12:00:00Z");
}

TEST(MailDate, ReadsCurrentAndObsoleteForms) {
    EXPECT_EQ(rfc5322_to_rfc3339("Sat, 01 Jun 2024 14:00:00 +0200"), "2024-06-01T14:00:00+02:00");
    EXPECT_EQ(rfc5322_to_rfc3339("1 Jun 2024 14:00:00 -0530"), "2024-06-01T14:00:00-05:30");
    EXPECT_EQ(rfc5322_to_rfc3339("Fri, 21 Nov 1997 09:55:06 -0600"), "1997-11-21T09:55:06-06:00");
    EXPECT_EQ(rfc5322_to_rfc3339("Tue, 1 Jul 2003 10:52:37 +0200 (CEST)"), "2003-07-01T10:52:37+02:00");
    EXPECT_EQ(rfc5322_to_rfc3339("Thu,\r\n 13\r\n   Feb\r\n 1969\r\n 23:32\r\n -0330 (Newfoundland Time)"),
              "1969-02-13T23:32:00-03:30");
    EXPECT_EQ(rfc5322_to_rfc3339("21 Nov 97 09:55:06 GMT"), "1997-11-21T09:55:06+00:00");
    EXPECT_EQ(rfc5322_to_rfc3339("21 Nov 49 09:55:06 EST"), "2049-11-21T09:55:06-05:00");
    EXPECT_EQ(rfc5322_to_rfc3339("Mon, 3 Jun 2024 08:00:00 PDT"), "2024-06-03T08:00:00-07:00");
    EXPECT_EQ(rfc5322_to_rfc3339("3 Jun 2024 08:00:00 -0000"), "2024-06-03T08:00:00-00:00");
    EXPECT_EQ(rfc5322_to_rfc3339("3 Jun 2024 08:00:00"), "2024-06-03T08:00:00-00:00");
    EXPECT_EQ(rfc5322_to_rfc3339("3 Jun 2024 08:00:00 J"), "2024-06-03T08:00:00-00:00");
    EXPECT_EQ(rfc5322_to_rfc3339("3 Jun 2024 08:00:60 +0000"), "2024-06-03T08:00:60+00:00");
}

TEST(MailDate, RefusesWhatIsNotADate) {
    for (const char* bad : {"", "yesterday", "Sat, 31 Feb 2024 10:00:00 +0000", "32 Jan 2024 10:00:00 +0000",
                            "1 Foo 2024 10:00:00 +0000", "1 Jan 2024 24:00:00 +0000", "1 Jan 2024 10:60 +0000",
                            "1 Jan 2024 10:00:00 +2400x", "1 Jan 2024 10:00:00 +2400", "Xyz, 1 Jan 2024 10:00:00 +0000", "1 Jan 2024"}) {
        EXPECT_EQ(rfc5322_to_rfc3339(bad), std::nullopt) << bad;
    }
}

// --- charsets ---------------------------------------------------------------------------------------

TEST(Charset, Utf8AndAsciiAsIsWithReplacementForIllFormedBytes) {
    EXPECT_EQ(to_utf8("caf\xC3\xA9", "UTF-8").utf8, "caf\xC3\xA9");
    EXPECT_TRUE(to_utf8("caf\xC3\xA9", "\"utf-8\"").exact);
    EXPECT_EQ(to_utf8("plain", "us-ascii").utf8, "plain");
    const DecodedText bad = to_utf8("a\xFF" "b", "utf-8");
    EXPECT_EQ(bad.utf8, "a\xEF\xBF\xBD" "b");
    EXPECT_FALSE(bad.exact);
}

TEST(Charset, Latin1AndWindows1252ByTable) {
    EXPECT_EQ(to_utf8("caf\xE9", "ISO-8859-1").utf8, "caf\xC3\xA9");
    EXPECT_EQ(to_utf8("\x80 \x93quoted\x94", "windows-1252").utf8,
              "\xE2\x82\xAC \xE2\x80\x9Cquoted\xE2\x80\x9D");
    EXPECT_EQ(to_utf8("\x80", "latin1").utf8, "\xE2\x82\xAC"); // read as Windows-1252 (WHATWG)
    EXPECT_EQ(to_utf8("\x81", "cp1252").utf8, "\xC2\x81");    // undefined: the C1 control
    EXPECT_EQ(to_utf8("\xFF", "iso-8859-1").utf8, "\xC3\xBF");
}

TEST(Charset, OtherCharsetsThroughIconvAndUnknownOnesLossy) {
    EXPECT_EQ(to_utf8("\xB1", "ISO-8859-2").utf8, "\xC4\x85");         // ą
    EXPECT_EQ(to_utf8("\xC1\xC2", "KOI8-R").utf8, "\xD0\xB0\xD0\xB1"); // аб
    EXPECT_EQ(to_utf8("\x93\xFA\x96\x7B", "Shift_JIS").utf8, "\xE6\x97\xA5\xE6\x9C\xAC");
    EXPECT_EQ(to_utf8("\x1B$BF|K\\\x1B(B", "iso-2022-jp").utf8, "\xE6\x97\xA5\xE6\x9C\xAC");
    const DecodedText unknown = to_utf8("ok\xFF", "x-unheard-of");
    EXPECT_EQ(unknown.utf8, "ok\xEF\xBF\xBD");
    EXPECT_FALSE(unknown.exact);
    EXPECT_FALSE(to_utf8("abc", "../../etc/passwd").exact); // never handed to iconv
}

// --- MIME parameters -------------------------------------------------------------------------------

TEST(ParameterizedValue, TypeAndParameters) {
    const auto v = parse_parameterized_value("Text/Plain; Charset=\"ISO-8859-1\"; format=flowed");
    EXPECT_EQ(v.value, "text/plain");
    EXPECT_EQ(v.params.at("charset"), "ISO-8859-1");
    EXPECT_EQ(v.params.at("format"), "flowed");
    const auto d = parse_parameterized_value("attachment; filename=\"a \\\"b\\\";c.txt\"; size=10");
    EXPECT_EQ(d.value, "attachment");
    EXPECT_EQ(d.params.at("filename"), "a \"b\";c.txt");
    EXPECT_EQ(d.params.at("size"), "10");
    EXPECT_EQ(parse_parameterized_value("inline").value, "inline");
    EXPECT_TRUE(parse_parameterized_value("text/html; ; novalue; =x").params.empty());
}

} // namespace
