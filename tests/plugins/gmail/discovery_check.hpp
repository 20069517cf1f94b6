// Checking a request a plugin sent against Google's discovery document of the API (tests/
// specs/google/*.json, read in place): the method's HTTP verb and path template (or its media
// upload path), every query parameter known to the method or the API (type, enum, range,
// repetition), required parameters present, and a JSON body (or the metadata part of a
// multipart upload) made only of the request schema's fields with the right JSON types and
// without read-only fields. The provider simulator checks the same in the sim tests; this
// lets the unit tests fail first. Shared by the Gmail and Google Drive tests.
#pragma once

#include "switchboard/testing/fake_host.hpp"
#include "tests/plugins/gmail/mime_reader.hpp"
#include "tests/support/specs.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::testing {

class DiscoveryDocument {
public:
    // `file` under tests/specs/google/, e.g. "gmail_v1.json"; a missing file throws, naming its path.
    explicit DiscoveryDocument(const std::string& file)
        : doc_(nlohmann::json::parse(switchboard::testing::read_spec("google/" + file))) {}

    // Every way `request` is not a call of method `method_id` ("gmail.users.messages.send").
    std::vector<std::string> problems(std::string_view method_id,
                                      const switchboard::sdk::testing::RecordedRequest& request) const {
        std::vector<std::string> out;
        const nlohmann::json* method = find_method(doc_.at("resources"), method_id);
        if (method == nullptr) return {"no method " + std::string(method_id) + " in the discovery document"};
        if (method->at("httpMethod") != request.method) {
            out.push_back("HTTP method " + request.method + ", the method wants " + method->at("httpMethod").get<std::string>());
        }
        const std::size_t q = request.path.find('?');
        const std::string path = request.path.substr(0, q);
        const auto query = parse_query(q == std::string::npos ? "" : request.path.substr(q + 1));

        // The path: the method's own, or one of its media upload paths.
        std::vector<std::string> templates = {"/" + doc_.value("servicePath", "") + method->at("path").get<std::string>()};
        const bool upload = path.starts_with("/upload/") || path.starts_with("/resumable/upload/");
        if (upload) {
            templates.clear();
            if (!method->value("supportsMediaUpload", false)) out.push_back("the method takes no media upload");
            else {
                for (const auto& [name, protocol] : method->at("mediaUpload").at("protocols").items()) {
                    templates.push_back(protocol.at("path").get<std::string>());
                }
            }
            const auto type = query.find("uploadType");
            if (type == query.end() || (type->second[0] != "media" && type->second[0] != "multipart" &&
                                        type->second[0] != "resumable")) {
                out.push_back("an upload without uploadType=media|multipart|resumable");
            }
        }
        std::map<std::string, std::string> path_params;
        bool matched = false;
        for (const auto& t : templates) matched = matched || match_template(t, path, path_params);
        if (!matched) out.push_back("path " + path + " matches no path of the method");

        const nlohmann::json& params = method->value("parameters", nlohmann::json::object());
        for (const auto& [name, values] : query) {
            const nlohmann::json* p = params.contains(name) ? &params.at(name)
                                      : doc_.at("parameters").contains(name) ? &doc_.at("parameters").at(name)
                                                                             : nullptr;
            if (p == nullptr) {
                out.push_back("unknown query parameter " + name);
                continue;
            }
            if (p->value("location", "") != "query") out.push_back(name + " is not a query parameter");
            if (values.size() > 1 && !p->value("repeated", false)) out.push_back(name + " is repeated");
            for (const auto& v : values) {
                for (auto& problem : value_problems(name, *p, v)) out.push_back(std::move(problem));
            }
        }
        for (const auto& [name, p] : params.items()) {
            if (!p.value("required", false)) continue;
            const bool present = p.value("location", "") == "path" ? path_params.contains(name) : query.contains(name);
            if (!present) out.push_back("required parameter " + name + " is missing");
        }
        for (const auto& [name, value] : path_params) {
            if (params.contains(name)) {
                for (auto& problem : value_problems(name, params.at(name), value)) out.push_back(std::move(problem));
            }
        }

        // The body.
        if (method->contains("request")) {
            const std::string ref = method->at("request").at("$ref");
            const std::string* type = request.header("Content-Type");
            std::string json_text;
            if (type != nullptr && type->starts_with("multipart/related")) {
                const auto parts = split_multipart(request.body, boundary_of(*type));
                if (parts.empty()) out.push_back("a multipart upload without parts");
                else json_text = parse_entity(parts[0]).body;
            } else if (!request.body.empty()) {
                json_text = request.body;
            }
            if (!json_text.empty()) {
                const auto body = nlohmann::json::parse(json_text, nullptr, false);
                if (body.is_discarded()) out.push_back("the body is not JSON");
                else check_object(body, ref, std::string(method_id), "body", out);
            } else if (!upload) {
                out.push_back("the method wants a " + ref + " body");
            }
        } else if (!request.body.empty()) {
            out.push_back("the method takes no body");
        }
        return out;
    }

private:
    static const nlohmann::json* find_method(const nlohmann::json& resources, std::string_view id) {
        for (const auto& [name, resource] : resources.items()) {
            if (resource.contains("methods")) {
                for (const auto& [m, method] : resource.at("methods").items()) {
                    if (method.value("id", "") == id) return &method;
                }
            }
            if (resource.contains("resources")) {
                if (const auto* found = find_method(resource.at("resources"), id)) return found;
            }
        }
        return nullptr;
    }

