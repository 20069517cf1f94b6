// sdk::Params: one reader for every plugin's params, with named options; each problem is the
// invalid_params Outcome with the field's JSON Pointer.
#include "switchboard/params.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace sdk = switchboard::sdk;
using nlohmann::json;

namespace {

// The error object the host would receive.
json error_of(const sdk::Params& params) {
    const sdk::Outcome outcome = params.error();
    EXPECT_EQ(outcome.status(), SB_STATUS_INVALID_INPUT);
    return json::parse(outcome.json());
}

// The field the first problem names, after reading with `read`.
template <class Read>
std::string field_after(std::string_view text, Read read) {
    sdk::Params params(text);
    read(params);
    if (params.ok()) return "(ok)";
    const json error = error_of(params);
    EXPECT_EQ(error.at("code"), "invalid_params");
    return error.value("field", "");
}

TEST(Params, AnythingButAnObjectIsRefused) {
    for (const char* text : {"", "[]", "{", "\"x\"", "null", "5"}) {
        sdk::Params params(text);
        EXPECT_FALSE(params.ok()) << text;
        EXPECT_EQ(error_of(params).at("code"), "invalid_params") << text;
        EXPECT_TRUE(params.root().is_object());
    }
}

TEST(Params, StringsWithNamedOptions) {
    sdk::Params params(R"({"calendar_id":"primary","empty":"","long":"été"})");
    EXPECT_EQ(params.string("calendar_id", {.required = true, .max_length = 1024}), "primary");
    EXPECT_EQ(params.string("absent"), std::nullopt);
    EXPECT_EQ(params.string("long", {.max_length = 3}), "été") << "lengths count code points";
    EXPECT_TRUE(params.ok());

    EXPECT_EQ(field_after(R"({})", [](auto& p) { p.string("id", {.required = true}); }), "/id");
    EXPECT_EQ(field_after(R"({"id":null})", [](auto& p) { p.string("id", {.required = true}); }), "/id")
        << "null is absent";
    EXPECT_EQ(field_after(R"({"id":5})", [](auto& p) { p.string("id"); }), "/id");
    EXPECT_EQ(field_after(R"({"id":""})", [](auto& p) { p.string("id", {.min_length = 1}); }), "/id");
    EXPECT_EQ(field_after(R"({"id":"abcd"})", [](auto& p) { p.string("id", {.max_length = 3}); }), "/id");
}

TEST(Params, TheFirstProblemIsKept) {
    sdk::Params params(R"({"a":1,"b":2})");
    params.string("a");
    params.string("b");
    params.fail("c", "mine");
    const json error = error_of(params);
    EXPECT_EQ(error.at("field"), "/a");
    EXPECT_EQ(error.at("message"), "'/a' must be a string");
}

TEST(Params, IntegersWithinBounds) {
    sdk::Params params(R"({"n":250,"f":10.0,"big":18446744073709551615})");
    EXPECT_EQ(params.integer("n", {.min = 1, .max = 250}), 250);
    EXPECT_EQ(params.integer("f"), 10) << "JSON Schema's integer admits 10.0";
    EXPECT_EQ(params.integer("absent", {.min = 1}), std::nullopt);
    EXPECT_TRUE(params.ok());
    EXPECT_EQ(params.integer("big"), std::nullopt);
    EXPECT_EQ(error_of(params).at("field"), "/big");

    for (const char* text : {R"({"n":0})", R"({"n":251})", R"({"n":1.5})", R"({"n":"5"})", R"({"n":true})"}) {
        EXPECT_EQ(field_after(text, [](auto& p) { p.integer("n", {.min = 1, .max = 250}); }), "/n") << text;
    }
    sdk::Params message(R"({"n":0})");
    message.integer("n", {.min = 1, .max = 250});
    EXPECT_EQ(message.error_message(), "'/n' must be an integer from 1 to 250");
}

TEST(Params, NumbersAndBooleans) {
    sdk::Params params(R"({"amount":12.5,"flag":false})");
    EXPECT_EQ(params.number("amount", {.min = 0}), 12.5);
    EXPECT_EQ(params.boolean("flag", {.required = true}), false);
    EXPECT_TRUE(params.ok());
    EXPECT_EQ(field_after(R"({"amount":-1})", [](auto& p) { p.number("amount", {.min = 0}); }), "/amount");
    EXPECT_EQ(field_after(R"({"flag":"yes"})", [](auto& p) { p.boolean("flag"); }), "/flag");
}

TEST(Params, NestedValuesByJsonPointer) {
    sdk::Params params(R"({"start":{"date_time":"2026-03-01T09:30:00Z"},"to":[{"email":"a@b.example"}],
                          "a/b":{"c~d":"x"}})");
    EXPECT_NE(params.object("start", {.required = true}), nullptr);
    EXPECT_EQ(params.string("/start/date_time"), "2026-03-01T09:30:00Z");
    EXPECT_EQ(params.string("/to/0/email"), "a@b.example");
    EXPECT_EQ(params.string("/to/1/email"), std::nullopt);
    EXPECT_EQ(params.string(sdk::Params::child(sdk::Params::child("", "a/b"), "c~d")), "x");
    EXPECT_EQ(sdk::Params::child("/a~1b", "c~d"), "/a~1b/c~0d");
    EXPECT_TRUE(params.ok());

