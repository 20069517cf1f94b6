// google_drive.so against the provider simulator, through the product's plugin loader and
// outbound HTTP client (tests/plugins/support/plugin_sim_harness.hpp): every action's
// result, that every request the plugin sent validated against Drive's discovery document
// (the simulator checks and records it), both upload protocols with the bytes read back, and
// the errors the simulator can produce (404, expired and revoked tokens, 429, 5xx). A chunk
// that keeps failing is tested with the fake host only: the simulator's faults match path
// prefixes, and a session's PUTs share their path with the POST that opened it.
#include "plugins/common/base64.hpp"
#include "tests/plugins/gmail/category_schema.hpp"
#include "tests/plugins/support/plugin_sim_harness.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

using switchboard::testing::PluginSimHarness;
namespace sim = switchboard::sim;
namespace t = switchboard::plugins::testing;
namespace b64 = switchboard::plugins::base64;
using nlohmann::json;
using ::testing::IsEmpty;

const t::CategorySchema& schema() {
    static const t::CategorySchema s("drive.schema.json");
    return s;
}

std::vector<std::string> invalid_requests(PluginSimHarness& h) {
    std::vector<std::string> out;
    for (const auto& r : h.sim().validation_failures()) {
        std::string line = r.verb + " " + r.path + "?" + r.query + " (" + r.method_id + "):";
        for (const auto& e : r.errors) line += " " + e;
        out.push_back(line);
    }
    return out;
}

std::string bytes(std::size_t n, unsigned seed) {
    std::string out(n, '\0');
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>((i * 2654435761u + seed) >> 7);
    return out;
}

class DriveSim : public ::testing::Test {
protected:
    void SetUp() override {
        harness = PluginSimHarness::start("google_drive");
        ASSERT_NE(harness, nullptr);
    }
    void TearDown() override {
        if (harness) {
            EXPECT_THAT(invalid_requests(*harness), IsEmpty());
        }
    }
    switchboard::plugin::InvokeOutcome invoke(std::string_view action, const json& params) {
        return harness->invoke(action, params.dump());
    }
    json ok(std::string_view action, const json& params, const char* definition) {
        const auto out = invoke(action, params);
        EXPECT_EQ(out.status, SB_STATUS_OK) << action << ": " << out.json.substr(0, 2000);
        if (out.status != SB_STATUS_OK) return json();
        EXPECT_THAT(schema().problems(definition, out.json), IsEmpty()) << out.json.substr(0, 2000);
        return json::parse(out.json);
    }
    json upload(const std::string& name, const std::string& content, const std::string& mime = "application/octet-stream",
                const std::string& parent = "") {
        json params = {{"name", name}, {"mime_type", mime}, {"content_base64", b64::encode(content)}};
        if (!parent.empty()) params["parent_id"] = parent;
        return ok("upload_file", params, "File");
    }
    std::string download(const std::string& id) {
        const json got = ok("download_file", {{"file_id", id}}, "DownloadFileResult");
        if (got.is_null()) return "<failed>";
        return b64::decode(got.at("content_base64").get<std::string>()).value_or("<not base64>");
    }
    static std::string error_code(const switchboard::plugin::InvokeOutcome& out) {
        return json::parse(out.json, nullptr, false).value("code", "");
    }

    std::unique_ptr<PluginSimHarness> harness;
};

TEST_F(DriveSim, FolderUploadListDownloadDelete) {
    const json folder = ok("create_folder", {{"name", "Reports 'Q2'"}}, "File");
    EXPECT_EQ(folder.at("is_folder"), true);
    EXPECT_EQ(folder.at("mime_type"), "application/vnd.google-apps.folder");

    // Small: see LargeFilesGoThroughAResumableSession for why (the host's params check).
    const std::string content = bytes(9000, 1);
    const json file = upload("numbers.bin", content, "application/octet-stream", folder.at("id"));
    EXPECT_EQ(file.at("name"), "numbers.bin");
    EXPECT_EQ(file.at("size"), content.size());
    EXPECT_EQ(file.at("parent_ids"), json::array({folder.at("id")}));
    EXPECT_TRUE(file.contains("md5") && file.contains("created_at") && file.contains("web_link"));
    ok("create_folder", {{"name", "sub"}, {"parent_id", folder.at("id")}}, "File");

    const json listed = ok("list_files", {{"folder_id", folder.at("id")}}, "ListFilesResult");
    ASSERT_EQ(listed.at("files").size(), 2u);

    EXPECT_EQ(download(file.at("id")), content);
    const json deleted = ok("delete_file", {{"file_id", file.at("id")}}, "DeleteFileResult");
    EXPECT_EQ(deleted, json({{"deleted", true}, {"file_id", file.at("id")}}));
    const auto gone = invoke("download_file", {{"file_id", file.at("id")}});
    EXPECT_EQ(gone.status, SB_STATUS_NOT_FOUND) << gone.json;

    for (const char* id : {"drive.files.create", "drive.files.get", "drive.files.list", "drive.files.delete"}) {
        EXPECT_GT(harness->sim().calls(id), 0u) << id;
    }
}

