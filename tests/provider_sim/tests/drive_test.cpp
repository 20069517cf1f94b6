// Google Drive v3: folders by mimeType, uploads (multipart and resumable), alt=media,
// files.list with q and paging, delete; the drive.file scope's narrower view.
#include "tests/provider_sim/tests/sim_fixture.hpp"

namespace switchboard::sim::testing {
namespace {

using nlohmann::json;

constexpr const char* kFiles = "/www.googleapis.com/drive/v3/files";
constexpr const char* kUpload = "/www.googleapis.com/upload/drive/v3/files";
constexpr const char* kFolderType = "application/vnd.google-apps.folder";

class DriveTest : public SimTest {
protected:
    std::string token = google_token({kDriveFile});

    std::string folder(const std::string& name) {
        const auto r = client().post_json(kFiles, {{"name", name}, {"mimeType", kFolderType}}, token);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json().at("id");
    }

    HttpResult upload(const json& metadata, const std::string& content, const std::string& type = "text/plain",
                      const std::string& bearer = {}) {
        const std::string body = "--BOUNDARY\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n" + metadata.dump() +
                                 "\r\n--BOUNDARY\r\nContent-Type: " + type + "\r\n\r\n" + content + "\r\n--BOUNDARY--\r\n";
        return client().request("POST", std::string(kUpload) + "?uploadType=multipart",
                                {{"Authorization", "Bearer " + (bearer.empty() ? token : bearer)},
                                 {"Content-Type", "multipart/related; boundary=BOUNDARY"}},
                                body);
    }
};

TEST_F(DriveTest, MultipartUploadThenDownload) {
    const std::string parent = folder("Reports");
    const auto r = upload({{"name", "q1.txt"}, {"parents", json::array({parent})}}, "line 1\nline 2\n");
    ASSERT_EQ(r.status, 200) << r.body;
    const json file = r.json();
    EXPECT_EQ(file, (json{{"kind", "drive#file"}, {"id", file.at("id")}, {"name", "q1.txt"}, {"mimeType", "text/plain"}}));
    const std::string path = std::string(kFiles) + "/" + file.at("id").get<std::string>();
    const auto media = client().get(path + "?alt=media", token);
    ASSERT_EQ(media.status, 200);
    EXPECT_EQ(media.body, "line 1\nline 2\n");
    EXPECT_EQ(media.header("Content-Type"), "text/plain");
    const auto meta = client().get(path + "?fields=id,name,parents,size,md5Checksum", token).json();
    EXPECT_EQ(meta.at("parents"), json::array({parent}));
    EXPECT_EQ(meta.at("size"), "14");
    EXPECT_EQ(meta.at("md5Checksum").get<std::string>().size(), 32u);
    EXPECT_EQ(meta.size(), 5u);
    expect_conforms("drive.files.get", client().get(path + "?fields=*", token).json());
    expect_conforms("drive.files.list", client().get(std::string(kFiles) + "?fields=*", token).json());
}

TEST_F(DriveTest, ResumableUploadInChunks) {
    const auto start = client().request("POST", std::string(kUpload) + "?uploadType=resumable",
                                        {{"Authorization", "Bearer " + token},
                                         {"Content-Type", "application/json; charset=UTF-8"},
                                         {"X-Upload-Content-Type", "application/pdf"},
                                         {"X-Upload-Content-Length", "10"}},
                                        json{{"name", "doc.pdf"}}.dump());
    ASSERT_EQ(start.status, 200) << start.body;
    const std::string location = start.header("Location");
    ASSERT_FALSE(location.empty());
    const std::string session = location.substr(location.find("/www.googleapis.com/"));
    const auto part = client().request("PUT", session, {{"Content-Range", "bytes 0-5/10"}}, "%PDF-1");
    EXPECT_EQ(part.status, 308);
    EXPECT_EQ(part.header("Range"), "bytes=0-5");
    const auto done = client().request("PUT", session, {{"Content-Range", "bytes 6-9/10"}}, ".7\n%");
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(done.json().at("mimeType"), "application/pdf");
    const auto media = client().get(std::string(kFiles) + "/" + done.json().at("id").get<std::string>() + "?alt=media", token);
    EXPECT_EQ(media.body, "%PDF-1.7\n%");
    EXPECT_EQ(client().request("PUT", session, {}, "more").status, 404); // the session is over
}

TEST_F(DriveTest, ListWithQueryAndPaging) {
    const std::string parent = folder("Inbox");
    for (int i = 0; i < 3; ++i) {
        upload({{"name", "note" + std::to_string(i) + ".txt"}, {"parents", json::array({parent})}}, "x");
    }
    upload({{"name", "elsewhere.txt"}}, "y");
    const std::string q = "?q=%27" + parent + "%27%20in%20parents%20and%20trashed%20%3D%20false&pageSize=2";
    const auto page1 = client().get(std::string(kFiles) + q, token);
    ASSERT_EQ(page1.status, 200) << page1.body;
    ASSERT_EQ(page1.json().at("files").size(), 2u);
    EXPECT_EQ(page1.json().at("files").at(0).at("name"), "note0.txt");
    const auto page2 = client().get(std::string(kFiles) + q + "&pageToken=" + page1.json().at("nextPageToken").get<std::string>(), token);
    ASSERT_EQ(page2.json().at("files").size(), 1u);
    const auto folders = client().get(std::string(kFiles) + "?q=mimeType%20%3D%20%27" + std::string("application%2Fvnd.google-apps.folder") + "%27",
                                      token);
    ASSERT_EQ(folders.json().at("files").size(), 1u);
    EXPECT_EQ(folders.json().at("files").at(0).at("name"), "Inbox");
    const auto named = client().get(std::string(kFiles) + "?q=name%20contains%20%27where%27%20or%20name%20%3D%20%27note1.txt%27&orderBy=name",
                                    token);
    ASSERT_EQ(named.json().at("files").size(), 2u);
    EXPECT_EQ(named.json().at("files").at(0).at("name"), "elsewhere.txt");
    const auto bad = client().get(std::string(kFiles) + "?q=colour%20%3D%20%27red%27", token);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.json().at("error").at("errors").at(0).at("location"), "q");
}

TEST_F(DriveTest, DriveFileSeesOnlyItsOwnFiles) {
    upload({{"name", "mine.txt"}}, "m");
    const std::string id = client().get(kFiles, token).json().at("files").at(0).at("id");
    const std::string other_app =
        sim().issue_tokens(Provider::google, kUser, {kDriveFile}, false, "another-app-client-id").access_token;
    EXPECT_EQ(client().get(kFiles, other_app).json().at("files").size(), 0u);
    EXPECT_EQ(client().get(std::string(kFiles) + "/" + id, other_app).status, 404);
    const std::string reader = google_token({kDriveRead});
    EXPECT_EQ(client().get(kFiles, reader).json().at("files").size(), 1u);
    // A metadata scope sees the file but cannot download it.
    const std::string metadata_only = google_token({"https://www.googleapis.com/auth/drive.metadata.readonly"});
    EXPECT_EQ(client().get(std::string(kFiles) + "/" + id + "?alt=media", metadata_only).status, 403);
    EXPECT_EQ(client().get(std::string(kFiles) + "/" + id, metadata_only).status, 200);
}

TEST_F(DriveTest, DeleteRemovesAFolderWithItsContents) {
    const std::string parent = folder("Old");
    const std::string child = upload({{"name", "a.txt"}, {"parents", json::array({parent})}}, "a").json().at("id");
    EXPECT_EQ(client().del(std::string(kFiles) + "/" + parent, token).status, 204);
    const auto gone = client().get(std::string(kFiles) + "/" + child, token);
    EXPECT_EQ(gone.status, 404);
    EXPECT_EQ(gone.json().at("error").at("errors").at(0).at("reason"), "notFound");
    EXPECT_EQ(client().del(std::string(kFiles) + "/" + parent, token).status, 404);
}

TEST_F(DriveTest, UploadErrors) {
    EXPECT_EQ(upload({{"name", "x"}, {"parents", json::array({"nosuchfolder"})}}, "x").status, 404);
    EXPECT_EQ(upload({{"name", 42}}, "x").status, 400); // name is a string in File
    const auto folder_content = client().get(std::string(kFiles) + "/" + folder("F") + "?alt=media", token);
    EXPECT_EQ(folder_content.status, 403);
    EXPECT_EQ(folder_content.json().at("error").at("errors").at(0).at("reason"), "fileNotDownloadable");
    const auto not_multipart = client().request("POST", std::string(kUpload) + "?uploadType=multipart",
                                                {{"Authorization", "Bearer " + token}, {"Content-Type", "text/plain"}}, "x");
    EXPECT_EQ(not_multipart.status, 400);
    EXPECT_EQ(client().post_json(kFiles, {{"name", "x"}}, google_token({kDriveRead})).status, 403);
    EXPECT_EQ(sim().validation_failures().size(), 2u); // name 42, and the text/plain "multipart"
}

} // namespace
} // namespace switchboard::sim::testing
