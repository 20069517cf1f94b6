#include "host/server/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace switchboard::server {
namespace {

using Outcome = RouteMatch::Outcome;

Handler answering(std::string text) {
    return [text = std::move(text)](const Request&) {
        return Response::text(http::status::ok, text);
    };
}

std::string answer_of(const RouteMatch& match) {
    return match.route->handler(Request{}).body;
}

TEST(Router, MatchesNamedParametersAndDecodesThem) {
    Router router;
    router.add(http::verb::post, "/api/v1/connectors/{id}/actions/{action}", answering("act"));
    const auto match =
        router.match(http::verb::post, "/api/v1/connectors/a%20b%2Fc/actions/email.send");
    ASSERT_EQ(match.outcome, Outcome::found);
    EXPECT_EQ(match.route->pattern, "/api/v1/connectors/{id}/actions/{action}");
    // %2F decodes inside its segment: it does not split the path.
    EXPECT_EQ(match.path_params.get("id"), "a b/c");
    EXPECT_EQ(match.path_params.get("action"), "email.send");
    EXPECT_EQ(match.path_params.size(), 2u);
}

TEST(Router, PlusInAPathIsNotASpace) {
    Router router;
    router.add(http::verb::get, "/files/{name}", answering("file"));
    const auto match = router.match(http::verb::get, "/files/a+b");
    ASSERT_EQ(match.outcome, Outcome::found);
    EXPECT_EQ(match.path_params.get("name"), "a+b");
}

TEST(Router, LiteralSegmentsWinOverParameters) {
    Router router;
    router.add(http::verb::get, "/connectors/{id}", answering("by id"));
    router.add(http::verb::get, "/connectors/types", answering("types"));
    EXPECT_EQ(answer_of(router.match(http::verb::get, "/connectors/types")), "types");
    EXPECT_EQ(answer_of(router.match(http::verb::get, "/connectors/42")), "by id");
    // The literal matches after decoding too.
    EXPECT_EQ(answer_of(router.match(http::verb::get, "/connectors/typ%65s")), "types");
}

TEST(Router, FallsBackToTheParameterBranchForAnotherMethod) {
    Router router;
    router.add(http::verb::post, "/connectors/types", answering("post types"));
    router.add(http::verb::get, "/connectors/{id}", answering("get by id"));
    const auto match = router.match(http::verb::get, "/connectors/types");
    ASSERT_EQ(match.outcome, Outcome::found);
    EXPECT_EQ(answer_of(match), "get by id");
    EXPECT_EQ(match.path_params.get("id"), "types");
}

TEST(Router, UnknownPathIsNotFound) {
    Router router;
    router.add(http::verb::get, "/connectors/{id}", answering("x"));
    EXPECT_EQ(router.match(http::verb::get, "/nothing").outcome, Outcome::not_found);
    EXPECT_EQ(router.match(http::verb::get, "/connectors").outcome, Outcome::not_found);
    EXPECT_EQ(router.match(http::verb::get, "/connectors/1/more").outcome, Outcome::not_found);
    // An empty segment never fills a parameter.
    EXPECT_EQ(router.match(http::verb::get, "/connectors/").outcome, Outcome::not_found);
    EXPECT_EQ(router.match(http::verb::get, "").outcome, Outcome::not_found);
}

TEST(Router, ParametersNeverHoldNul) {
    Router router;
    router.add(http::verb::get, "/connectors/{id}", answering("x"));
    EXPECT_EQ(router.match(http::verb::get, "/connectors/a%00b").outcome, Outcome::not_found);
}

TEST(Router, InvalidPercentEncodingIsNotFound) {
    Router router;
    router.add(http::verb::get, "/connectors/{id}", answering("x"));
    EXPECT_EQ(router.match(http::verb::get, "/connectors/%zz").outcome, Outcome::not_found);
}

TEST(Router, KnownPathWithAnotherMethodListsTheAllowedOnes) {
    Router router;
    router.add(http::verb::get, "/connectors/{id}", answering("get"));
    router.add(http::verb::delete_, "/connectors/{id}", answering("delete"));
    const auto match = router.match(http::verb::put, "/connectors/7");
    EXPECT_EQ(match.outcome, Outcome::method_not_allowed);
    EXPECT_EQ(match.allow, "DELETE, GET, HEAD");
    EXPECT_EQ(match.route, nullptr);
}

TEST(Router, HeadUsesGetUnlessRegistered) {
    Router router;
    router.add(http::verb::get, "/a", answering("get a"));
    router.add(http::verb::get, "/b", answering("get b"));
    router.add(http::verb::head, "/b", answering("head b"));
    EXPECT_EQ(answer_of(router.match(http::verb::head, "/a")), "get a");
    EXPECT_EQ(answer_of(router.match(http::verb::head, "/b")), "head b");
}

TEST(Router, UnknownMethodIsNotImplemented) {
    Router router;
    router.add(http::verb::get, "/a", answering("a"));
    EXPECT_EQ(router.match(http::verb::unknown, "/a").outcome, Outcome::method_not_implemented);
}

TEST(Router, RootPattern) {
    Router router;
    router.add(http::verb::get, "/", answering("root"));
    EXPECT_EQ(answer_of(router.match(http::verb::get, "/")), "root");
    EXPECT_EQ(router.match(http::verb::get, "/x").outcome, Outcome::not_found);
}

TEST(Router, RefusesMalformedPatternsLoudly) {
    Router router;
    EXPECT_THROW(router.add(http::verb::get, "no-slash", answering("x")), std::invalid_argument);
    EXPECT_THROW(router.add(http::verb::get, "/a//b", answering("x")), std::invalid_argument);
    EXPECT_THROW(router.add(http::verb::get, "/a/{}", answering("x")), std::invalid_argument);
    EXPECT_THROW(router.add(http::verb::get, "/a/{1x}", answering("x")), std::invalid_argument);
    EXPECT_THROW(router.add(http::verb::get, "/a/x{id}", answering("x")), std::invalid_argument);
    EXPECT_THROW(router.add(http::verb::get, "/a/{id}/{id}", answering("x")),
                 std::invalid_argument);
    EXPECT_THROW(router.add(http::verb::get, "/a", Handler{}), std::invalid_argument);
    EXPECT_TRUE(router.routes().empty());
}

TEST(Router, RefusesDuplicatesAndConflictingParameterNames) {
    Router router;
    router.add(http::verb::get, "/connectors/{id}", answering("x"));
    EXPECT_THROW(router.add(http::verb::get, "/connectors/{id}", answering("y")),
                 std::invalid_argument);
    EXPECT_THROW(router.add(http::verb::post, "/connectors/{name}", answering("y")),
                 std::invalid_argument);
    EXPECT_NO_THROW(router.add(http::verb::post, "/connectors/{id}", answering("y")));
    ASSERT_EQ(router.routes().size(), 2u);
    EXPECT_EQ(router.routes()[1]->method, http::verb::post);
}

TEST(Router, KeepsTheExecutionOfEachRoute) {
    Router router;
    router.add(http::verb::get, "/fast", answering("x"), Execution::io_thread);
    router.add(http::verb::get, "/slow", answering("x"));
    EXPECT_EQ(router.match(http::verb::get, "/fast").route->execution, Execution::io_thread);
    EXPECT_EQ(router.match(http::verb::get, "/slow").route->execution, Execution::worker_pool);
}

TEST(Router, OneTrailingSlashMatchesAsThePathWithout) {
    Router router;
    router.add(http::verb::get, "/api/v1/connectors", answering("list"));
    router.add(http::verb::get, "/api/v1/connectors/{id}", answering("one"));
    router.add(http::verb::get, "/", answering("root"));
    EXPECT_EQ(answer_of(router.match(http::verb::get, "/api/v1/connectors/")), "list");
    const auto one = router.match(http::verb::get, "/api/v1/connectors/42/");
    EXPECT_EQ(answer_of(one), "one");
    EXPECT_EQ(one.path_params.get("id"), "42");
    EXPECT_EQ(answer_of(router.match(http::verb::get, "/")), "root");
    // One slash only, and never an empty parameter.
    EXPECT_EQ(router.match(http::verb::get, "/api/v1/connectors//").outcome, Outcome::not_found);
    EXPECT_EQ(router.match(http::verb::post, "/api/v1/connectors/").outcome,
              Outcome::method_not_allowed);
}

TEST(Router, AllowedMethodsListEveryRouteOfThePath) {
    Router router;
    router.add(http::verb::get, "/connectors/{id}", answering("get"));
    router.add(http::verb::delete_, "/connectors/{id}", answering("delete"));
    router.add(http::verb::post, "/connectors/types", answering("post types"));
    EXPECT_EQ(router.allowed_methods("/connectors/7"), "DELETE, GET, HEAD");
    // The literal's routes and the parameter's both answer on this path.
    EXPECT_EQ(router.allowed_methods("/connectors/types"), "DELETE, GET, HEAD, POST");
    EXPECT_EQ(router.allowed_methods("/connectors/7/"), "DELETE, GET, HEAD");
    EXPECT_EQ(router.allowed_methods("/nothing"), "");
}

TEST(Router, RestParameterTakesTheRestOfThePathAsReceived) {
    Router router;
    router.add(http::verb::get, "/connectors/{id}/proxy/{path...}", answering("proxy"));
    const auto match =
        router.match(http::verb::get, "/connectors/a%20b/proxy/drive/v3/files/x%2Fy/");
    ASSERT_EQ(match.outcome, Outcome::found);
    EXPECT_EQ(match.path_params.get("id"), "a b");
    // Still encoded (%2F is not a separator), trailing slash kept.
    EXPECT_EQ(match.path_params.get("path"), "drive/v3/files/x%2Fy/");
    EXPECT_EQ(router.match(http::verb::get, "/connectors/1/proxy/one").path_params.get("path"),
              "one");
    // Empty segments are the route's to judge.
    EXPECT_EQ(router.match(http::verb::get, "/connectors/1/proxy//evil.com").path_params.get("path"),
              "/evil.com");
}

TEST(Router, RestParameterNeedsAtLeastOneSegment) {
    Router router;
    router.add(http::verb::get, "/connectors/{id}/proxy/{path...}", answering("proxy"));
    EXPECT_EQ(router.match(http::verb::get, "/connectors/1/proxy").outcome, Outcome::not_found);
    EXPECT_EQ(router.match(http::verb::get, "/connectors/1/proxy/").outcome, Outcome::not_found);
}

TEST(Router, LiteralsAndParametersWinOverARestParameter) {
    Router router;
    router.add(http::verb::get, "/files/{path...}", answering("rest"));
    router.add(http::verb::get, "/files/list", answering("list"));
    router.add(http::verb::get, "/files/{id}/meta", answering("meta"));
    EXPECT_EQ(answer_of(router.match(http::verb::get, "/files/list")), "list");
    EXPECT_EQ(answer_of(router.match(http::verb::get, "/files/7/meta")), "meta");
    EXPECT_EQ(answer_of(router.match(http::verb::get, "/files/list/more")), "rest");
    EXPECT_EQ(answer_of(router.match(http::verb::get, "/files/7/other")), "rest");
    const auto other = router.match(http::verb::post, "/files/a/b");
    EXPECT_EQ(other.outcome, Outcome::method_not_allowed);
    EXPECT_EQ(other.allow, "GET, HEAD");
}

TEST(Router, RefusesMisplacedOrMalformedRestParameters) {
    Router router;
    EXPECT_THROW(router.add(http::verb::get, "/a/{rest...}/b", answering("x")),
                 std::invalid_argument);
    EXPECT_THROW(router.add(http::verb::get, "/a/{...}", answering("x")), std::invalid_argument);
    EXPECT_THROW(router.add(http::verb::get, "/a/{id}/{id...}", answering("x")),
                 std::invalid_argument);
    router.add(http::verb::get, "/a/{rest...}", answering("x"));
    EXPECT_THROW(router.add(http::verb::post, "/a/{other...}", answering("x")),
                 std::invalid_argument);
}

TEST(Router, StreamedBodiesNeedAGateAndAWorker) {
    Router router;
    RouteOptions streamed;
    streamed.body_mode = BodyMode::streamed;
    EXPECT_THROW(router.add(http::verb::post, "/up", answering("x"), streamed),
                 std::invalid_argument);
    streamed.gate = [](const Request&) -> Result<Caller> { return Caller{"t", "u"}; };
    streamed.execution = Execution::io_thread;
    EXPECT_THROW(router.add(http::verb::post, "/up", answering("x"), streamed),
                 std::invalid_argument);
    streamed.execution = Execution::worker_pool;
    streamed.streamed_body_limit_bytes = 1000;
    router.add(http::verb::post, "/up", answering("x"), streamed);
    const auto match = router.match(http::verb::post, "/up");
    ASSERT_EQ(match.outcome, Outcome::found);
    EXPECT_EQ(match.route->body_mode, BodyMode::streamed);
    EXPECT_EQ(match.route->streamed_body_limit_bytes, 1000u);
}

} // namespace
} // namespace switchboard::server
