#include "plugins/hubspot/property_map.hpp"

#include "plugins/hubspot/date_time.hpp"
#include "plugins/hubspot/property_names.hpp"

#include <charconv>
#include <cmath>
#include <system_error>
#include <utility>

namespace switchboard::plugins::hubspot {

using nlohmann::json;

namespace {

// A params field the plugin cannot use, found past the reader's own checks.
sdk::Outcome refuse(sdk::Params& params, std::string_view field, std::string message) {
    params.fail(field, std::move(message));
    return params.error();
}

const MappedProperty* find_by_property(std::span<const MappedProperty> table,
                                       std::string_view property) {
    for (const auto& m : table) {
        if (m.property == property) return &m;
    }
    return nullptr;
}

// Adds params.properties to `out`, which already holds the mapped fields. Every name must be
// one HubSpot's property maps accept and every value a string; a name that the contract maps
// may repeat its field's value but not contradict it.
std::optional<sdk::Outcome> merge_passthrough(sdk::Params& params,
                                              std::span<const MappedProperty> table, json& out) {
    const json* extra = params.object("properties");
    if (!params.ok()) return params.error();
    if (extra == nullptr) return std::nullopt;
    for (const auto& [name, value] : extra->items()) {
        const std::string pointer = sdk::Params::child("/properties", name);
        if (!is_property_name(name)) {
            return refuse(params, pointer, "HubSpot property names contain only letters, digits "
                                          "and underscores: '" + name.substr(0, 100) + "' does not");
        }
        if (!value.is_string()) {
            return refuse(params, pointer, "property '" + name + "' must be a string");
        }
        if (const auto it = out.find(name); it != out.end() && *it != value) {
            const MappedProperty* mapped = find_by_property(table, name);
            return refuse(params, pointer, "property '" + name + "' contradicts the field '" +
                                              std::string(mapped ? mapped->field : name) +
                                              "' given with it");
        }
        out[name] = value;
    }
    return std::nullopt;
}

// Copies the string property `property` of `properties` to contract field `field`.
void copy_string(const json& properties, std::string_view property, json& out,
                 std::string_view field) {
    const auto it = properties.find(property);
    if (it != properties.end() && it->is_string()) out[std::string(field)] = *it;
}

// Every property of the record that the table does not map, as `properties` (string|null).
json passthrough_properties(const json& properties, std::span<const MappedProperty> table) {
    json out = json::object();
    for (const auto& [name, value] : properties.items()) {
        if (find_by_property(table, name) != nullptr) continue;
        if (value.is_string() || value.is_null()) out[name] = value;
        else out[name] = value.dump(); // HubSpot sends strings; keep anything else readable
    }
    return out;
}

// The record's id as a string (HubSpot sends a digit string), or "" when it has none.
std::string record_id(const json& record) {
    const auto it = record.find("id");
    if (it == record.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
    if (it->is_number_integer() && it->get<std::int64_t>() >= 0) {
        return std::to_string(it->get<std::int64_t>());
    }
    return {};
}

// createdAt/updatedAt/... of a record as a contract date-time.
void copy_datetime(const json& record, std::string_view key, json& out, std::string_view field) {
    const auto it = record.find(key);
    if (it == record.end() || !it->is_string()) return;
    if (auto value = to_contract_datetime(it->get_ref<const std::string&>())) {
        out[std::string(field)] = std::move(*value);
    }
}

const json& record_properties(const json& record) {
    static const json empty = json::object();
    const auto it = record.find("properties");
    return it != record.end() && it->is_object() ? *it : empty;
}

constexpr std::size_t max_id_length = 256; // the contract's Id

} // namespace

std::vector<std::string> contact_property_names() {
    std::vector<std::string> names;
    for (const auto& m : contact_properties) names.emplace_back(m.property);
    return names;
}

sdk::Checked<json> contact_properties_from_params(sdk::Params& params) {
    json out = json::object();
    for (const auto& m : contact_properties) {
        auto value = params.string(m.field);
        if (!params.ok()) return params.error();
        if (value) out[std::string(m.property)] = std::move(*value);
    }
    if (auto error = merge_passthrough(params, contact_properties, out)) return std::move(*error);
    return out;
}

std::optional<std::string> decimal_string(const json& number) {
    if (number.is_number_unsigned()) return std::to_string(number.get<std::uint64_t>());
    if (number.is_number_integer()) return std::to_string(number.get<std::int64_t>());
    if (!number.is_number_float()) return std::nullopt;
    const double value = number.get<double>();
    if (!std::isfinite(value)) return std::nullopt;
    // The shortest fixed-point text that reads back as the same double: 19.99 -> "19.99",
    // 1e21 -> "1000000000000000000000" (HubSpot's amount takes no exponent).
    char buffer[400];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value,
                                         std::chars_format::fixed);
    if (ec != std::errc()) return std::nullopt;
    return std::string(buffer, end);
}

sdk::Checked<json> deal_properties_from_params(sdk::Params& params) {
    json out = json::object();
    auto name = params.string("name", {.required = true, .min_length = 1});
    if (!params.ok()) return params.error();
    out["dealname"] = std::move(*name);

    params.number("amount", {.min = 0.0});
    if (!params.ok()) return params.error();
    // The number as given (not as a double): an integer amount keeps all its digits.
    if (const json* amount = params.value("amount")) {
        auto text = decimal_string(*amount);
        if (!text) return refuse(params, "/amount", "amount must be a finite number");
        out["amount"] = std::move(*text);
    }
    for (const auto& [field, property] : {std::pair{"currency", "deal_currency_code"},
                                          std::pair{"stage", "dealstage"},
                                          std::pair{"pipeline", "pipeline"}}) {
        auto value = params.string(field, {.min_length = 1});
        if (!params.ok()) return params.error();
        if (value) out[property] = std::move(*value);
    }
    auto close_date = params.string("close_date");
    if (!params.ok()) return params.error();
    if (close_date) {
        auto utc = to_hubspot_datetime(*close_date);
        if (!utc) {
            return refuse(params, "/close_date",
                                 "close_date must be an RFC 3339 date-time with an offset");
        }
        out["closedate"] = std::move(*utc);
    }
    if (auto error = merge_passthrough(params, deal_properties, out)) return std::move(*error);

    return out;
}

std::optional<json> contact_from_record(const json& record) {
    if (!record.is_object()) return std::nullopt;
    std::string id = record_id(record);
    if (id.empty() || id.size() > max_id_length) return std::nullopt;
    json contact = {{"id", std::move(id)}};
    const json& properties = record_properties(record);
    for (const auto& m : contact_properties) copy_string(properties, m.property, contact, m.field);
    json extra = passthrough_properties(properties, contact_properties);
    if (!extra.empty()) contact["properties"] = std::move(extra);
    copy_datetime(record, "createdAt", contact, "created_at");
    copy_datetime(record, "updatedAt", contact, "updated_at");
    // No "url": a record's address in HubSpot's app needs the portal (hub) id, which the
    // plugin is not told.
    return contact;
}

std::optional<json> deal_from_record(const json& record, std::string_view sent_name,
                                     const std::vector<std::string>& contact_ids) {
    if (!record.is_object()) return std::nullopt;
    std::string id = record_id(record);
    if (id.empty() || id.size() > max_id_length) return std::nullopt;
    json deal = {{"id", std::move(id)}};
    const json& properties = record_properties(record);
    json extra = passthrough_properties(properties, deal_properties);

    copy_string(properties, "dealname", deal, "name");
    if (!deal.contains("name")) deal["name"] = sent_name;
    copy_string(properties, "deal_currency_code", deal, "currency");
    copy_string(properties, "dealstage", deal, "stage");
    copy_string(properties, "pipeline", deal, "pipeline");
    // amount and closedate: converted when they read as a number and a date-time; a value
    // that does not stays visible, verbatim, under `properties`.
    if (const auto it = properties.find("amount"); it != properties.end() && it->is_string()) {
        const std::string& text = it->get_ref<const std::string&>();
        double value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (!text.empty() && ec == std::errc() && end == text.data() + text.size() &&
            std::isfinite(value)) {
            deal["amount"] = value;
        } else {
            extra["amount"] = text;
        }
    }
    if (const auto it = properties.find("closedate"); it != properties.end() && it->is_string()) {
        if (auto value = to_contract_datetime(it->get_ref<const std::string&>())) {
            deal["close_date"] = std::move(*value);
        } else {
            extra["closedate"] = *it;
        }
    }
    if (!contact_ids.empty()) deal["contact_ids"] = contact_ids;
    if (!extra.empty()) deal["properties"] = std::move(extra);
    copy_datetime(record, "createdAt", deal, "created_at");
    return deal;
}

} // namespace switchboard::plugins::hubspot