TEST_F(DriveSim, ListFiltersPagesAndEscapesQuotes) {
    const std::string folder = ok("create_folder", {{"name", "box"}}, "File").at("id");
    upload("it's a \\ test.txt", "a", "text/plain", folder);
    upload("plain.txt", "b", "text/plain", folder);
    upload("doc.pdf", "c", "application/pdf", folder);
    const json quoted = ok("list_files", {{"folder_id", folder}, {"name_contains", "it's a \\"}}, "ListFilesResult");
    ASSERT_EQ(quoted.at("files").size(), 1u);
    EXPECT_EQ(quoted.at("files")[0].at("name"), "it's a \\ test.txt");
    const json pdfs = ok("list_files", {{"folder_id", folder}, {"mime_type", "application/pdf"}}, "ListFilesResult");
    ASSERT_EQ(pdfs.at("files").size(), 1u);
    EXPECT_EQ(pdfs.at("files")[0].at("name"), "doc.pdf");

    const json first = ok("list_files", {{"folder_id", folder}, {"max_results", 2}}, "ListFilesResult");
    ASSERT_EQ(first.at("files").size(), 2u);
    ASSERT_TRUE(first.contains("next_page_token"));
    const json second = ok("list_files", {{"folder_id", folder}, {"max_results", 2}, {"page_token", first.at("next_page_token")}},
                           "ListFilesResult");
    ASSERT_EQ(second.at("files").size(), 1u);
    EXPECT_FALSE(second.contains("next_page_token"));
    // The root folder by default: the query is valid (checked at tear-down) and answered.
    ok("list_files", json::object(), "ListFilesResult");
}

// Without folder_id the plugin lists the root with q "'root' in parents and trashed = false":
// Drive takes "root" as the alias of the My Drive folder's id wherever a file id goes.
TEST_F(DriveSim, TheRootFolderIsListedByDefault) {
    const json folder = ok("create_folder", {{"name", "top"}}, "File");
    upload("top.txt", "x", "text/plain");
    upload("inner.txt", "y", "text/plain", folder.at("id"));
    const json root = ok("list_files", json::object(), "ListFilesResult");
    std::vector<std::string> names;
    for (const auto& f : root.at("files")) names.push_back(f.at("name"));
    EXPECT_THAT(names, ::testing::UnorderedElementsAre("top", "top.txt"));
}

TEST_F(DriveSim, GoogleDocsAreExportedInAFormatGoogleOffersAndFoldersHaveNoContent) {
    const json doc = upload("Plan", "Ship it on Friday.", "application/vnd.google-apps.document");
    auto out = invoke("download_file", {{"file_id", doc.at("id")}});
    EXPECT_EQ(out.status, SB_STATUS_INVALID_INPUT) << out.json;
    EXPECT_EQ(error_code(out), "export_format_required");
    EXPECT_THAT(out.json, ::testing::HasSubstr("text/plain"));
    const json text = ok("download_file", {{"file_id", doc.at("id")}, {"export_format", "text/plain"}},
                         "DownloadFileResult");
    EXPECT_EQ(text.at("content_mime_type"), "text/plain");
    EXPECT_EQ(text.at("content_base64"), b64::encode("Ship it on Friday."));
    const json html = ok("download_file", {{"file_id", doc.at("id")}, {"export_format", "text/html"}},
                         "DownloadFileResult");
    EXPECT_EQ(html.at("content_mime_type"), "text/html");
    out = invoke("download_file", {{"file_id", doc.at("id")}, {"export_format", "text/csv"}});
    EXPECT_EQ(error_code(out), "export_format_not_offered");

    const json sheet = upload("Budget", "a,b\n1,2\n", "application/vnd.google-apps.spreadsheet");
    const json csv = ok("download_file", {{"file_id", sheet.at("id")}, {"export_format", "text/csv"}},
                        "DownloadFileResult");
    EXPECT_EQ(csv.at("content_base64"), b64::encode("a,b\n1,2\n"));
    EXPECT_EQ(harness->sim().calls("drive.files.export"), 3u);

    const json folder = ok("create_folder", {{"name", "F"}}, "File");
    out = invoke("download_file", {{"file_id", folder.at("id")}});
    EXPECT_EQ(out.status, SB_STATUS_INVALID_INPUT) << out.json;
    EXPECT_EQ(error_code(out), "not_a_file");
}

