// The fixture of the simulator's own tests: one ProviderSim for the whole test program
// (reset before each test), a client, and helpers that mint tokens without the OAuth dance.
#pragma once

#include "tests/provider_sim/provider_sim.hpp"
#include "tests/provider_sim/tests/http_client.hpp"
#include "tests/provider_sim/validation/google_catalog.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace switchboard::sim::testing {

inline constexpr const char* kUser = "sim.user@example.com";
inline constexpr const char* kCalendarScope = "https://www.googleapis.com/auth/calendar";
inline constexpr const char* kEventsScope = "https://www.googleapis.com/auth/calendar.events";
inline constexpr const char* kGmailSend = "https://www.googleapis.com/auth/gmail.send";
inline constexpr const char* kGmailRead = "https://www.googleapis.com/auth/gmail.readonly";
inline constexpr const char* kDriveFile = "https://www.googleapis.com/auth/drive.file";
inline constexpr const char* kDriveRead = "https://www.googleapis.com/auth/drive.readonly";
// The primary calendar's events collection.
inline constexpr const char* kEvents = "/www.googleapis.com/calendar/v3/calendars/primary/events";
// HubSpot's contacts collection.
inline constexpr const char* kContacts = "/api.hubapi.com/crm/v3/objects/contacts";

// Stops the shared simulator when the tests are over, before the process exits: its threads
// then end while OpenSSL still runs and free their random generators. (Stopped only by its
// static's destructor, the simulator outlives OpenSSL's exit-time cleanup, and what its
// threads allocated stays allocated, which LeakSanitizer reports.)
class StopAfterTheTests : public ::testing::Environment {
public:
    explicit StopAfterTheTests(ProviderSim& sim) : sim_(sim) {}
    void TearDown() override { sim_.stop(); }

private:
    ProviderSim& sim_;
};

class SimTest : public ::testing::Test {
protected:
    // In the constructor, so that tokens a derived fixture mints in its member
    // initializers survive.
    SimTest() { sim().reset(); }

    static ProviderSim& sim() {
        static std::unique_ptr<ProviderSim> instance = [] {
            auto started = ProviderSim::start(SimOptions{});
            if (!started) {
                throw std::runtime_error("provider-sim did not start: " + started.error().message);
            }
            ::testing::AddGlobalTestEnvironment(new StopAfterTheTests(**started));
            return std::move(*started);
        }();
        return *instance;
    }

    static HttpClient client() { return HttpClient(sim().port()); }

    static std::string google_token(std::vector<std::string> scopes, const std::string& user = kUser) {
        return sim().issue_tokens(Provider::google, user, std::move(scopes)).access_token;
    }
    static std::string hubspot_token(std::vector<std::string> scopes, const std::string& user = kUser) {
        return sim().issue_tokens(Provider::hubspot, user, std::move(scopes)).access_token;
    }

    // The simulator's answer has the shape the discovery document gives the method's response.
    static void expect_conforms(const std::string& method_id, const nlohmann::json& body) {
        const DiscoveryMethod* method = sim().google_catalog().method(method_id);
        ASSERT_NE(method, nullptr) << method_id;
        const auto violations = sim().google_catalog().validate_response(*method, body);
        EXPECT_TRUE(violations.empty()) << method_id << ": " << violations.front().path << " "
                                        << violations.front().description << " in " << body.dump();
    }

    // The last request the simulator logged.
    static RecordedRequest last_request() {
        const auto all = sim().requests();
        if (all.empty()) {
            throw std::runtime_error("the simulator logged no request");
        }
        return all.back();
    }
};

} // namespace switchboard::sim::testing
