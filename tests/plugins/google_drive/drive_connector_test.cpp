// The Google Drive plugin through the SDK's fake host: the exact requests of every action,
// both upload protocols (the resumable one also driven directly with small chunks), the
// mapping of Drive's answers and errors, and every result checked against the drive contract.
// The plugin's objects (entry function included) are linked into this test.
#include "plugins/common/base64.hpp"
#include "plugins/google_drive/drive_api.hpp"
#include "plugins/google_drive/upload.hpp"
#include "tests/plugins/gmail/category_schema.hpp"
#include "tests/plugins/gmail/discovery_check.hpp"
#include "tests/plugins/gmail/mime_reader.hpp"

#include "switchboard/plugin.h"
#include "switchboard/testing/fake_host.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace {

namespace sdk = switchboard::sdk;
namespace b64 = switchboard::plugins::base64;
namespace t = switchboard::plugins::testing;
namespace drive = switchboard::plugins::google_drive;
using namespace switchboard::sdk::testing;
using nlohmann::json;
using namespace std::string_literals;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const t::CategorySchema& schema() {
    static const t::CategorySchema s("drive.schema.json");
    return s;
}

// The fields query every File answer asks for, percent-encoded as the plugin sends it.
const std::string fields = "fields=id%2Cname%2CmimeType%2Csize%2Cparents%2CcreatedTime%2CmodifiedTime%2CwebViewLink%2Cmd5Checksum%2Cdescription";

json drive_file(const std::string& id, const std::string& name, const std::string& mime, std::size_t size) {
    return {{"id", id},
            {"name", name},
            {"mimeType", mime},
            {"size", std::to_string(size)},
            {"parents", {"root-id"}},
            {"createdTime", "2024-06-01T12:00:00.000Z"},
            {"modifiedTime", "2024-06-01T12:00:01.000Z"},
            {"webViewLink", "https://drive.google.com/file/d/" + id + "/view"},
            {"md5Checksum", "9e107d9d372bb6826bd81d3542a419d6"}};
}

const t::DiscoveryDocument& drive_discovery() {
    static const t::DiscoveryDocument d("drive_v3.json");
    return d;
}

// The discovery method a request of this plugin calls; "" for the resumable session's PUTs,
// which go to the session URI Drive handed out, not to a method.
std::string method_id(const RecordedRequest& r) {
    if (r.method == "PUT") return "";
    if (r.method == "POST") return "drive.files.create";
    if (r.method == "DELETE") return "drive.files.delete";
    const std::string path = r.path.substr(0, r.path.find('?'));
    if (path == "/drive/v3/about") return "drive.about.get";
    if (path.ends_with("/export")) return "drive.files.export";
    return path == "/drive/v3/files" ? "drive.files.list" : "drive.files.get";
}

void expect_requests_follow_discovery(const FakeHost& host) {
    for (const auto& r : host.requests()) {
        const std::string id = method_id(r);
        if (id.empty()) continue;
        EXPECT_THAT(drive_discovery().problems(id, r), IsEmpty()) << r.method << " " << r.path;
    }
}

std::string google_error(int code, const char* message, const char* reason = nullptr) {
    json error = {{"code", code}, {"message", message}};
    if (reason != nullptr) error["errors"] = {{{"reason", reason}, {"domain", "global"}, {"message", message}}};
    return json{{"error", error}}.dump();
}

class DriveConnector : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(plugin.init(), SB_STATUS_OK);
        connector = plugin.connect("google_drive");
        ASSERT_EQ(connector.status(), SB_STATUS_OK);
    }
    Invocation invoke(std::string_view action, const json& params) { return connector.invoke(action, params.dump()); }
    void expect_valid(const Invocation& call, const char* definition) {
        ASSERT_EQ(call.status, SB_STATUS_OK) << call.error;
        EXPECT_THAT(schema().problems(definition, call.result), IsEmpty()) << call.result;
        EXPECT_THAT(plugin.problems(), IsEmpty());
        expect_requests_follow_discovery(host);
    }

    FakeHost host;
    PluginUnderTest plugin{std::filesystem::path(SB_PLUGIN_GOOGLE_DRIVE), host}; // the built google_drive.so
    ConnectorHandle connector;
};

// --- upload_file ------------------------------------------------------------------------------------

