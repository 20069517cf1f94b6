#include "core/logging/logging.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <string>
#include <vector>

namespace switchboard::logging {
namespace {

// Runs `body` with the default logger writing `format` into a string; returns the lines.
template <class Body>
std::vector<std::string> capture(Format format, Body&& body) {
    std::ostringstream out;
    const auto previous = spdlog::default_logger();
    setup_logging({format, spdlog::level::debug},
                  std::make_shared<spdlog::sinks::ostream_sink_st>(out));
    body();
    spdlog::set_default_logger(previous);
    std::vector<std::string> lines;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

TEST(Logging, JsonLinesParseWhateverTheMessageHolds) {
    const std::string nasty = "quote \" backslash \\ newline \n tab \t nul " + std::string(1, '\0') +
                              " control \x01 bad utf8 \xff\xfe end";
    const auto lines = capture(Format::json, [&] {
        spdlog::info("plain");
        spdlog::warn("{}", nasty);
    });
    ASSERT_EQ(lines.size(), 2u); // the newline in the message did not split the line
    const auto first = nlohmann::json::parse(lines[0]);
    EXPECT_EQ(first["message"], "plain");
    EXPECT_EQ(first["level"], "info");
    EXPECT_EQ(first["logger"], "switchboard");
    EXPECT_TRUE(first["time"].is_string());
    EXPECT_EQ(first["time"].get<std::string>().back(), 'Z');
    const auto second = nlohmann::json::parse(lines[1]);
    EXPECT_EQ(second["level"], "warning");
    const auto message = second["message"].get<std::string>();
    EXPECT_NE(message.find("quote \" backslash \\ newline \n tab"), std::string::npos);
    EXPECT_NE(message.find("end"), std::string::npos);
}

TEST(Logging, FieldsInScopeJoinEveryLineAndLeaveWithTheScope) {
    const auto lines = capture(Format::json, [] {
        const LogFields outer{{"request_id", "r-1"}, {"status", 200}};
        spdlog::info("one");
        {
            const LogFields inner{{"status", 404}, {"message", "ignored"}, {"ok", true}};
            spdlog::info("two");
        }
        spdlog::info("three");
    });
    ASSERT_EQ(lines.size(), 3u);
    const auto one = nlohmann::json::parse(lines[0]);
    EXPECT_EQ(one["request_id"], "r-1");
    EXPECT_EQ(one["status"], 200);
    const auto two = nlohmann::json::parse(lines[1]);
    EXPECT_EQ(two["status"], 404);
    EXPECT_EQ(two["message"], "two"); // a field cannot overwrite the line's own keys
    EXPECT_EQ(two["ok"], true);
    const auto three = nlohmann::json::parse(lines[2]);
    EXPECT_EQ(three["status"], 200);
    EXPECT_FALSE(three.contains("ok"));
}

TEST(Logging, FieldsBelongToTheirThread) {
    const auto lines = capture(Format::json, [] {
        const LogFields fields{{"request_id", "main"}};
        std::thread([] { spdlog::info("other thread"); }).join();
    });
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_FALSE(nlohmann::json::parse(lines[0]).contains("request_id"));
}

TEST(Logging, TextFormatAppendsFields) {
    const auto lines = capture(Format::text, [] {
        const LogFields fields{{"request_id", "r-9"}, {"path", "/a b"}, {"status", 201}};
        spdlog::error("boom");
    });
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("[error] boom request_id=r-9 path=\"/a b\" status=201"),
              std::string::npos)
        << lines[0];
}

TEST(Logging, LevelFiltersLines) {
    std::ostringstream out;
    const auto previous = spdlog::default_logger();
    setup_logging({Format::json, spdlog::level::warn},
                  std::make_shared<spdlog::sinks::ostream_sink_st>(out));
    spdlog::info("hidden");
    spdlog::error("shown");
    spdlog::set_default_logger(previous);
    EXPECT_EQ(out.str().find("hidden"), std::string::npos);
    EXPECT_NE(out.str().find("shown"), std::string::npos);
}

TEST(Logging, ParsesFormatsAndLevels) {
    EXPECT_EQ(parse_format("json").value(), Format::json);
    EXPECT_EQ(parse_format("text").value(), Format::text);
    const auto bad = parse_format("xml");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "invalid_log_format");
    EXPECT_EQ(parse_level("debug").value(), spdlog::level::debug);
    EXPECT_EQ(parse_level("warning").value(), spdlog::level::warn);
    EXPECT_EQ(parse_level("off").value(), spdlog::level::off);
    const auto bad_level = parse_level("verbose");
    ASSERT_FALSE(bad_level);
    EXPECT_EQ(bad_level.error().code, "invalid_log_level");
    EXPECT_EQ(bad_level.error().field, "level");
}

} // namespace
} // namespace switchboard::logging
