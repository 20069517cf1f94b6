// The config's `mcp` section: allowed origins are origins, numbers within their bounds.
#include "core/config/config_loader.hpp"

#include <gtest/gtest.h>

namespace switchboard {
namespace {

Result<config::Config> parse(const std::string& mcp) {
    config::MapEnvironment env;
    return config::parse_config_text(R"({"mcp": )" + mcp + "}", "/tmp", env);
}

TEST(McpConfig, DefaultsAndValues) {
    auto defaults = parse("{}");
    ASSERT_TRUE(defaults) << defaults.error().message;
    EXPECT_TRUE(defaults->mcp.allowed_origins.empty());
    EXPECT_EQ(defaults->mcp.session_idle_timeout_seconds, 3600u);
    EXPECT_EQ(defaults->mcp.max_sessions, 10000u);
    auto set = parse(R"({"allowed_origins": ["https://app.example.com", "http://localhost:3000"],
                         "session_idle_timeout_seconds": 600, "max_sessions": 50})");
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(set->mcp.allowed_origins.size(), 2u);
    EXPECT_EQ(set->mcp.session_idle_timeout_seconds, 600u);
    EXPECT_EQ(set->mcp.max_sessions, 50u);
}

TEST(McpConfig, RefusesWhatIsNotAnOriginAndOutOfBoundsNumbers) {
    for (const char* bad : {R"({"allowed_origins": ["https://app.example.com/"]})",
                            R"({"allowed_origins": ["app.example.com"]})",
                            R"({"allowed_origins": ["ftp://app.example.com"]})",
                            R"({"allowed_origins": ["https://app.example.com/path"]})",
                            R"({"session_idle_timeout_seconds": 10})",
                            R"({"max_sessions": 0})", R"({"allowed_origin": []})"}) {
        auto parsed = parse(bad);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_EQ(parsed.error().code, "invalid_config") << bad;
        EXPECT_TRUE(parsed.error().field.starts_with("mcp")) << bad << " " << parsed.error().field;
    }
}

} // namespace
} // namespace switchboard