    EXPECT_EQ(field_after(R"({"start":{}})", [](auto& p) { p.string("/start/date_time", {.required = true}); }),
              "/start/date_time");
    EXPECT_EQ(field_after(R"({"start":[]})", [](auto& p) {
                  p.object("start");
                  p.string("/start/date_time", {.required = true});
              }),
              "/start")
        << "the container's own problem comes first";
}

TEST(Params, Rfc3339Times) {
    sdk::Params params(R"({"a":"2026-03-01T09:30:00Z","b":"2024-02-29T23:59:60.123+01:00"})");
    EXPECT_EQ(params.time("a", {.required = true}), "2026-03-01T09:30:00Z");
    EXPECT_EQ(params.time("b"), "2024-02-29T23:59:60.123+01:00");
    EXPECT_TRUE(params.ok());
    for (const char* bad : {"2026-03-01", "2026-03-01T09:30:00", "2025-02-29T00:00:00Z",
                            "2026-13-01T00:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T09:30:00+1:00",
                            "2026-03-01T09:30:00.Z", "2026-03-01 09:30:00Z", "2026-03-01T09:30:00Zjunk"}) {
        const std::string text = json{{"t", bad}}.dump();
        EXPECT_EQ(field_after(text, [](auto& p) { p.time("t"); }), "/t") << bad;
    }
}

TEST(Params, ArraysOfStringsAndEmails) {
    sdk::Params params(R"({"ids":["a","b"],"to":["ann@example.com","bob@mail.example.org"]})");
    EXPECT_EQ(params.strings("ids", {.min_items = 1, .max_items = 50, .min_length = 1}),
              (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(params.emails("to", {.required = true}),
              (std::vector<std::string>{"ann@example.com", "bob@mail.example.org"}));
    EXPECT_TRUE(params.ok());

    EXPECT_EQ(field_after(R"({"ids":"a"})", [](auto& p) { p.strings("ids"); }), "/ids");
    EXPECT_EQ(field_after(R"({"ids":[]})", [](auto& p) { p.strings("ids", {.min_items = 1}); }), "/ids");
    EXPECT_EQ(field_after(R"({"ids":["a",3]})", [](auto& p) { p.strings("ids"); }), "/ids/1");
    EXPECT_EQ(field_after(R"({"ids":["a",null]})", [](auto& p) { p.strings("ids"); }), "/ids/1");
    EXPECT_EQ(field_after(R"({"ids":["a","a"]})", [](auto& p) { p.strings("ids", {.unique = true}); }), "/ids/1");
    for (const char* bad : {"plain", "@example.com", "a@", "a b@example.com", "a@exa mple.com",
                            "a@example..com", "<a@example.com>", "a@.example.com"}) {
        const std::string text = json{{"to", {"ok@example.com", bad}}}.dump();
        EXPECT_EQ(field_after(text, [](auto& p) { p.emails("to"); }), "/to/1") << bad;
    }
}

TEST(Params, AllowOnlyNamesTheUnknownMember) {
    EXPECT_EQ(field_after(R"({"a":1,"zz":2})", [](auto& p) { p.allow_only("", {"a"}); }), "/zz");
    EXPECT_EQ(field_after(R"({"w":{"start":"x","x/y":1}})", [](auto& p) { p.allow_only("w", {"start"}); }),
              "/w/x~1y");
    EXPECT_EQ(field_after(R"({"a":1})", [](auto& p) { p.allow_only("", {"a", "b"}); }), "(ok)");
}

TEST(Checked, HoldsAValueOrTheOutcomeThatStopsTheAction) {
    const sdk::Checked<int> value = 5;
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(value.value(), 5);
    const sdk::Checked<int> error = sdk::Outcome::not_found("no such thing");
    ASSERT_FALSE(error.ok());
    EXPECT_EQ(error.error().status(), SB_STATUS_NOT_FOUND);
}

} // namespace
