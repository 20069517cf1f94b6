// Issue 13.3 through the real host: the credentialed proxy
// (/api/v1/connectors/{id}/proxy/{path...}) against the simulator. A 100 MB Drive file goes up
// and comes back down through it while the host's resident memory is sampled (it must stay
// flat: both bodies stream); Gmail labels and HubSpot companies, which no action covers, are
// reached through it; and paths that try to leave the provider's allowed base URLs are
// refused before anything reaches a provider.
#include "tests/e2e/e2e_suite.hpp"

#include <atomic>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

namespace switchboard::e2e {
namespace {

constexpr std::uint64_t kFileBytes = 100ull * 1000 * 1000; // "100 MB"

// Reproducible pseudo-random bytes (xorshift64), so both sides can be checked without
// holding either whole.
class ByteGenerator {
public:
    char next() {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 7;
        state_ ^= state_ << 17;
        return static_cast<char>(state_ & 0xff);
    }

private:
    std::uint64_t state_ = 0x9e3779b97f4a7c15ull;
};

// The file's bytes, generated while the client sends them.
class GeneratedBody final : public http::RequestBodySource {
public:
    explicit GeneratedBody(std::uint64_t size) : left_(size) {}
    Result<std::size_t> read(char* into, std::size_t size) override {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(size, left_));
        for (std::size_t i = 0; i < n; ++i) into[i] = bytes_.next();
        left_ -= n;
        return n;
    }

private:
    std::uint64_t left_;
    ByteGenerator bytes_;
};

// A process's anonymous resident memory in KiB (/proc/<pid>/status RssAnon: heap, stacks,
// ASan's shadow), what holding the file would grow; 0 when unreadable. The file-backed part
// of VmRSS is left out: the code of the executable and its shared libraries, paged in and out
// as the machine's memory pressure goes, moved it by tens of MiB between runs.
std::uint64_t resident_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("RssAnon:", 0) == 0) return std::stoull(line.substr(8));
    }
    return 0;
}

// Samples a process's resident set every 10 ms until destroyed; keeps the largest.
class RssSampler {
public:
    explicit RssSampler(pid_t pid)
        : thread_([this, pid] {
              while (!stop_) {
                  const auto now = resident_kib(pid);
                  if (now > peak_) peak_ = now;
                  std::this_thread::sleep_for(std::chrono::milliseconds(10));
              }
          }) {}
    ~RssSampler() {
        stop_ = true;
        thread_.join();
    }
    std::uint64_t peak_kib() const { return peak_; }

private:
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> peak_{0};
    std::thread thread_;
};

std::string tail_of(const std::string& log) {
    return log.size() > 4000 ? log.substr(log.size() - 4000) : log;
}

// Status and error code of a raw HTTP answer.
int raw_status(const std::string& answer) {
    if (answer.size() < 12 || answer.rfind("HTTP/1.1 ", 0) != 0) return 0;
    return std::stoi(answer.substr(9, 3));
}

class Proxy : public E2E {
protected:
    std::string proxy_url(const std::string& connector, const std::string& rest) const {
        return api("/api/v1/connectors/" + connector + "/proxy/" + rest);
    }
    // Every call the simulator counted, whatever the method.
    int all_calls() {
        int sum = 0;
        const json counters = sim_->admin("GET", "/_admin/counters"); // items() needs it kept
        for (const auto& [id, count] : counters.at("calls").items()) {
            (void)id;
            sum += count.get<int>();
        }
        return sum;
    }
};

