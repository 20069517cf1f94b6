#include "tests/provider_sim/validation/discovery_schema_converter.hpp"

#include <algorithm>

namespace switchboard::sim {
namespace {

using nlohmann::json;

const char* const kBase64Pattern = "^[A-Za-z0-9+/_-]*={0,2}$";
const char* const kInt64Pattern = "^-?[0-9]+$";
const char* const kUint64Pattern = "^[0-9]+$";
const char* const kDurationPattern = "^-?[0-9]+(\\.[0-9]{1,9})?s$";

// Discovery writes numeric bounds as strings ("maximum": "1").
json number_from(const json& value) {
    if (value.is_string()) {
        const std::string text = value.get<std::string>();
        if (text.find_first_of(".eE") != std::string::npos) {
            return std::stod(text);
        }
        return std::stoll(text);
    }
    return value;
}

json scalar_schema(const json& d) {
    const std::string type = d.value("type", "");
    const std::string format = d.value("format", "");
    json s = json::object();
    if (type == "string") {
        s["type"] = "string";
        if (format == "int64" || format == "uint64") {
            const char* pattern = format == "int64" ? kInt64Pattern : kUint64Pattern;
            s = json{{"anyOf", json::array({json{{"type", "string"}, {"pattern", pattern}},
                                             json{{"type", "integer"}}})}};
        } else if (format == "byte") {
            s["pattern"] = kBase64Pattern;
        } else if (format == "date-time" || format == "google-datetime") {
            s["format"] = "date-time";
        } else if (format == "date") {
            s["format"] = "date";
        } else if (format == "google-duration") {
            s["pattern"] = kDurationPattern;
        }
        if (d.contains("enum")) {
            s["enum"] = d.at("enum");
        }
        if (d.contains("pattern")) {
            s["pattern"] = d.at("pattern");
        }
    } else if (type == "integer") {
        s["type"] = "integer";
        if (format == "int32") {
            s["minimum"] = -2147483648LL;
            s["maximum"] = 2147483647LL;
        } else if (format == "uint32") {
            s["minimum"] = 0;
            s["maximum"] = 4294967295LL;
        }
    } else if (type == "number" || type == "boolean") {
        s["type"] = type;
    }
    if (d.contains("minimum")) {
        s["minimum"] = number_from(d.at("minimum"));
    }
    if (d.contains("maximum")) {
        s["maximum"] = number_from(d.at("maximum"));
    }
    return s;
}

class Converter {
public:
    explicit Converter(const ConversionOptions& options) : options_(options) {}

    json convert(const json& d, std::string_view schema_name) const {
        json s;
        if (d.contains("$ref")) {
            s = json{{"$ref", "#/definitions/" + d.at("$ref").get<std::string>()}};
        } else {
            const std::string type = d.value("type", "");
            if (type == "object") {
                s = object_schema(d, schema_name);
            } else if (type == "array") {
                s = json{{"type", "array"}};
                if (d.contains("items")) {
                    s["items"] = convert(d.at("items"), {});
                }
            } else if (type == "any" || type.empty()) {
                s = json::object();
            } else {
                s = scalar_schema(d);
            }
        }
        return s;
    }

private:
    json object_schema(const json& d, std::string_view schema_name) const {
        json s{{"type", "object"}};
        json required = json::array();
        if (d.contains("properties")) {
            json properties = json::object();
            for (const auto& [name, p] : d.at("properties").items()) {
                json converted = override_for(schema_name, name);
                if (converted.is_null()) {
                    converted = convert(p, {});
                }
                if (options_.allow_null) {
                    converted = json{{"anyOf", json::array({converted, json{{"type", "null"}}})}};
                }
                properties[name] = std::move(converted);
                if (p.contains("annotations") && p.at("annotations").contains("required")) {
                    const auto& methods = p.at("annotations").at("required");
                    if (std::find(methods.begin(), methods.end(), options_.method_id) !=
                        methods.end()) {
                        required.push_back(name);
                    }
                }
            }
            s["properties"] = std::move(properties);
            s["additionalProperties"] = false;
        }
        if (d.contains("additionalProperties")) {
            s["additionalProperties"] = convert(d.at("additionalProperties"), {});
        }
        if (!required.empty()) {
            s["required"] = std::move(required);
        }
        return s;
    }

    json override_for(std::string_view schema_name, const std::string& property) const {
        for (const auto& o : options_.overrides) {
            if (o.schema == schema_name && o.property == property) {
                return json::parse(o.replacement);
            }
        }
        return nullptr;
    }

    const ConversionOptions& options_;
};

} // namespace

json discovery_definitions(const json& schemas, const ConversionOptions& options) {
    const Converter converter(options);
    json definitions = json::object();
    for (const auto& [name, schema] : schemas.items()) {
        definitions[name] = converter.convert(schema, name);
    }
    return definitions;
}

json discovery_parameter_schema(const json& parameter) {
    json value = scalar_schema(parameter);
    if (parameter.value("repeated", false)) {
        return json{{"type", "array"}, {"items", value}};
    }
    return value;
}

} // namespace switchboard::sim
