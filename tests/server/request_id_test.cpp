#include "host/server/request_id.hpp"

#include <gtest/gtest.h>

#include <set>

namespace switchboard::server {
namespace {

TEST(RequestId, GeneratesDistinct128BitHexIds) {
    std::set<std::string> ids;
    for (int i = 0; i < 100; ++i) {
        const auto id = generate_request_id();
        ASSERT_EQ(id.size(), 32u);
        EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
        ids.insert(id);
    }
    EXPECT_EQ(ids.size(), 100u);
}

TEST(RequestId, AcceptsSafeIncomingIds) {
    EXPECT_TRUE(is_acceptable_request_id("abc-123_x.y:z"));
    EXPECT_TRUE(is_acceptable_request_id(std::string(max_request_id_length, 'a')));
    EXPECT_EQ(choose_request_id("trace-42"), "trace-42");
}

TEST(RequestId, ReplacesUnsafeIncomingIds) {
    for (const std::string& bad : {std::string(), std::string(max_request_id_length + 1, 'a'),
                                  std::string("a b"), std::string("a\r\nSet-Cookie: x"),
                                  std::string("<script>"), std::string("a\"b")}) {
        EXPECT_FALSE(is_acceptable_request_id(bad)) << bad;
        const auto chosen = choose_request_id(bad);
        EXPECT_NE(chosen, bad);
        EXPECT_EQ(chosen.size(), 32u);
    }
}

} // namespace
} // namespace switchboard::server