TEST_F(Proxy, A100MegabyteDriveFileGoesUpAndDownWithFlatHostMemory) {
    const std::string token = token_for("proxy-drive");
    const std::string id = connect_id(token, "drive", "google_drive", "Files");
    ASSERT_FALSE(id.empty());
    const std::uint64_t before_kib = resident_kib(host_->pid());
    ASSERT_GT(before_kib, 0u);
    std::uint64_t peak_kib = 0;

    // Up: a media upload, the body generated while it is sent.
    std::string file_id;
    {
        RssSampler sampler(host_->pid());
        GeneratedBody body(kFileBytes);
        http::StreamedRequest upload;
        upload.method = "POST";
        upload.url = proxy_url(id, "upload/drive/v3/files?uploadType=media");
        upload.headers = {{"Authorization", "Bearer " + token},
                          {"Content-Type", "application/octet-stream"}};
        upload.body = &body;
        upload.content_length = kFileBytes;
        http::RequestOptions options;
        options.max_attempts = 1;
        options.deadline = std::chrono::minutes(5);
        auto opened = client_.raw().open(upload, options);
        ASSERT_TRUE(opened) << opened.error().code << ": " << opened.error().message << "\n"
                            << tail_of(host_->log());
        std::string answer;
        char piece[4096];
        while (true) {
            auto got = (*opened)->read(piece, sizeof piece);
            ASSERT_TRUE(got) << got.error().code;
            if (*got == 0) break;
            answer.append(piece, *got);
        }
        ASSERT_EQ((*opened)->status(), 200) << answer;
        file_id = json::parse(answer).at("id").get<std::string>();
        peak_kib = std::max(peak_kib, sampler.peak_kib());
    }

    // Down: alt=media, compared byte by byte with what was generated.
    {
        RssSampler sampler(host_->pid());
        http::StreamedRequest download;
        download.method = "GET";
        download.url = proxy_url(id, "drive/v3/files/" + file_id + "?alt=media");
        download.headers = {{"Authorization", "Bearer " + token}};
        http::RequestOptions options;
        options.max_attempts = 1;
        options.deadline = std::chrono::minutes(5);
        options.max_response_body_bytes = 2 * kFileBytes;
        auto opened = client_.raw().open(download, options);
        ASSERT_TRUE(opened) << opened.error().code << ": " << opened.error().message;
        ASSERT_EQ((*opened)->status(), 200);
        EXPECT_EQ((*opened)->content_length(), std::optional<std::uint64_t>(kFileBytes));
        EXPECT_FALSE((*opened)->header("authorization"));
        ByteGenerator expected;
        std::uint64_t received = 0;
        std::uint64_t mismatches = 0;
        std::vector<char> piece(256 * 1024);
        while (true) {
            auto got = (*opened)->read(piece.data(), piece.size());
            ASSERT_TRUE(got) << got.error().code << " after " << received << " bytes";
            if (*got == 0) break;
            for (std::size_t i = 0; i < *got; ++i) {
                if (piece[i] != expected.next()) ++mismatches;
            }
            received += *got;
        }
        EXPECT_EQ(received, kFileBytes);
        EXPECT_EQ(mismatches, 0u);
        peak_kib = std::max(peak_kib, sampler.peak_kib());
    }

    // Flat: the host's resident set grew by far less than the file (both bodies stream; the
    // bound leaves room for the pool's connections and the allocator's arenas).
    const std::uint64_t growth_kib = peak_kib > before_kib ? peak_kib - before_kib : 0;
    std::cout << "[proxy] host anonymous RSS before " << before_kib / 1024 << " MiB, peak during the "
              << kFileBytes / 1000000 << " MB up+down " << peak_kib / 1024 << " MiB (growth "
              << growth_kib / 1024 << " MiB)" << std::endl;
    RecordProperty("host_rss_before_kib", std::to_string(before_kib));
    RecordProperty("host_rss_peak_kib", std::to_string(peak_kib));
    EXPECT_LT(growth_kib, 32u * 1024) << "the host held the file in memory";
}

TEST_F(Proxy, GmailLabelsNoActionCovers) {
    const std::string token = token_for("proxy-gmail");
    const std::string id = connect_id(token, "email", "gmail", "Mail");
    ASSERT_FALSE(id.empty());
    const int before = sim_->calls("gmail.users.labels.list");
    auto r = client_.get(proxy_url(id, "gmail/v1/users/me/labels"), bearer(token));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(sim_->calls("gmail.users.labels.list"), before + 1);
    const json body = r.json_body();
    std::set<std::string> ids;
    for (const auto& label : body.at("labels")) ids.insert(label.at("id").get<std::string>());
    EXPECT_TRUE(ids.count("INBOX") && ids.count("SENT")) << r.body;
    EXPECT_EQ(r.header("authorization"), "");
    EXPECT_EQ(find_secret(r.body), "");
}

