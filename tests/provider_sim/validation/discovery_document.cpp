#include "tests/provider_sim/validation/discovery_document.hpp"

#include <fstream>

namespace switchboard::sim {
namespace {

using nlohmann::json;

// "https://www.googleapis.com/" -> "www.googleapis.com"
std::string host_of(const std::string& root_url) {
    std::string_view rest = root_url;
    const auto scheme = rest.find("://");
    if (scheme != std::string_view::npos) {
        rest.remove_prefix(scheme + 3);
    }
    return std::string(rest.substr(0, rest.find('/')));
}

std::vector<DiscoveryParameter> read_parameters(const json& parameters) {
    std::vector<DiscoveryParameter> out;
    for (const auto& [name, p] : parameters.items()) {
        DiscoveryParameter param;
        param.name = name;
        param.location = p.value("location", "query");
        param.type = p.value("type", "string");
        param.required = p.value("required", false);
        param.repeated = p.value("repeated", false);
        param.description = p;
        out.push_back(std::move(param));
    }
    return out;
}

void collect_methods(const json& resource, const std::string& host, const std::string& service_path,
                     const std::vector<DiscoveryParameter>& globals, const std::string& document,
                     std::vector<DiscoveryMethod>& out) {
    if (resource.contains("methods")) {
        for (const auto& [name, m] : resource.at("methods").items()) {
            DiscoveryMethod method;
            method.id = m.at("id").get<std::string>();
            method.http_method = m.at("httpMethod").get<std::string>();
            method.document = document;
            method.path = PathTemplate("/" + host + "/" + service_path + m.at("path").get<std::string>());
            method.parameters = read_parameters(m.value("parameters", json::object()));
            method.parameters.insert(method.parameters.end(), globals.begin(), globals.end());
            if (m.contains("request")) {
                method.request_schema = m.at("request").at("$ref").get<std::string>();
            }
            if (m.contains("response")) {
                method.response_schema = m.at("response").at("$ref").get<std::string>();
            }
            method.scopes = m.value("scopes", std::vector<std::string>{});
            method.supports_media_download = m.value("supportsMediaDownload", false);
            if (m.contains("mediaUpload")) {
                const json& upload = m.at("mediaUpload");
                DiscoveryMediaUpload media;
                media.accept = upload.value("accept", std::vector<std::string>{});
                media.max_size = std::stoull(upload.value("maxSize", std::string("0")));
                const json& protocols = upload.at("protocols");
                if (protocols.contains("simple")) {
                    media.simple = PathTemplate("/" + host + protocols.at("simple").at("path").get<std::string>());
                }
                if (protocols.contains("resumable")) {
                    media.resumable =
                        PathTemplate("/" + host + protocols.at("resumable").at("path").get<std::string>());
                }
                method.media_upload = std::move(media);
            }
            out.push_back(std::move(method));
        }
    }
    if (resource.contains("resources")) {
        for (const auto& [name, sub] : resource.at("resources").items()) {
            collect_methods(sub, host, service_path, globals, document, out);
        }
    }
}

} // namespace

const DiscoveryParameter* DiscoveryMethod::parameter(std::string_view name) const {
    for (const auto& p : parameters) {
        if (p.name == name) {
            return &p;
        }
    }
    return nullptr;
}

Result<DiscoveryDocument> DiscoveryDocument::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) {
        return Error(ErrorKind::not_found, "spec_missing",
                     "cannot read the discovery document " + file.string());
    }
    DiscoveryDocument doc;
    try {
        doc.document_ = json::parse(in);
        if (doc.document_.value("kind", "") != "discovery#restDescription") {
            return Error(ErrorKind::invalid_input, "spec_invalid",
                         file.string() + " is not a discovery#restDescription");
        }
        doc.name_ = file.filename().string();
        doc.host_ = host_of(doc.document_.at("rootUrl").get<std::string>());
        const auto globals = read_parameters(doc.document_.value("parameters", json::object()));
        collect_methods(doc.document_, doc.host_, doc.document_.value("servicePath", ""), globals,
                        doc.name_, doc.methods_);
        for (const auto& [scope, _] : doc.document_.at("auth").at("oauth2").at("scopes").items()) {
            doc.scopes_.push_back(scope);
        }
    } catch (const std::exception& e) {
        return Error(ErrorKind::invalid_input, "spec_invalid",
                     "cannot read the discovery document " + file.string() + ": " + e.what());
    }
    return doc;
}

} // namespace switchboard::sim