TEST_F(DriveConnector, UploadFileSmallFilesGoInOneMultipartRequest) {
    const std::string content = "%PDF-1.7\n\x00\xff binary\r\n"s;
    host.expect("POST", "/upload/drive/v3/files?uploadType=multipart&" + fields,
                CannedResponse::json(200, drive_file("f1", "Q2 report.pdf", "application/pdf", content.size()).dump()));
    const Invocation call = invoke("upload_file", {{"name", "Q2 report.pdf"},
                                                   {"mime_type", "application/pdf"},
                                                   {"content_base64", b64::encode(content)},
                                                   {"parent_id", "folder-1"},
                                                   {"description", "Quarterly \"numbers\""}});
    expect_valid(call, "File");
    EXPECT_EQ(json::parse(call.result), json({{"id", "f1"},
                                              {"name", "Q2 report.pdf"},
                                              {"mime_type", "application/pdf"},
                                              {"is_folder", false},
                                              {"size", content.size()},
                                              {"parent_ids", {"root-id"}},
                                              {"created_at", "2024-06-01T12:00:00.000Z"},
                                              {"modified_at", "2024-06-01T12:00:01.000Z"},
                                              {"web_link", "https://drive.google.com/file/d/f1/view"},
                                              {"md5", "9e107d9d372bb6826bd81d3542a419d6"}}));
    const auto requests = host.requests();
    ASSERT_EQ(requests.size(), 1u);
    const std::string type = *requests[0].header("Content-Type");
    EXPECT_THAT(type, ::testing::MatchesRegex("multipart/related; boundary=sb_[0-9a-f]{32}"));
    const auto parts = t::split_multipart(requests[0].body, t::boundary_of(type));
    ASSERT_EQ(parts.size(), 2u);
    const auto metadata = t::parse_entity(parts[0]);
    EXPECT_EQ(metadata.header("Content-Type"), "application/json; charset=UTF-8");
    EXPECT_EQ(json::parse(metadata.body), json({{"name", "Q2 report.pdf"},
                                                {"mimeType", "application/pdf"},
                                                {"parents", {"folder-1"}},
                                                {"description", "Quarterly \"numbers\""}}));
    const auto media = t::parse_entity(parts[1]);
    EXPECT_EQ(media.header("Content-Type"), "application/pdf");
    EXPECT_EQ(media.body, content);
}

TEST_F(DriveConnector, UploadFileOfAnEmptyFileIntoTheRoot) {
    host.expect("POST", "/upload/drive/v3/files?uploadType=multipart&" + fields,
                CannedResponse::json(200, drive_file("f0", "empty", "text/plain", 0).dump()));
    expect_valid(invoke("upload_file", {{"name", "empty"}, {"mime_type", "text/plain"}, {"content_base64", ""}}), "File");
    const auto requests = host.requests();
    ASSERT_EQ(requests.size(), 1u);
    const auto parts = t::split_multipart(requests[0].body, t::boundary_of(*requests[0].header("Content-Type")));
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(json::parse(t::parse_entity(parts[0]).body), json({{"name", "empty"}, {"mimeType", "text/plain"}})); // no parents
    EXPECT_EQ(t::parse_entity(parts[1]).body, "");
}

// What the connector uses (the size routing itself is tested below with small settings, so
// the unit tests need not push megabytes through an unoptimised build).
TEST(UploadSettings, GoogleLimitsByDefault) {
    const drive::UploadSettings defaults;
    EXPECT_EQ(defaults.multipart_limit, 5u * 1024 * 1024);
    EXPECT_EQ(defaults.chunk_size % drive::resumable_granularity, 0u);
    EXPECT_GE(defaults.chunk_size, defaults.multipart_limit);
}

TEST_F(DriveConnector, UploadFileRefusesBadParamsWithoutARequest) {
    const std::pair<json, std::string> cases[] = {
        {{{"mime_type", "text/plain"}, {"content_base64", ""}}, "/name"},
        {{{"name", ""}, {"mime_type", "text/plain"}, {"content_base64", ""}}, "/name"},
        {{{"name", "a"}, {"mime_type", "text/plain\r\nX-Evil: 1"}, {"content_base64", ""}}, "/mime_type"},
        {{{"name", "a"}, {"mime_type", "no-slash"}, {"content_base64", ""}}, "/mime_type"},
        {{{"name", "a"}, {"mime_type", "text/plain"}, {"content_base64", "!!!"}}, "/content_base64"},
        {{{"name", "a"}, {"mime_type", "text/plain"}, {"content_base64", "Zg"}, {"parent_id", 3}}, "/parent_id"},
        {{{"name", "a"}, {"mime_type", "text/plain"}}, "/content_base64"},
    };
    for (const auto& [params, field] : cases) {
        const Invocation call = invoke("upload_file", params);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << params.dump();
        EXPECT_EQ(call.error_code(), "invalid_params");
        EXPECT_EQ(json::parse(call.error).value("field", ""), field) << params.dump();
    }
    EXPECT_THAT(host.requests(), IsEmpty());
}

