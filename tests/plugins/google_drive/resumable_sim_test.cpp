// The resumable upload protocol of the Google Drive plugin against the provider simulator,
// over several chunks. The plugin's upload code runs on the product's own host table
// (core/plugin HostTable and CallScope: the same request checks as in the server) with a
// CallContext that forwards to the simulator through the product's HTTP client, and with
// small settings (256 KiB chunks, a 4-byte multipart limit) so that a 700 KiB file takes
// three chunks. (google_drive_sim_test.cpp sends a 5.3 MiB file through the whole action.)
#include "plugins/google_drive/upload.hpp"

#include "core/http/beast_http_client.hpp"
#include "core/plugin/call_scope.hpp"
#include "core/plugin/host_services.hpp"
#include "tests/provider_sim/provider_sim.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace {

namespace drive = switchboard::plugins::google_drive;
namespace sim = switchboard::sim;
namespace http = switchboard::http;
using nlohmann::json;
using ::testing::IsEmpty;

// The requests of one call, sent to the simulator with a bearer token it issued.
class SimulatorContext final : public switchboard::plugin::CallContext {
public:
    SimulatorContext(http::HttpClient& client, std::string base_url, std::string token)
        : client_(client), base_url_(std::move(base_url)), token_(std::move(token)) {}

    switchboard::Result<switchboard::plugin::ProviderHttpResponse> http(
        const switchboard::plugin::ProviderHttpRequest& request) override {
        sent.push_back(request);
        if (request.method == "PUT" && ++puts_ == arm_on_put && on_put) on_put();
        http::HttpRequest outbound{request.method, base_url_ + request.path, {}, request.body};
        for (const auto& h : request.headers) outbound.headers.emplace_back(h.name, h.value);
        outbound.headers.emplace_back("Authorization", "Bearer " + token_);
        http::RequestOptions options;
        options.metrics_label = "sim";
        auto response = client_.send(outbound, options);
        if (!response) return response.error();
        switchboard::plugin::ProviderHttpResponse out;
        out.status = response->status;
        for (const auto& [name, value] : response->headers) out.headers.push_back({name, value});
        out.body = std::move(response->body);
        return out;
    }

    std::vector<switchboard::plugin::ProviderHttpRequest> sent;
    // Called just before the arm_on_put-th PUT goes out (to arm a fault for the chunks only:
    // the simulator's faults match path prefixes, which the session's POST shares).
    std::function<void()> on_put;
    std::size_t arm_on_put = 0;

private:
    std::size_t puts_ = 0;
    http::HttpClient& client_;
    std::string base_url_;
    std::string token_;
};

class DriveResumableSim : public ::testing::Test {
protected:
    void SetUp() override {
        auto started = sim::ProviderSim::start({});
        ASSERT_TRUE(started) << started.error().message;
        simulator = std::move(*started);
        const auto tokens = simulator->issue_tokens(sim::Provider::google, "sim.user@example.com",
                                                    {"https://www.googleapis.com/auth/drive.file"});
        http::BeastHttpClientOptions client_options;
        client_options.allow_plain_http_loopback = true;
        client_options.max_attempts = 3; // as the harness: three attempts, short waits
        client_options.base_backoff = std::chrono::milliseconds(5);
        client_options.max_backoff = std::chrono::milliseconds(50);
        auto created = http::BeastHttpClient::create(std::move(client_options));
        ASSERT_TRUE(created) << created.error().message;
        client = std::move(*created);
        context = std::make_unique<SimulatorContext>(*client, simulator->url("www.googleapis.com"), tokens.access_token);
        content.resize(700 * 1024 + 17);
        for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>((i * 2654435761u) >> 9);
    }