TEST_F(DriveSim, UnknownFilesAreNotFound) {
    for (const char* action : {"download_file", "delete_file"}) {
        const auto out = invoke(action, {{"file_id", "1doesNotExist"}});
        EXPECT_EQ(out.status, SB_STATUS_NOT_FOUND) << action << ": " << out.json;
        EXPECT_EQ(error_code(out), "not_found");
    }
    const auto out = invoke("list_files", {{"folder_id", "1doesNotExist"}});
    EXPECT_TRUE(out.status == SB_STATUS_OK || out.status == SB_STATUS_NOT_FOUND) << out.json;
}

TEST_F(DriveSim, AnExpiredOrRevokedTokenIsAnAuthError) {
    harness->sim().expire_access_tokens();
    auto out = invoke("list_files", json::object());
    EXPECT_EQ(out.status, SB_STATUS_AUTH) << out.json;
    EXPECT_EQ(error_code(out), "unauthorized");
    harness->set_access_token(harness->sim()
                                  .issue_tokens(sim::Provider::google, "sim.user@example.com",
                                                {"https://www.googleapis.com/auth/drive.file"})
                                  .access_token);
    ASSERT_EQ(invoke("list_files", json::object()).status, SB_STATUS_OK);
    harness->set_access_token("ya29.revoked-or-never-issued");
    out = invoke("create_folder", {{"name", "x"}});
    EXPECT_EQ(out.status, SB_STATUS_AUTH) << out.json;
    EXPECT_EQ(error_code(out), "unauthorized");
}

TEST_F(DriveSim, RateLimitsAndOutages) {
    sim::FaultRule burst;
    burst.prefix = "/www.googleapis.com/drive/";
    burst.status = 429;
    burst.count = 2;
    burst.retry_after_seconds = 1;
    harness->sim().add_fault(burst);
    ok("list_files", json::object(), "ListFilesResult"); // the host waited and retried
    EXPECT_EQ(harness->sim().faults_hit(), 2u);

    burst.count = 3;
    harness->sim().add_fault(burst);
    auto out = invoke("list_files", json::object());
    EXPECT_EQ(out.status, SB_STATUS_RATE_LIMITED) << out.json;
    EXPECT_EQ(json::parse(out.json).at("details").at("retry_after_seconds"), 1);

    sim::FaultRule outage;
    outage.prefix = "/www.googleapis.com/drive/";
    outage.status = 500;
    outage.count = 3;
    harness->sim().add_fault(outage);
    out = invoke("delete_file", {{"file_id", "1x"}});
    EXPECT_EQ(out.status, SB_STATUS_UNAVAILABLE) << out.json;
    EXPECT_EQ(error_code(out), "provider_unavailable");
}

// A file over the 5 MiB multipart limit, uploaded through a resumable session (one 8 MiB
// chunk holds it) and read back, through the host's params and result checks.
TEST_F(DriveSim, LargeFilesGoThroughAResumableSession) {
    const std::string content = bytes(5 * 1024 * 1024 + 300 * 1024, 7);
    const json file = upload("large.bin", content);
    ASSERT_TRUE(file.contains("id"));
    std::size_t puts = 0;
    for (const auto& r : harness->last_requests()) {
        puts += r.method == "PUT" ? 1 : 0;
    }
    EXPECT_EQ(puts, 1u);
    EXPECT_EQ(download(file.at("id")), content);
}

} // namespace
