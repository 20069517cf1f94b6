// The list_events page token: a position inside the provider's pages, bound to one query.
#include "plugins/google_calendar/list_cursor.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchboard::plugins::google_calendar {
namespace {

const std::uint64_t query = list_query_fingerprint("primary", "2024-06-01T00:00:00Z",
                                                   "2024-07-01T00:00:00Z", "standup");

TEST(ListCursor, RoundTripsAPositionInsideAProviderPage) {
    const ListCursor cursor{"CigKGjRz.bzk5=", 7, 25}; // Google tokens may hold '.' and '='
    const std::string token = encode_list_cursor(cursor, query);
    EXPECT_TRUE(token.starts_with("gc1.25.7."));
    const DecodedCursor decoded = decode_list_cursor(token, query);
    ASSERT_TRUE(decoded.cursor.has_value());
    EXPECT_EQ(decoded.cursor->provider_page_token, "CigKGjRz.bzk5=");
    EXPECT_EQ(decoded.cursor->skip, 7u);
    EXPECT_EQ(decoded.cursor->page_size, 25);
}

TEST(ListCursor, RoundTripsAPositionInsideTheFirstPage) {
    const std::string token = encode_list_cursor({"", 3, 10}, query);
    const DecodedCursor decoded = decode_list_cursor(token, query);
    ASSERT_TRUE(decoded.cursor.has_value());
    EXPECT_EQ(decoded.cursor->provider_page_token, "");
    EXPECT_EQ(decoded.cursor->skip, 3u);
}

TEST(ListCursor, RefusesATokenOfAnotherQuery) {
    const std::string token = encode_list_cursor({"abc", 0, 10}, query);
    for (const std::uint64_t other :
         {list_query_fingerprint("team@example.com", "2024-06-01T00:00:00Z", "2024-07-01T00:00:00Z", "standup"),
          list_query_fingerprint("primary", "2024-06-02T00:00:00Z", "2024-07-01T00:00:00Z", "standup"),
          list_query_fingerprint("primary", "2024-06-01T00:00:00Z", "2024-07-02T00:00:00Z", "standup"),
          list_query_fingerprint("primary", "2024-06-01T00:00:00Z", "2024-07-01T00:00:00Z", "")}) {
        const DecodedCursor decoded = decode_list_cursor(token, other);
        EXPECT_FALSE(decoded.cursor.has_value());
        EXPECT_EQ(decoded.problem, CursorProblem::other_query);
    }
}

TEST(ListCursor, FingerprintSeparatesFieldBoundaries) {
    EXPECT_NE(list_query_fingerprint("ab", "c", "d", "e"), list_query_fingerprint("a", "bc", "d", "e"));
}

TEST(ListCursor, RefusesMalformedTokens) {
    const std::string good = encode_list_cursor({"abc", 2, 10}, query);
    const std::string fp = good.substr(std::string("gc1.10.2.").size(), 16);
    for (const std::string& token : std::vector<std::string>{
             "abc", std::string("gc1."), std::string("gc2.10.2.") + fp + ".abc",
          "gc1.0.0." + fp + ".abc", "gc1.2501.0." + fp + ".abc", "gc1.10.2501." + fp + ".abc",
          "gc1.010.2." + fp + ".abc", "gc1.10.-1." + fp + ".abc", "gc1.10.2.xyz.abc",
          "gc1.10.0." + fp + ".", "gc1.10.2." + fp, "gc1.ten.2." + fp + ".abc"}) {
        const DecodedCursor decoded = decode_list_cursor(token, query);
        EXPECT_FALSE(decoded.cursor.has_value()) << token;
        EXPECT_EQ(decoded.problem, CursorProblem::malformed) << token;
    }
}

} // namespace
} // namespace switchboard::plugins::google_calendar