    // Uploads `content` in 256 KiB chunks through the product's host table.
    drive::UploadResult upload() {
        switchboard::plugin::HostTable host("google_drive", {});
        switchboard::plugin::CallScope scope(host, *context, "google_drive",
                                             "00000000-0000-4000-8000-000000000001");
        const switchboard::sdk::ConnectorInfo info{"google_drive", "tenant-1", "00000000-0000-4000-8000-000000000001"};
        switchboard::sdk::Call call(switchboard::sdk::Host(host.table()), scope.call(), info);
        drive::UploadSettings settings;
        settings.chunk_size = drive::resumable_granularity;
        settings.multipart_limit = 4;
        settings.random_token = &drive::random_hex_token;
        auto result = drive::upload(call, {{"name", "chunks.bin"}, {"mimeType", "application/octet-stream"}},
                                    "application/octet-stream", content, settings);
        if (result.ok()) {
            const auto media = call.get("/drive/v3/files/" + result.value().at("id").get<std::string>() + "?alt=media");
            stored = media.status == 200 ? media.body : "<HTTP " + std::to_string(media.status) + ">";
        }
        return result;
    }

    std::unique_ptr<sim::ProviderSim> simulator;
    std::unique_ptr<http::BeastHttpClient> client;
    std::unique_ptr<SimulatorContext> context;
    std::string content;
    std::string stored; // what Drive holds afterwards
};

TEST_F(DriveResumableSim, AMultiChunkUploadReachesTheSimulatorIntact) {
    const drive::UploadResult result = upload();
    ASSERT_TRUE(result.ok()) << result.error().json();
    const json& file = result.value();
    EXPECT_EQ(file.at("size"), std::to_string(content.size()));
    EXPECT_EQ(file.at("name"), "chunks.bin");
    ASSERT_EQ(context->sent.size(), 5u); // the session, three chunks, the download
    EXPECT_EQ(context->sent[0].method, "POST");
    for (std::size_t i = 1; i < 4; ++i) {
        EXPECT_EQ(context->sent[i].method, "PUT");
        EXPECT_TRUE(context->sent[i].path.starts_with("/upload/drive/v3/files?")) << context->sent[i].path;
    }
    EXPECT_THAT(simulator->validation_failures(), IsEmpty());
    EXPECT_TRUE(stored == content);
}

TEST_F(DriveResumableSim, AChunkThatKeepsFailingIsResumedAfterAStatusQuery) {
    context->arm_on_put = 2; // the second chunk: 503 on each of the client's three attempts
    context->on_put = [this] {
        sim::FaultRule outage;
        outage.prefix = "/www.googleapis.com/upload/drive/v3/files";
        outage.status = 503;
        outage.count = 3;
        simulator->add_fault(outage);
    };
    const drive::UploadResult result = upload();
    ASSERT_TRUE(result.ok()) << result.error().json();
    EXPECT_EQ(simulator->faults_hit(), 3u);
    // Session, chunk 1, chunk 2 (failed), status query, chunk 2, chunk 3, the download.
    ASSERT_EQ(context->sent.size(), 7u);
    const auto range = [&](std::size_t i) {
        for (const auto& h : context->sent[i].headers) {
            if (h.name == "Content-Range") return h.value;
        }
        return std::string();
    };
    EXPECT_EQ(range(3), "bytes */" + std::to_string(content.size()));
    EXPECT_EQ(range(4), range(2));
    EXPECT_THAT(simulator->validation_failures(), IsEmpty());
    EXPECT_TRUE(stored == content);
}

TEST_F(DriveResumableSim, AChunkStoredButUnansweredIsNotSentTwice) {
    // Drive keeps the second chunk, then the connection drops before the answer. The host's
    // client may repeat the PUT (it is idempotent); whatever it does, the upload must end
    // with exactly the file's bytes.
    context->arm_on_put = 2;
    context->on_put = [this] {
        sim::FaultRule drop;
        drop.kind = sim::FaultRule::Kind::drop;
        drop.after_processing = true;
        drop.prefix = "/www.googleapis.com/upload/drive/v3/files";
        drop.count = 1;
        simulator->add_fault(drop);
    };
    const drive::UploadResult result = upload();
    ASSERT_TRUE(result.ok()) << result.error().json();
    EXPECT_TRUE(stored == content);
    // The simulator refuses the client's repeat of the stored chunk (400); the plugin then
    // asks where the upload stands and goes on from there.
    bool queried = false;
    for (const auto& r : context->sent) {
        for (const auto& h : r.headers) queried = queried || (h.name == "Content-Range" && h.value.starts_with("bytes */"));
    }
    EXPECT_TRUE(queried);
}

} // namespace
