// What route code includes from host/server must not bring Boost.Beast along: routes see the
// server's own request, response, header and status types, never the codec. This file fails
// to compile if one of these headers includes Beast again.
#include "host/server/error_response.hpp"
#include "host/server/headers.hpp"
#include "host/server/http_types.hpp"
#include "host/server/request.hpp"
#include "host/server/require_json.hpp"
#include "host/server/response.hpp"
#include "host/server/router.hpp"
#include "host/server/server.hpp"

#ifdef BOOST_BEAST_CORE_DETAIL_CONFIG_HPP
#error "a handler-facing host/server header includes Boost.Beast"
#endif

#include <gtest/gtest.h>

namespace switchboard::server {
namespace {

TEST(HandlerFacingTypes, AreTheServersOwn) {
    Response response = Response::json(http::status::created, {{"a", 1}});
    response.headers.set(http::field::location, "/x");
    response.headers.add("vary", "Origin");
    EXPECT_EQ(http::to_int(response.status), 201u);
    EXPECT_EQ(response.headers.get("LOCATION"), "/x");
    EXPECT_TRUE(response.headers.contains("Vary"));
    response.headers.set("Vary", "Accept");
    EXPECT_EQ(response.headers.size(), 2u);
    response.headers.erase("location");
    EXPECT_FALSE(response.headers.contains(http::field::location));
    EXPECT_EQ(http::to_string(http::verb::delete_), "DELETE");
    EXPECT_EQ(http::string_to_verb("PATCH"), http::verb::patch);
    EXPECT_EQ(http::string_to_verb("get"), http::verb::unknown) << "methods are case-sensitive";
    EXPECT_EQ(http::string_to_verb("PROPFIND"), http::verb::unknown);
}

} // namespace
} // namespace switchboard::server