    static std::string percent_decode(std::string_view text) {
        std::string out;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '%' && i + 2 < text.size()) {
                out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
                i += 2;
            } else {
                out.push_back(text[i]);
            }
        }
        return out;
    }

    static std::map<std::string, std::vector<std::string>> parse_query(std::string_view query) {
        std::map<std::string, std::vector<std::string>> out;
        while (!query.empty()) {
            const std::size_t amp = query.find('&');
            const std::string_view pair = query.substr(0, amp);
            const std::size_t eq = pair.find('=');
            out[percent_decode(pair.substr(0, eq))].push_back(
                eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1)));
            query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
        }
        return out;
    }

    // RFC 6570 simple ({var}) and reserved ({+var}) expansion, matched back.
    static bool match_template(const std::string& t, const std::string& path,
                               std::map<std::string, std::string>& params) {
        std::string pattern;
        std::vector<std::string> names;
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (t[i] == '{') {
                const std::size_t close = t.find('}', i);
                std::string name = t.substr(i + 1, close - i - 1);
                const bool reserved = name.starts_with('+');
                names.push_back(reserved ? name.substr(1) : name);
                pattern += reserved ? "(.+)" : "([^/]+)";
                i = close;
            } else {
                if (std::string_view(".^$|()[]*+?\\").find(t[i]) != std::string_view::npos) pattern.push_back('\\');
                pattern.push_back(t[i]);
            }
        }
        std::smatch m;
        if (!std::regex_match(path, m, std::regex(pattern))) return false;
        for (std::size_t k = 0; k < names.size(); ++k) params[names[k]] = percent_decode(m[k + 1].str());
        return true;
    }

    static std::vector<std::string> value_problems(const std::string& name, const nlohmann::json& p, const std::string& v) {
        std::vector<std::string> out;
        const std::string type = p.value("type", "string");
        if (type == "integer") {
            if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) {
                out.push_back(name + "=" + v + " is not an integer");
            } else {
                const long long n = std::stoll(v);
                if (p.contains("minimum") && n < std::stoll(p.at("minimum").get<std::string>())) out.push_back(name + " below its minimum");
                if (p.contains("maximum") && n > std::stoll(p.at("maximum").get<std::string>())) out.push_back(name + " above its maximum");
            }
        } else if (type == "boolean" && v != "true" && v != "false") {
            out.push_back(name + "=" + v + " is not a boolean");
        }
        if (p.contains("enum")) {
            bool known = false;
            for (const auto& e : p.at("enum")) known = known || e == v;
            if (!known) out.push_back(name + "=" + v + " is not one of its enum values");
        }
        if (p.value("location", "") == "path" && v.empty()) out.push_back("path parameter " + name + " is empty");
        return out;
    }

    void check_value(const nlohmann::json& value, const nlohmann::json& schema, const std::string& method_id,
                     const std::string& where, std::vector<std::string>& out) const {
        if (schema.contains("$ref")) {
            check_object(value, schema.at("$ref"), method_id, where, out);
            return;
        }
        const std::string type = schema.value("type", "any");
        const bool ok = type == "any" || (type == "string" && value.is_string()) ||
                        (type == "boolean" && value.is_boolean()) ||
                        (type == "integer" && value.is_number_integer()) ||
                        (type == "number" && value.is_number()) || (type == "array" && value.is_array()) ||
                        (type == "object" && value.is_object());
        if (!ok) {
            out.push_back(where + " should be " + type);
            return;
        }
        if (type == "string" && schema.value("format", "") == "byte") {
            static const std::regex base64("^[A-Za-z0-9+/_-]*={0,2}$");
            if (!std::regex_match(value.get<std::string>(), base64)) out.push_back(where + " is not base64");
        }
        if (type == "array" && schema.contains("items")) {
            for (std::size_t i = 0; i < value.size(); ++i) {
                check_value(value[i], schema.at("items"), method_id, where + "[" + std::to_string(i) + "]", out);
            }
        }
    }

    void check_object(const nlohmann::json& value, const std::string& ref, const std::string& method_id,
                      const std::string& where, std::vector<std::string>& out) const {
        const nlohmann::json& schema = doc_.at("schemas").at(ref);
        if (!value.is_object()) {
            out.push_back(where + " should be a " + ref + " object");
            return;
        }
        const nlohmann::json& properties = schema.value("properties", nlohmann::json::object());
        for (const auto& [key, v] : value.items()) {
            if (!properties.contains(key)) {
                out.push_back(where + "." + key + " is not a field of " + ref);
                continue;
            }
            if (properties.at(key).value("readOnly", false)) out.push_back(where + "." + key + " is read-only");
            check_value(v, properties.at(key), method_id, where + "." + key, out);
        }
        for (const auto& [key, p] : properties.items()) {
            if (!p.contains("annotations") || value.contains(key)) continue;
            for (const auto& id : p.at("annotations").value("required", nlohmann::json::array())) {
                if (id == method_id) out.push_back(where + "." + key + " is required by " + method_id);
            }
        }
    }

    nlohmann::json doc_;
};

} // namespace switchboard::plugins::testing
