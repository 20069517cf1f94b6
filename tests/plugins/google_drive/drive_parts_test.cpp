// The Google Drive plugin's pieces on their own: the list query, the File mapping, the
// multipart/related body, resumable-session paths and 308 Range headers.
#include "plugins/google_drive/drive_query.hpp"
#include "plugins/google_drive/file_mapping.hpp"
#include "plugins/google_drive/upload.hpp"

#include "tests/plugins/gmail/mime_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace switchboard::plugins::google_drive;
namespace t = switchboard::plugins::testing;
using nlohmann::json;
using namespace std::string_literals;

TEST(DriveQuery, QuotesAndEscapesEveryValue) {
    EXPECT_EQ(quote_query_value("plain"), "'plain'");
    EXPECT_EQ(quote_query_value("it's"), "'it\\'s'");
    EXPECT_EQ(quote_query_value("back\\slash"), "'back\\\\slash'");
    EXPECT_EQ(quote_query_value("' or trashed = true or name = '"), "'\\' or trashed = true or name = \\''");
}

TEST(DriveQuery, BuildsTheListQuery) {
    EXPECT_EQ(build_list_query({}), "'root' in parents and trashed = false");
    FileFilter f;
    f.folder_id = "1AbC";
    f.name_contains = "Q3 'final'";
    f.mime_type = "application/pdf";
    EXPECT_EQ(build_list_query(f),
              "'1AbC' in parents and trashed = false and name contains 'Q3 \\'final\\'' and mimeType = 'application/pdf'");
    f.include_trashed = true;
    f.name_contains.reset();
    f.mime_type.reset();
    EXPECT_EQ(build_list_query(f), "'1AbC' in parents");
}

TEST(FileMapping, MapsDriveFilesToTheContract) {
    const json drive = {{"id", "f1"},
                        {"name", "report.pdf"},
                        {"mimeType", "application/pdf"},
                        {"size", "12345"},
                        {"parents", {"p1"}},
                        {"createdTime", "2024-06-01T12:00:00.000Z"},
                        {"modifiedTime", "2024-06-02T08:30:00+02:00"},
                        {"webViewLink", "https://drive.google.com/file/d/f1/view"},
                        {"md5Checksum", "0123456789abcdef0123456789abcdef"},
                        {"description", "Q2"}};
    EXPECT_EQ(file_to_contract(drive), json({{"id", "f1"},
                                             {"name", "report.pdf"},
                                             {"mime_type", "application/pdf"},
                                             {"is_folder", false},
                                             {"size", 12345},
                                             {"parent_ids", {"p1"}},
                                             {"created_at", "2024-06-01T12:00:00.000Z"},
                                             {"modified_at", "2024-06-02T08:30:00+02:00"},
                                             {"web_link", "https://drive.google.com/file/d/f1/view"},
                                             {"md5", "0123456789abcdef0123456789abcdef"},
                                             {"description", "Q2"}}));
    const json folder = {{"id", "d1"}, {"name", "Docs"}, {"mimeType", "application/vnd.google-apps.folder"},
                         {"size", "-1"}, {"md5Checksum", "XYZ"}, {"createdTime", "yesterday"}};
    EXPECT_EQ(file_to_contract(folder),
              json({{"id", "d1"}, {"name", "Docs"}, {"mime_type", "application/vnd.google-apps.folder"}, {"is_folder", true}}));
    EXPECT_EQ(file_to_contract(json({{"name", "x"}, {"mimeType", "a/b"}})), std::nullopt);
    EXPECT_EQ(file_to_contract(json({{"id", "x"}, {"mimeType", "a/b"}})), std::nullopt);
    EXPECT_EQ(file_to_contract(json::array()), std::nullopt);
}

// What the contract bounds is kept within its bounds, whatever Drive answers: an id longer
// than the contract's Id makes the file unreadable; a date-time longer than 64 characters and
// a link longer than 8192 are left out, as a malformed one is.
TEST(FileMapping, KeepsTheContractsLengthLimits) {
    const json longest = {{"id", std::string(1024, 'f')}, {"name", "a"}, {"mimeType", "a/b"}};
    ASSERT_NE(file_to_contract(longest), std::nullopt);
    EXPECT_EQ(file_to_contract(longest)->at("id"), std::string(1024, 'f'));
    EXPECT_EQ(file_to_contract(json({{"id", std::string(1025, 'f')}, {"name", "a"}, {"mimeType", "a/b"}})),
              std::nullopt);

    const std::string long_time = "2024-06-01T12:00:00." + std::string(44, '1') + "Z"; // 65 characters
    const std::string long_link = "https://drive.google.com/" + std::string(8192 - 25 + 1, 'x');
    const json file = {{"id", "f1"},
                       {"name", "a"},
                       {"mimeType", "a/b"},
                       {"createdTime", long_time},
                       {"modifiedTime", long_time.substr(0, 19) + "Z"},
                       {"webViewLink", long_link}};
    EXPECT_EQ(file_to_contract(file), json({{"id", "f1"},
                                            {"name", "a"},
                                            {"mime_type", "a/b"},
                                            {"is_folder", false},
                                            {"modified_at", "2024-06-01T12:00:00Z"}}));
}

