// Google Drive v3: files.create (metadata only, e.g. folders; or uploads: media, multipart,
// resumable), files.get (metadata with Drive's default fields, or alt=media content),
// files.list (q, orderBy, paging), files.delete, files.export (a Workspace file in one of
// Google's export formats: the text ones rendered from the imported text, 501 for the others)
// and about.get (exportFormats). One "My Drive" per account. With only
// the drive.file scope a client sees just the files it created, as Google documents.
#pragma once

#include "tests/provider_sim/google/google_api.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <string>

namespace switchboard::sim {

class DriveService {
public:
    explicit DriveService(SimState& state) : state_(state) {}
    void register_with(GoogleApi& api);
    void clear();

private:
    struct File {
        nlohmann::json resource; // the full File resource
        std::string content;
        std::string app;          // the client that created it
        std::uint64_t sequence = 0;
    };
    struct Drive {
        std::string root_id;
        std::map<std::string, File> files; // the root folder included
        std::uint64_t next_sequence = 1;
    };

    Drive& drive_of(const Grant& caller);
    // Whether the caller's scopes let it see `file` (drive.file: only its own files).
    static bool visible(const Drive& drive, const File& file, const Grant& caller);
    // The file `id` names ("root" too) if the caller may see it.
    File* find(Drive& drive, const std::string& id, const Grant& caller);

    Response create(const GoogleCall& call);
    Response get(const GoogleCall& call);
    Response list(const GoogleCall& call);
    Response remove(const GoogleCall& call);
    Response exported(const GoogleCall& call);
    Response about(const GoogleCall& call);

    SimState& state_;
    std::mutex mutex_;
    std::map<std::string, Drive> drives_; // by account e-mail
};

} // namespace switchboard::sim