TEST_F(DriveConnector, UploadFileFullDriveIsNotAnAuthProblem) {
    host.expect("POST", "/upload/drive/v3/files?uploadType=multipart&" + fields,
                CannedResponse::json(403, google_error(403, "The user's Drive storage quota has been exceeded.", "storageQuotaExceeded")));
    const Invocation call = invoke("upload_file", {{"name", "a"}, {"mime_type", "text/plain"}, {"content_base64", "YQ=="}});
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(call.error_code(), "storage_quota_exceeded");
    EXPECT_THAT(call.error_message(), HasSubstr("storage quota"));
}

// --- the resumable protocol, driven directly with 256 KiB chunks ----------------------------------

class ResumableUpload : public ::testing::Test {
protected:
    // upload_resumable (or upload(), routing by size) in a call of the fake host, with
    // 256 KiB chunks and a 4-byte multipart limit.
    drive::UploadResult run(std::string_view content, bool route_by_size = false) {
        FakeHost::CallScope scope(host);
        const sdk::ConnectorInfo info{"google_drive", "tenant", "connector"};
        sdk::Call call(sdk::Host(host.table()), scope.c_call(), info);
        drive::UploadSettings settings;
        settings.chunk_size = drive::resumable_granularity;
        settings.multipart_limit = 4;
        settings.random_token = [] { return std::string("t"); };
        const json metadata = {{"name", "n"}, {"mimeType", "a/b"}};
        if (route_by_size) return drive::upload(call, metadata, "a/b", content, settings);
        return drive::upload_resumable(call, metadata, "a/b", content, settings);
    }
    drive::UploadResult run_upload(std::string_view content) { return run(content, true); }
    void start_session() {
        host.expect("POST", "/upload/drive/v3/files?uploadType=resumable&" + fields,
                    CannedResponse::empty(200).with_header("Location", "http://127.0.0.1:40123/www.googleapis.com" + session));
    }
    static CannedResponse resume_incomplete(const std::string& range) {
        return CannedResponse::empty(308).with_header("Range", range);
    }
    static std::string error_code(const drive::UploadResult& r) {
        return r.ok() ? "(success)" : json::parse(r.error().json()).value("code", "");
    }

    const std::string session = "/upload/drive/v3/files?uploadType=resumable&upload_id=ABC";
    FakeHost host;
};

TEST_F(ResumableUpload, FilesAboveTheMultipartLimitGoResumableWithTheirSizeAndType) {
    // multipart_limit 4: four bytes in one multipart request, five through a session.
    host.expect("POST", "/upload/drive/v3/files?uploadType=multipart&" + fields,
                CannedResponse::json(200, drive_file("m", "n", "a/b", 4).dump()));
    EXPECT_EQ(error_code(run_upload("abcd")), "(success)");
    start_session();
    host.expect("PUT", session, CannedResponse::json(201, drive_file("r", "n", "a/b", 5).dump()));
    const auto result = run_upload("abcde");
    ASSERT_EQ(error_code(result), "(success)");
    EXPECT_EQ(result.value().at("id"), "r");
    EXPECT_THAT(host.problems(), IsEmpty());
    const auto r = host.requests();
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(*r[1].header("Content-Type"), "application/json; charset=UTF-8");
    EXPECT_EQ(*r[1].header("X-Upload-Content-Type"), "a/b");
    EXPECT_EQ(*r[1].header("X-Upload-Content-Length"), "5");
    EXPECT_EQ(json::parse(r[1].body), json({{"name", "n"}, {"mimeType", "a/b"}}));
    EXPECT_EQ(*r[2].header("Content-Range"), "bytes 0-4/5");
    EXPECT_EQ(r[2].body, "abcde");
    expect_requests_follow_discovery(host);
}

TEST_F(ResumableUpload, ResumesFromWhereDriveSaysAfterPartialChunksAndFailures) {
    std::string content(716800, '\0');
    for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i % 253);
    start_session();
    host.expect("PUT", session, resume_incomplete("bytes=0-262143"));
    host.expect("PUT", session, resume_incomplete("bytes=0-300000")); // Drive kept less than was sent
    host.expect("PUT", session, CannedResponse::host_failure(SB_STATUS_UNAVAILABLE)); // after the host's retries
    host.expect("PUT", session, resume_incomplete("bytes=0-562144"));                  // the status query
    host.expect("PUT", session, CannedResponse::json(201, drive_file("f", "n", "a/b", content.size()).dump()));
    const drive::UploadResult result = run(content);
    ASSERT_TRUE(result.ok()) << result.error().json();
    EXPECT_EQ(result.value().at("id"), "f");
    EXPECT_THAT(host.problems(), IsEmpty());

    const auto r = host.requests();
    ASSERT_EQ(r.size(), 6u);
    const auto expect_chunk = [&](const RecordedRequest& request, std::size_t first, std::size_t last) {
        EXPECT_EQ(*request.header("Content-Range"),
                  "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/716800");
        EXPECT_TRUE(request.body == content.substr(first, last - first + 1)) << first;
    };
    expect_chunk(r[1], 0, 262143);
    expect_chunk(r[2], 262144, 524287);
    expect_chunk(r[3], 300001, 562144);
    EXPECT_EQ(*r[4].header("Content-Range"), "bytes */716800");
    EXPECT_TRUE(r[4].body.empty());
    expect_chunk(r[5], 562145, 716799);
}

