// The HubSpot plugin under the SDK's fake host, for unit tests: hubspot.so loaded with
// dlopen (the built artifact, exactly as the host loads it), one connector, and checks run
// after every test: no ABI breach, no unexpected or missing request, every request valid
// against the shared HubSpot description, every result valid against the crm contract and
// every error valid against the Error shape.
#pragma once

#include "tests/plugins/hubspot/hubspot_api.hpp"

#include "switchboard/testing/fake_host.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace switchboard::testing::hubspot {

namespace sdk_testing = switchboard::sdk::testing;

// The query the plugin adds to a contact read: the contract's mapped properties.
inline constexpr std::string_view mapped_query =
    "properties=email%2Cfirstname%2Clastname%2Cphone%2Ccompany%2Cjobtitle";

class HubSpotPluginTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_NE(plugin_.table(), nullptr) << ::testing::PrintToString(plugin_.problems());
        ASSERT_EQ(plugin_.init(), SB_STATUS_OK);
        connector_ = plugin_.connect("hubspot", "tenant-1");
        ASSERT_EQ(connector_.status(), SB_STATUS_OK);
    }

    void TearDown() override {
        EXPECT_THAT(plugin_.problems(), ::testing::IsEmpty());
        for (const auto& request : host_.requests()) {
            const std::string* type = request.header("content-type");
            const RequestCheck check =
                api().check(request.method, request.path, request.body, type ? *type : "");
            EXPECT_THAT(check.problems, ::testing::IsEmpty())
                << request.method << " " << request.path << "\n" << request.body;
            EXPECT_EQ(request.header("authorization"), nullptr);
        }
    }

    // Runs `action` and checks the result (or the error) against the contract.
    sdk_testing::Invocation run(std::string_view action, const nlohmann::json& params) {
        sdk_testing::Invocation call = connector_.invoke(action, params.dump());
        if (call.ok()) {
            const auto result = nlohmann::json::parse(call.result, nullptr, false);
            EXPECT_THAT(contract().result_problems(std::string(action), result),
                        ::testing::IsEmpty())
                << call.result;
        } else {
            const auto error = nlohmann::json::parse(call.error, nullptr, false);
            EXPECT_THAT(contract().error_problems(error), ::testing::IsEmpty()) << call.error;
        }
        return call;
    }

    static nlohmann::json json_of(const std::string& text) {
        return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    }

    // The body of the i-th request the plugin sent, parsed.
    nlohmann::json sent_body(std::size_t i = 0) const {
        const auto requests = host_.requests();
        if (i >= requests.size()) return nlohmann::json();
        return json_of(requests[i].body);
    }

    static HubSpotApi& api() {
        static HubSpotApi instance;
        return instance;
    }
    static CrmContract& contract() {
        static CrmContract instance;
        return instance;
    }

    sdk_testing::FakeHost host_; // first: it outlives the plugin
    sdk_testing::PluginUnderTest plugin_{std::filesystem::path(SB_HUBSPOT_PLUGIN), host_};
    sdk_testing::ConnectorHandle connector_;
};

// A HubSpot record as its create/get/update endpoints return it.
inline nlohmann::json hubspot_record(std::string id, nlohmann::json properties) {
    return {{"id", std::move(id)},
            {"properties", std::move(properties)},
            {"createdAt", "2024-05-01T12:00:00.000Z"},
            {"updatedAt", "2024-05-02T08:30:00.000Z"},
            {"archived", false}};
}

// A HubSpot error body.
inline std::string hubspot_error(std::string_view category, std::string_view message) {
    return nlohmann::json{{"status", "error"},
                          {"message", message},
                          {"correlationId", "2dea5219-07f2-40ce-82ec-9c2e302317a4"},
                          {"category", category}}
        .dump();
}

} // namespace switchboard::testing::hubspot