TEST_F(Proxy, HubSpotCompaniesNoActionCovers) {
    const std::string token = token_for("proxy-hubspot");
    const std::string id = connect_id(token, "crm", "hubspot", "Sales");
    ASSERT_FALSE(id.empty());
    const int before = sim_->calls("companies_list");
    auto r = client_.get(proxy_url(id, "crm/v3/objects/companies?limit=5&properties=name,domain"),
                         bearer(token));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(sim_->calls("companies_list"), before + 1);
    EXPECT_TRUE(r.json_body().at("results").is_array()) << r.body;
    // The connector's scopes read companies but do not write them: HubSpot's own refusal comes
    // back as HubSpot gave it.
    auto write = client_.request("POST", proxy_url(id, "crm/v3/objects/companies"),
                                 {{"Authorization", "Bearer " + token},
                                  {"Content-Type", "application/json"}},
                                 json{{"properties", {{"name", "Acme"}}}}.dump());
    EXPECT_EQ(write.status, 403) << write.body;
    EXPECT_EQ(find_secret(write.body), "");
}

TEST_F(Proxy, PathsThatTryToLeaveTheAllowedBaseUrlsAreRefused) {
    const std::string token = token_for("proxy-escape");
    const std::string id = connect_id(token, "drive", "google_drive", "Files");
    ASSERT_FALSE(id.empty());
    const int before = all_calls();
    const std::string prefix = "/api/v1/connectors/" + id + "/proxy/";
    for (const std::string path :
         {"../../../oauth2/v4/token", "drive/v3/../../oauth2/v4/token", "drive/v3/%2e%2e/%2E%2E/x",
          "drive/v3/files/..", "./drive/v3/files", "/evil.example/drive/v3/files",
          "drive/v3//evil.example/x", "https://evil.example/drive/v3/files",
          "https:%2F%2Fevil.example/drive/v3/files", "drive/v3/files%2F..%2F..%2Fx",
          "drive\\v3\\..\\..\\x", "drive/v3/files/%5c..%5c..%5cx", "%2Fdrive/v3/files",
          "calendar/v3/calendars/primary/events", "gmail/v1/users/me/labels",
          "drive/v3x/files", "@evil.example/drive/v3/files"}) {
        const std::string answer = raw_exchange(
            host_->port(), "GET " + prefix + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Authorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");
        const int status = raw_status(answer);
        EXPECT_TRUE(status == 400 || status == 403 || status == 404) << path << "\n" << answer;
        // Refused by the proxy, or already by the server as no valid request target.
        const bool named = answer.find("invalid_proxy_path") != std::string::npos ||
                           answer.find("malformed_target") != std::string::npos ||
                           answer.find("proxy_target_not_allowed") != std::string::npos ||
                           answer.find("not_found") != std::string::npos;
        EXPECT_TRUE(named) << path << "\n" << answer;
    }
    EXPECT_EQ(all_calls(), before) << "a refused path reached the simulator";

    // The same connector reaches what its base URLs allow.
    auto listed = client_.get(api(prefix + "drive/v3/files?pageSize=1"), bearer(token));
    EXPECT_EQ(listed.status, 200) << listed.body;
}

TEST_F(Proxy, AnotherTenantsConnectorIsNotFound) {
    const std::string owner = token_for("proxy-owner");
    const std::string id = connect_id(owner, "email", "gmail", "Mail");
    ASSERT_FALSE(id.empty());
    auto r = client_.get(proxy_url(id, "gmail/v1/users/me/labels"),
                         bearer(token_for("proxy-stranger")));
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_EQ(r.error_code(), "connector_not_found");
    auto anonymous = client_.get(proxy_url(id, "gmail/v1/users/me/labels"));
    EXPECT_EQ(anonymous.status, 401) << anonymous.body;
}

} // namespace
} // namespace switchboard::e2e