TEST_F(ResumableUpload, FiveHundredsAreQueriedThenRetriedUpToALimit) {
    start_session();
    for (int i = 0; i < 3; ++i) {
        host.expect("PUT", session, CannedResponse::json(503, google_error(503, "Backend Error")));
        host.expect("PUT", session, CannedResponse::empty(308)); // nothing held yet: no Range
    }
    host.expect("PUT", session, CannedResponse::json(503, google_error(503, "Backend Error")));
    EXPECT_EQ(error_code(run("data")), "provider_unavailable");
    EXPECT_THAT(host.problems(), IsEmpty());
}

TEST_F(ResumableUpload, AChunkRefusedAsOutOfStepIsFollowedByAStatusQuery) {
    // The host repeated a PUT whose answer was lost; Drive already held it and refuses the
    // repeat. Where does the upload stand? At the end: a last status query finishes it.
    start_session();
    host.expect("PUT", session, CannedResponse::json(400, google_error(400, "Content-Range does not continue")));
    host.expect("PUT", session, resume_incomplete("bytes=0-3"));
    host.expect("PUT", session, CannedResponse::json(200, drive_file("f", "n", "a/b", 4).dump()));
    EXPECT_EQ(error_code(run("data")), "(success)");
    const auto r = host.requests();
    ASSERT_EQ(r.size(), 4u);
    EXPECT_EQ(*r[2].header("Content-Range"), "bytes */4");
    EXPECT_EQ(*r[3].header("Content-Range"), "bytes */4");
    EXPECT_THAT(host.problems(), IsEmpty());

    // A status query refused with 400 is not retried: the request itself is wrong.
    start_session();
    host.expect("PUT", session, CannedResponse::json(400, google_error(400, "Bad Content-Range")));
    host.expect("PUT", session, CannedResponse::json(400, google_error(400, "Bad Content-Range")));
    EXPECT_EQ(error_code(run("data")), "provider_rejected_request");
    EXPECT_THAT(host.problems(), IsEmpty());
}

TEST_F(ResumableUpload, AnExpiredSessionSaysSo) {
    start_session();
    host.expect("PUT", session, CannedResponse::json(404, google_error(404, "Not Found")));
    const auto result = run("data");
    EXPECT_EQ(error_code(result), "upload_session_expired");
    EXPECT_EQ(result.error().status(), SB_STATUS_UNAVAILABLE);
}

TEST_F(ResumableUpload, GivesUpWhenDriveStopsTakingData) {
    start_session();
    // Bytes 0-1 are progress; the same answer four more times is not (max_stalls is 3).
    for (int i = 0; i < 5; ++i) host.expect("PUT", session, resume_incomplete("bytes=0-1"));
    EXPECT_EQ(error_code(run("data")), "upload_stalled");
    const auto r = host.requests();
    ASSERT_EQ(r.size(), 6u);
    for (std::size_t i = 2; i < r.size(); ++i) EXPECT_EQ(*r[i].header("Content-Range"), "bytes 2-3/4");
    EXPECT_THAT(host.problems(), IsEmpty());
}

TEST_F(ResumableUpload, WhenEverythingIsHeldButNotFinishedItAsksThenStops) {
    start_session();
    host.expect("PUT", session, resume_incomplete("bytes=0-3"));
    for (int i = 0; i < 4; ++i) host.expect("PUT", session, resume_incomplete("bytes=0-3"));
    EXPECT_EQ(error_code(run("data")), "upload_stalled");
    const auto r = host.requests();
    ASSERT_EQ(r.size(), 6u);
    EXPECT_EQ(*r[2].header("Content-Range"), "bytes */4");
}

TEST_F(ResumableUpload, UnusableAnswersAreUnreadable) {
    host.expect("POST", "/upload/drive/v3/files?uploadType=resumable&" + fields, CannedResponse::empty(200));
    EXPECT_EQ(error_code(run("data")), "invalid_provider_response"); // no Location
    host.expect("POST", "/upload/drive/v3/files?uploadType=resumable&" + fields,
                CannedResponse::empty(200).with_header("Location", "https://evil.test/steal?upload_id=1"));
    EXPECT_EQ(error_code(run("data")), "invalid_provider_response");
    start_session();
    host.expect("PUT", session, resume_incomplete("bytes=0-99")); // more than was sent
    EXPECT_EQ(error_code(run("data")), "invalid_provider_response");
    start_session();
    host.expect("PUT", session, CannedResponse::json(200, "not json"));
    EXPECT_EQ(error_code(run("data")), "invalid_provider_response");
    EXPECT_THAT(host.problems(), IsEmpty());
}

