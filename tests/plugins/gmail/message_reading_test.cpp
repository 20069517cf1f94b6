// Reading Gmail's Message resources: finding the bodies in the part tree, header lookup, the
// snippet's HTML entities, and the date fallback.
#include "plugins/gmail/html_entities.hpp"
#include "plugins/gmail/message_fields.hpp"
#include "plugins/gmail/message_payload.hpp"

#include "plugins/common/base64.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace switchboard::plugins::gmail;
using nlohmann::json;

json part(const char* type, const char* data, json headers = json::array(), const char* filename = "") {
    return {{"mimeType", type}, {"filename", filename}, {"headers", std::move(headers)}, {"body", {{"data", data}}}};
}

json multipart(const char* type, json parts) { return {{"mimeType", type}, {"parts", std::move(parts)}}; }

TEST(MessagePayload, FirstTextAndHtmlInDepthFirstOrder) {
    const json payload = multipart(
        "multipart/mixed",
        {multipart("multipart/related",
                   {multipart("multipart/alternative",
                              {part("text/plain", "dA", {{{"name", "Content-Type"}, {"value", "text/plain; charset=koi8-r"}}}),
                               part("text/html", "aA")}),
                    part("image/png", "iVBO")}),
         part("text/plain", "c2Vjb25k"), part("text/html", "c2Vjb25k")});
    const MessageBodies b = find_bodies(payload);
    ASSERT_TRUE(b.text && b.html);
    EXPECT_EQ(b.text->data, "dA");
    EXPECT_EQ(b.text->charset, "koi8-r");
    EXPECT_EQ(b.html->data, "aA");
}

TEST(MessagePayload, AttachmentsAndAttachedMessagesAreNotBodies) {
    const json payload = multipart(
        "multipart/mixed",
        {part("text/plain", "YXR0YWNoZWQ", json::array(), "notes.txt"),
         part("text/html", "aA", {{{"name", "content-disposition"}, {"value", "Attachment; filename=\"x.html\""}}}),
         {{"mimeType", "message/rfc822"}, {"parts", {part("text/plain", "Zm9yd2FyZGVk")}}},
         part("TEXT/PLAIN", "Ym9keQ", {{{"name", "Content-Disposition"}, {"value", "inline"}}})});
    const MessageBodies b = find_bodies(payload);
    ASSERT_TRUE(b.text);
    EXPECT_EQ(b.text->data, "Ym9keQ");
    EXPECT_FALSE(b.html);
}

TEST(MessagePayload, MalformedTreesAndDeepNesting) {
    EXPECT_FALSE(find_bodies(json("text")).text);
    EXPECT_FALSE(find_bodies(multipart("multipart/mixed", json::object())).text);
    EXPECT_FALSE(find_bodies(json{{"mimeType", 5}}).text);
    json deep = part("text/plain", "ZGVlcA");
    for (int i = 0; i < 40; ++i) deep = multipart("multipart/mixed", {deep});
    EXPECT_FALSE(find_bodies(deep).text); // deeper than 32 levels is not followed
    json shallow = part("text/plain", "ZGVlcA");
    for (int i = 0; i < 10; ++i) shallow = multipart("multipart/mixed", {shallow});
    EXPECT_TRUE(find_bodies(shallow).text);
}

TEST(MessagePayload, HeaderLookupAndBodyDecoding) {
    const json headers = {{{"name", "X"}, {"value", 1}}, {{"name", "subject"}, {"value", "first"}}, {{"name", "Subject"}, {"value", "second"}}};
    ASSERT_NE(find_header(headers, "SUBJECT"), nullptr);
    EXPECT_EQ(*find_header(headers, "SUBJECT"), "first");
    EXPECT_EQ(find_header(headers, "X"), nullptr);
    EXPECT_EQ(find_header(json::object(), "Subject"), nullptr);
    EXPECT_EQ(decode_body("Y2Fm6Q", "iso-8859-1")->utf8, "caf\xC3\xA9");          // url alphabet, no padding
    EXPECT_EQ(decode_body("Pz8_Pw==", "utf-8")->utf8, "??" "?" "?");               // '_' of base64url
    EXPECT_EQ(decode_body("Pz8/Pw==", "utf-8")->utf8, "??" "?" "?");               // standard alphabet too
    EXPECT_EQ(decode_body("a GV\r\nsbG8", "")->utf8, "hello");                       // wrapped
    EXPECT_FALSE(decode_body("%%%", "utf-8"));
    EXPECT_FALSE(decode_body("YQ", "x-unknown")->exact);
}

TEST(HtmlEntities, DecodesCharacterReferences) {
    EXPECT_EQ(decode_html_entities("It&#39;s &quot;done&quot; &amp; &lt;b&gt; &#x263A; &#9731;&nbsp;!"),
              "It's \"done\" & <b> \xE2\x98\xBA \xE2\x98\x83\xC2\xA0!");
    EXPECT_EQ(decode_html_entities("&unknown; & &#; &#xD800; &#0; &#99999999; &amp"), "&unknown; & &#; &#xD800; &#0; &#99999999; &amp");
}

TEST(MessageFields, DateFallsBackToInternalDateThenNothing) {
    const json with_date = {{"payload", {{"headers", {{{"name", "Date"}, {"value", "Sat, 1 Jun 2024 14:00:00 +0200"}}}}}},
                            {"internalDate", "0"}};
    EXPECT_EQ(message_date(with_date), "2024-06-01T14:00:00+02:00");
    EXPECT_EQ(message_date(json{{"internalDate", "1717243200000"}}), "2024-06-01T12:00:00Z");
    EXPECT_EQ(message_date(json{{"internalDate", "soon"}}), std::nullopt);
    EXPECT_EQ(message_date(json{{"internalDate", 1717243200000}}), std::nullopt); // int64 is a string in Gmail
    EXPECT_EQ(message_date(json{{"internalDate", "-5"}}), std::nullopt);
    EXPECT_EQ(message_date(json::object()), std::nullopt);
}

TEST(MessageFields, SummariesLeaveOutWhatIsMissingEmailsFillIt) {
    const json bare = {{"id", "m"}};
    EXPECT_EQ(common_fields(bare, false), json({{"id", "m"}}));
    EXPECT_EQ(email_fields(bare), json({{"id", "m"}, {"from", {{"email", ""}}}, {"subject", ""}, {"to", json::array()}}));
    EXPECT_EQ(common_fields(json{{"id", ""}}, false), std::nullopt);
    EXPECT_EQ(common_fields(json{{"id", 3}}, false), std::nullopt);
    EXPECT_EQ(common_fields(json::array(), false), std::nullopt);
    const json odd = {{"id", "m"}, {"labelIds", {"A", 1, "B"}}, {"threadId", 5}, {"payload", {{"headers", "nope"}}}};
    EXPECT_EQ(common_fields(odd, false), json({{"id", "m"}, {"label_ids", {"A", "B"}}}));
}

} // namespace