TEST(FileMapping, Rfc3339) {
    for (const char* good : {"2024-06-01T12:00:00Z", "2024-06-01T12:00:00.123456Z", "2024-06-01t12:00:00-05:30"}) {
        EXPECT_TRUE(is_rfc3339_date_time(good)) << good;
    }
    for (const char* bad : {"2024-06-01", "2024-13-01T12:00:00Z", "2024-06-01T24:00:00Z", "2024-06-01T12:00:00",
                            "2024-06-01T12:00:00.Z", "2024-06-01T12:00:00+0200", "2024-06-01 12:00:00Z"}) {
        EXPECT_FALSE(is_rfc3339_date_time(bad)) << bad;
    }
}

TEST(MultipartRelated, MetadataThenContentWithABoundaryInNeither) {
    std::string content = "binary\0\r\n--sb_a\r\nstill content"s;
    std::vector<std::string> tokens = {"a", "b"};
    std::size_t next = 0;
    const auto body = multipart_related_body(R"({"name":"x"})", "image/png", content, [&] { return tokens[next++]; });
    ASSERT_TRUE(body);
    EXPECT_EQ(next, 2u); // "sb_a" occurs in the content
    EXPECT_EQ(body->content_type, "multipart/related; boundary=sb_b");
    const auto parts = t::split_multipart(body->body, "sb_b");
    ASSERT_EQ(parts.size(), 2u);
    const auto metadata = t::parse_entity(parts[0]);
    EXPECT_EQ(metadata.header("Content-Type"), "application/json; charset=UTF-8");
    EXPECT_EQ(metadata.body, R"({"name":"x"})");
    const auto media = t::parse_entity(parts[1]);
    EXPECT_EQ(media.header("Content-Type"), "image/png");
    EXPECT_EQ(media.body, content);
    EXPECT_EQ(multipart_related_body("{}", "a/b", "--sb_x", [] { return std::string("x"); }), std::nullopt);
}

TEST(ResumableSession, PathFromLocation) {
    EXPECT_EQ(session_path("https://www.googleapis.com/upload/drive/v3/files?uploadType=resumable&upload_id=ABC-12_x"),
              "/upload/drive/v3/files?uploadType=resumable&upload_id=ABC-12_x");
    EXPECT_EQ(session_path("http://127.0.0.1:40123/www.googleapis.com/upload/drive/v3/files?upload_id=A%2FB"),
              "/upload/drive/v3/files?upload_id=A%2FB");
    EXPECT_EQ(session_path("/upload/drive/v3/files?upload_id=1"), "/upload/drive/v3/files?upload_id=1");
    EXPECT_EQ(session_path(" https://x.test/upload/drive/v3/files/abc?upload_id=1 "), "/upload/drive/v3/files/abc?upload_id=1");
    for (const char* bad : {"", "https://evil.test/other?upload_id=1", "https://www.googleapis.com",
                            "https://x.test/upload/drive/v3/filesX?a=1", "https://x.test/upload/drive/v3/files?id=a b",
                            "https://x.test/upload/drive/v3/files?id=\xC3\xA9", "upload/drive/v3/files"}) {
        EXPECT_EQ(session_path(bad), std::nullopt) << bad;
    }
}

switchboard::sdk::HttpResponse with_range(const char* range) {
    switchboard::sdk::HttpResponse r;
    r.status = 308;
    if (range != nullptr) r.headers.push_back({"range", range});
    return r;
}

TEST(ResumableSession, ReceivedBytesFromRange) {
    EXPECT_EQ(received_bytes(with_range(nullptr)), 0u);
    EXPECT_EQ(received_bytes(with_range("bytes=0-0")), 1u);
    EXPECT_EQ(received_bytes(with_range("bytes=0-262143")), 262144u);
    for (const char* bad : {"bytes=1-5", "bytes=0-", "0-5", "bytes=0-5x", "bytes=0-5,7-9", "bytes=5-0"}) {
        EXPECT_EQ(received_bytes(with_range(bad)), std::nullopt) << bad;
    }
}

} // namespace