TEST_F(ResumableUpload, SessionStartErrorsAreMapped) {
    host.expect("POST", "/upload/drive/v3/files?uploadType=resumable&" + fields,
                CannedResponse::json(401, google_error(401, "Invalid Credentials", "authError")));
    const auto result = run("data");
    EXPECT_EQ(error_code(result), "unauthorized");
    EXPECT_EQ(result.error().status(), SB_STATUS_AUTH);
}

// --- download_file ----------------------------------------------------------------------------------

TEST_F(DriveConnector, DownloadFileReadsMetadataThenContent) {
    const std::string content = "hello\x00\xff"s;
    host.expect("GET", "/drive/v3/files/f%2F1?" + fields,
                CannedResponse::json(200, drive_file("f/1", "hello.bin", "application/octet-stream", content.size()).dump()));
    host.expect("GET", "/drive/v3/files/f%2F1?alt=media", CannedResponse{200, {{"content-type", "application/octet-stream"}}, content});
    const Invocation call = invoke("download_file", {{"file_id", "f/1"}});
    expect_valid(call, "DownloadFileResult");
    const json result = json::parse(call.result);
    EXPECT_EQ(result.at("content_base64"), b64::encode(content));
    EXPECT_EQ(result.at("file").at("id"), "f/1");
    EXPECT_EQ(result.at("file").at("size"), content.size());
}

TEST_F(DriveConnector, DownloadFileExportsGoogleDocsInAFormatGoogleOffers) {
    const std::string doc_meta =
        json({{"id", "doc"}, {"name", "Plan"}, {"mimeType", "application/vnd.google-apps.document"}}).dump();
    const std::string about =
        json({{"exportFormats",
               {{"application/vnd.google-apps.document", {"text/plain", "application/pdf"}},
                {"application/vnd.google-apps.spreadsheet", {"text/csv"}}}}})
            .dump();
    // Without export_format the caller learns Google's formats for the type.
    host.expect("GET", "/drive/v3/files/doc?" + fields, CannedResponse::json(200, doc_meta));
    host.expect("GET", "/drive/v3/about?fields=exportFormats", CannedResponse::json(200, about));
    Invocation call = invoke("download_file", {{"file_id", "doc"}});
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(call.error_code(), "export_format_required");
    EXPECT_THAT(call.error_message(), HasSubstr("application/vnd.google-apps.document"));
    EXPECT_THAT(call.error_message(), HasSubstr("text/plain, application/pdf"));
    EXPECT_EQ(json::parse(call.error).at("field"), "/export_format");

    // A format Google does not offer for Docs (it does for Sheets).
    host.expect("GET", "/drive/v3/files/doc?" + fields, CannedResponse::json(200, doc_meta));
    host.expect("GET", "/drive/v3/about?fields=exportFormats", CannedResponse::json(200, about));
    call = invoke("download_file", {{"file_id", "doc"}, {"export_format", "text/csv"}});
    EXPECT_EQ(call.error_code(), "export_format_not_offered");

    host.expect("GET", "/drive/v3/files/doc?" + fields, CannedResponse::json(200, doc_meta));
    host.expect("GET", "/drive/v3/about?fields=exportFormats", CannedResponse::json(200, about));
    host.expect("GET", "/drive/v3/files/doc/export?mimeType=text%2Fplain",
                CannedResponse{200, {{"content-type", "text/plain"}}, "The plan."});
    call = invoke("download_file", {{"file_id", "doc"}, {"export_format", "text/plain"}});
    expect_valid(call, "DownloadFileResult");
    const json result = json::parse(call.result);
    EXPECT_EQ(result.at("content_base64"), b64::encode("The plan."));
    EXPECT_EQ(result.at("content_mime_type"), "text/plain");
    EXPECT_EQ(result.at("file").at("mime_type"), "application/vnd.google-apps.document");

    // Google's 10 MB export limit.
    host.expect("GET", "/drive/v3/files/doc?" + fields, CannedResponse::json(200, doc_meta));
    host.expect("GET", "/drive/v3/about?fields=exportFormats", CannedResponse::json(200, about));
    host.expect("GET", "/drive/v3/files/doc/export?mimeType=application%2Fpdf",
                CannedResponse::json(403, google_error(403, "This file is too large to be exported.",
                                                       "exportSizeLimitExceeded")));
    call = invoke("download_file", {{"file_id", "doc"}, {"export_format", "application/pdf"}});
    EXPECT_EQ(call.status, SB_STATUS_UNSUPPORTED);
    EXPECT_EQ(call.error_code(), "export_too_large");
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(DriveConnector, DownloadFileRefusesFoldersHugeFilesAndExportsOfOrdinaryFiles) {
    host.expect("GET", "/drive/v3/files/bin?" + fields,
                CannedResponse::json(200, drive_file("bin", "a.pdf", "application/pdf", 10).dump()));
    Invocation call = invoke("download_file", {{"file_id", "bin"}, {"export_format", "text/plain"}});
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(call.error_code(), "export_not_applicable");

    host.expect("GET", "/drive/v3/files/dir?" + fields,
                CannedResponse::json(200, json({{"id", "dir"}, {"name", "D"}, {"mimeType", "application/vnd.google-apps.folder"}}).dump()));
    call = invoke("download_file", {{"file_id", "dir"}});
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(call.error_code(), "not_a_file");

    host.expect("GET", "/drive/v3/files/huge?" + fields,
                CannedResponse::json(200, drive_file("huge", "h.iso", "application/x-iso9660-image", 4'000'000'000).dump()));
    call = invoke("download_file", {{"file_id", "huge"}});
    EXPECT_EQ(call.status, SB_STATUS_UNSUPPORTED);
    EXPECT_EQ(call.error_code(), "file_too_large");
    EXPECT_THAT(call.error_message(), HasSubstr("/proxy/drive/v3/files/huge?alt=media"));
    EXPECT_THAT(plugin.problems(), IsEmpty()); // no media request was made for any of them
}

TEST_F(DriveConnector, DownloadFileMediaErrors) {
    host.expect("GET", "/drive/v3/files/x?" + fields, CannedResponse::json(200, drive_file("x", "x", "text/plain", 3).dump()));
    host.expect("GET", "/drive/v3/files/x?alt=media",
                CannedResponse::json(403, google_error(403, "Only files with binary content can be downloaded.", "fileNotDownloadable")));
    EXPECT_EQ(invoke("download_file", {{"file_id", "x"}}).error_code(), "export_format_required");

    host.expect("GET", "/drive/v3/files/x?" + fields, CannedResponse::json(200, drive_file("x", "x", "text/plain", 3).dump()));
    host.expect("GET", "/drive/v3/files/x?alt=media", CannedResponse{200, {}, "ab"});
    const Invocation short_read = invoke("download_file", {{"file_id", "x"}});
    EXPECT_EQ(short_read.status, SB_STATUS_UNAVAILABLE);
    EXPECT_EQ(short_read.error_code(), "incomplete_download");

    host.expect("GET", "/drive/v3/files/gone?" + fields, CannedResponse::json(404, google_error(404, "File not found: gone.", "notFound")));
    const Invocation missing = invoke("download_file", {{"file_id", "gone"}});
    EXPECT_EQ(missing.status, SB_STATUS_NOT_FOUND);
    EXPECT_THAT(missing.error_message(), HasSubstr("File not found: gone."));
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

// --- list_files ---------------------------------------------------------------------------------------

TEST_F(DriveConnector, ListFilesDefaultsToTheRootWithoutTrash) {
    host.expect("GET",
                "/drive/v3/files?q=%27root%27%20in%20parents%20and%20trashed%20%3D%20false&pageSize=100"
                "&fields=nextPageToken%2Cfiles%28id%2Cname%2CmimeType%2Csize%2Cparents%2CcreatedTime%2CmodifiedTime"
                "%2CwebViewLink%2Cmd5Checksum%2Cdescription%29",
                CannedResponse::json(200, json({{"files", {drive_file("a", "a.txt", "text/plain", 1),
                                                           {{"id", "d"}, {"name", "Docs"}, {"mimeType", "application/vnd.google-apps.folder"}}}},
                                                {"nextPageToken", "next-1"}}).dump()));
    const Invocation call = invoke("list_files", json::object());
    expect_valid(call, "ListFilesResult");
    const json result = json::parse(call.result);
    ASSERT_EQ(result.at("files").size(), 2u);
    EXPECT_EQ(result.at("files")[1], json({{"id", "d"}, {"name", "Docs"}, {"mime_type", "application/vnd.google-apps.folder"}, {"is_folder", true}}));
    EXPECT_EQ(result.at("next_page_token"), "next-1");
}

TEST_F(DriveConnector, ANextPageTokenTheCallerCouldNotHandBackIsAnUnreadableAnswer) {
    const std::string longest(4096, 'p'); // the contract's longest page_token
    const std::string too_long(4097, 'p');
    const auto listing = [](const RecordedRequest& r) { return r.method == "GET" && r.path.starts_with("/drive/v3/files?q="); };
    host.expect(RequestMatcher::when("GET /drive/v3/files?q=<root>", listing),
                CannedResponse::json(200, json({{"files", json::array()}, {"nextPageToken", longest}}).dump()));
    const Invocation first = invoke("list_files", json::object());
    expect_valid(first, "ListFilesResult");
    EXPECT_EQ(json::parse(first.result).at("next_page_token"), longest);

    host.expect(RequestMatcher::when("GET /drive/v3/files?q=<root>&pageToken=<longest>",
                                     [&](const RecordedRequest& r) { return listing(r) && r.path.ends_with("&pageToken=" + longest); }),
                CannedResponse::json(200, json({{"files", json::array()}, {"nextPageToken", too_long}}).dump()));
    const Invocation second = invoke("list_files", {{"page_token", longest}});
    EXPECT_EQ(second.status, SB_STATUS_UNAVAILABLE);
    EXPECT_EQ(second.error_code(), "invalid_provider_response");
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

TEST_F(DriveConnector, ListFilesFiltersAreQuotedAndEscaped) {
    host.expect(RequestMatcher::when("GET /drive/v3/files?q=<filtered>", [](const RecordedRequest& r) {
                    return r.method == "GET" && r.path.starts_with("/drive/v3/files?q=%271Ab%27%20in%20parents%20and%20"
                                                                   "name%20contains%20%27it%5C%27s%20a%20%5C%5C%20test%27%20and%20"
                                                                   "mimeType%20%3D%20%27application%2Fpdf%27&pageSize=7&fields=") &&
                           r.path.ends_with("&pageToken=tok%2F2");
                }),
                CannedResponse::json(200, R"({"files":[]})"));
    const Invocation call = invoke("list_files", {{"folder_id", "1Ab"},
                                                  {"name_contains", "it's a \\ test"},
                                                  {"mime_type", "application/pdf"},
                                                  {"include_trashed", true},
                                                  {"max_results", 7},
                                                  {"page_token", "tok/2"}});
    expect_valid(call, "ListFilesResult");
    EXPECT_EQ(json::parse(call.result), json::parse(R"({"files":[]})"));
}

TEST_F(DriveConnector, ListFilesBadParamsAndUnreadableAnswers) {
    for (const char* params : {R"({"max_results":0})", R"({"max_results":1001})", R"({"include_trashed":"yes"})",
                               R"({"folder_id":""})", R"({"name_contains":5})"}) {
        const Invocation call = connector.invoke("list_files", params);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << params;
        EXPECT_EQ(call.error_code(), "invalid_params");
    }
    EXPECT_THAT(host.requests(), IsEmpty());
    host.expect_prefix("GET", "/drive/v3/files?", CannedResponse::json(200, R"({"files":[{"name":"no id"}]})"));
    EXPECT_EQ(invoke("list_files", json::object()).error_code(), "invalid_provider_response");
}

// --- create_folder and delete_file --------------------------------------------------------------------

TEST_F(DriveConnector, CreateFolderPostsFolderMetadata) {
    host.expect("POST", "/drive/v3/files?" + fields,
                CannedResponse::json(200, json({{"id", "d1"}, {"name", "Reports"}, {"mimeType", "application/vnd.google-apps.folder"},
                                                {"parents", {"p"}}, {"createdTime", "2024-06-01T12:00:00.000Z"}}).dump()));
    const Invocation call = invoke("create_folder", {{"name", "Reports"}, {"parent_id", "p"}});
    expect_valid(call, "File");
    EXPECT_EQ(json::parse(call.result).at("is_folder"), true);
    const auto requests = host.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(*requests[0].header("Content-Type"), "application/json");
    EXPECT_EQ(json::parse(requests[0].body),
              json({{"name", "Reports"}, {"mimeType", "application/vnd.google-apps.folder"}, {"parents", {"p"}}}));
}

TEST_F(DriveConnector, CreateFolderInTheRootSendsNoParents) {
    host.expect("POST", "/drive/v3/files?" + fields,
                CannedResponse::json(200, json({{"id", "d2"}, {"name", "Top"}, {"mimeType", "application/vnd.google-apps.folder"}}).dump()));
    expect_valid(invoke("create_folder", {{"name", "Top"}}), "File");
    EXPECT_EQ(json::parse(host.requests()[0].body), json({{"name", "Top"}, {"mimeType", "application/vnd.google-apps.folder"}}));
}

TEST_F(DriveConnector, DeleteFile) {
    host.expect("DELETE", "/drive/v3/files/a%20b", CannedResponse::empty(204));
    const Invocation call = invoke("delete_file", {{"file_id", "a b"}});
    expect_valid(call, "DeleteFileResult");
    EXPECT_EQ(json::parse(call.result), json({{"deleted", true}, {"file_id", "a b"}}));
}

// --- error mapping, the same for every action (shown on delete_file) ------------------------------

struct ErrorCase {
    const char* name;
    CannedResponse response;
    sb_status status;
    const char* code;
    const char* message_part;
};
void PrintTo(const ErrorCase& c, std::ostream* out) { *out << c.name; }

const ErrorCase error_cases[] = {
    {"bad_request", CannedResponse::json(400, google_error(400, "Invalid Value", "invalid")), SB_STATUS_INVALID_INPUT,
     "provider_rejected_request", "Google: Invalid Value (HTTP 400)"},
    {"unauthorized", CannedResponse::json(401, google_error(401, "Invalid Credentials", "authError")), SB_STATUS_AUTH,
     "unauthorized", "Invalid Credentials"},
    {"forbidden", CannedResponse::json(403, google_error(403, "The user does not have sufficient permissions", "insufficientFilePermissions")),
     SB_STATUS_AUTH, "forbidden", "sufficient permissions"},
    {"rate_limit_403", CannedResponse::json(403, google_error(403, "Rate limit exceeded", "userRateLimitExceeded")),
     SB_STATUS_RATE_LIMITED, "rate_limited", "Rate limit exceeded"},
    {"not_found", CannedResponse::json(404, google_error(404, "File not found: x.", "notFound")), SB_STATUS_NOT_FOUND,
     "not_found", "File not found"},
    {"conflict", CannedResponse::json(409, google_error(409, "Conflict")), SB_STATUS_INVALID_INPUT,
     "provider_rejected_request", "Conflict"},
    {"too_many", CannedResponse::json(429, google_error(429, "Too Many Requests")).with_header("Retry-After", "7"),
     SB_STATUS_RATE_LIMITED, "rate_limited", "Too Many Requests"},
    {"server_error", CannedResponse::json(500, google_error(500, "Internal Error")), SB_STATUS_UNAVAILABLE,
     "provider_unavailable", "Internal Error"},
    {"host_no_credentials", CannedResponse::host_failure(SB_STATUS_AUTH), SB_STATUS_AUTH, "credentials_unavailable", "reconnect"},
    {"host_network", CannedResponse::host_failure(SB_STATUS_UNAVAILABLE), SB_STATUS_UNAVAILABLE, "provider_unreachable", "reached"},
};

class DriveErrors : public DriveConnector, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(DriveErrors, DeleteFileMapsTheAnswer) {
    const ErrorCase& c = GetParam();
    host.expect("DELETE", "/drive/v3/files/x", c.response);
    const Invocation call = invoke("delete_file", {{"file_id", "x"}});
    EXPECT_EQ(call.status, c.status) << call.error;
    EXPECT_EQ(call.error_code(), c.code);
    EXPECT_THAT(call.error_message(), HasSubstr(c.message_part));
    if (std::string(c.name) == "too_many") {
        EXPECT_EQ(json::parse(call.error).at("details").at("retry_after_seconds"), 7);
    }
    EXPECT_THAT(plugin.problems(), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Statuses, DriveErrors, ::testing::ValuesIn(error_cases),
                         [](const auto& test) { return std::string(test.param.name); });

TEST(DriveDiscovery, TheCheckerRefusesRequestsDriveWouldNot) {
    const auto& d = drive_discovery();
    EXPECT_THAT(d.problems("drive.files.create", {"POST", "/drive/v3/files", {}, R"({"name":"a","parents":["p"]})"}), IsEmpty());
    EXPECT_THAT(d.problems("drive.files.create", {"POST", "/drive/v3/files", {}, R"({"name":1,"exportLinks":{},"parent":"p"})"}),
                ::testing::SizeIs(3)); // name not a string, exportLinks read-only, parent unknown
    EXPECT_THAT(d.problems("drive.files.create", {"POST", "/upload/drive/v3/files?uploadType=chunked", {}, ""}), ::testing::SizeIs(1));
    EXPECT_THAT(d.problems("drive.files.list", {"GET", "/drive/v3/files?pageSize=1001&spaces=drive", {}, ""}), ::testing::SizeIs(1));
    EXPECT_THAT(d.problems("drive.files.delete", {"DELETE", "/drive/v3/files/a/b", {}, ""}),
                ::testing::SizeIs(2)); // an unencoded slash: no such path, no fileId
}

TEST_F(DriveConnector, UnknownActionsAreUnsupported) {
    EXPECT_EQ(connector.invoke("share_file", "{}").error_code(), "unsupported_action");
}

} // namespace
