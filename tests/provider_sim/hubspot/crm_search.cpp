#include "tests/provider_sim/hubspot/crm_search.hpp"

#include "tests/provider_sim/common/rfc3339.hpp"
#include "tests/provider_sim/common/text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>
#include <vector>

namespace switchboard::sim {
namespace {

using nlohmann::json;

std::string text_of(const json& v) {
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (v.is_boolean()) {
        return v.get<bool>() ? "true" : "false";
    }
    return v.dump();
}

// A value as a number: a decimal, or a date as epoch milliseconds.
std::optional<double> number_of(std::string_view s) {
    double d = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc() && end == s.data() + s.size()) {
        return d;
    }
    if (const auto t = parse_rfc3339(s)) {
        return static_cast<double>(epoch_millis(*t));
    }
    if (const auto t = parse_date(s)) {
        return static_cast<double>(epoch_millis(*t));
    }
    return std::nullopt;
}

int compare(std::string_view actual, std::string_view expected) {
    const auto a = number_of(actual);
    const auto b = number_of(expected);
    if (a && b) {
        return *a < *b ? -1 : *a > *b ? 1 : 0;
    }
    const std::string la = lower(actual);
    const std::string lb = lower(expected);
    return la < lb ? -1 : la > lb ? 1 : 0;
}

bool glob(std::string_view pattern, std::string_view text) {
    if (pattern.empty()) {
        return text.empty();
    }
    if (pattern.front() == '*') {
        for (std::size_t i = 0; i <= text.size(); ++i) {
            if (glob(pattern.substr(1), text.substr(i))) {
                return true;
            }
        }
        return false;
    }
    return !text.empty() && pattern.front() == text.front() && glob(pattern.substr(1), text.substr(1));
}

bool contains_token(std::string_view value, std::string_view token) {
    const std::string v = lower(value);
    const std::string t = lower(token);
    if (glob(t, v)) {
        return true;
    }
    std::vector<std::string> words;
    std::string word;
    for (const char c : v) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            word.push_back(c);
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) {
        words.push_back(word);
    }
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return glob(t, w); });
}

bool filter_matches(const json& filter, const CrmValues& values) {
    const std::string name = filter.at("propertyName").get<std::string>();
    const std::string op = filter.at("operator").get<std::string>();
    const auto it = values.find(name);
    const bool present = it != values.end() && it->second && !it->second->empty();
    if (op == "HAS_PROPERTY") {
        return present;
    }
    if (op == "NOT_HAS_PROPERTY") {
        return !present;
    }
    const std::string actual = present ? *it->second : std::string{};
    if (op == "IN" || op == "NOT_IN") {
        const auto& list = filter.at("values");
        const bool found = present && std::any_of(list.begin(), list.end(),
                                                  [&](const json& v) { return compare(actual, text_of(v)) == 0; });
        return op == "IN" ? found : !found;
    }
    const std::string expected = text_of(filter.at("value"));
    if (op == "NEQ") {
        return !present || compare(actual, expected) != 0;
    }
    if (op == "NOT_CONTAINS_TOKEN") {
        return !present || !contains_token(actual, expected);
    }
    if (!present) {
        return false;
    }
    if (op == "EQ") return compare(actual, expected) == 0;
    if (op == "LT") return compare(actual, expected) < 0;
    if (op == "LTE") return compare(actual, expected) <= 0;
    if (op == "GT") return compare(actual, expected) > 0;
    if (op == "GTE") return compare(actual, expected) >= 0;
    if (op == "BETWEEN") {
        return compare(actual, expected) >= 0 && compare(actual, text_of(filter.at("highValue"))) <= 0;
    }
    if (op == "CONTAINS_TOKEN") return contains_token(actual, expected);
    return false;
}

bool query_matches(std::string_view query, std::string_view object, const CrmValues& values) {
    static const std::vector<std::string> kContactText = {"firstname", "lastname", "email", "phone", "company",
                                                          "website"};
    static const std::vector<std::string> kDealText = {"dealname", "description"};
    const auto& fields = object == "deals" ? kDealText : kContactText;
    std::istringstream words{std::string(query)};
    for (std::string word; words >> word;) {
        const std::string w = lower(word);
        const bool hit = std::any_of(fields.begin(), fields.end(), [&](const std::string& f) {
            const auto it = values.find(f);
            return it != values.end() && it->second && lower(*it->second).find(w) != std::string::npos;
        });
        if (!hit) {
            return false;
        }
    }
    return true;
}

} // namespace

bool crm_search_matches(const json& request, std::string_view object, const CrmValues& values) {
    if (request.contains("query") && !query_matches(request.at("query").get<std::string>(), object, values)) {
        return false;
    }
    const json groups = request.value("filterGroups", json::array());
    if (groups.empty()) {
        return true;
    }
    return std::any_of(groups.begin(), groups.end(), [&](const json& group) {
        const auto& filters = group.at("filters");
        return std::all_of(filters.begin(), filters.end(), [&](const json& f) { return filter_matches(f, values); });
    });
}

bool crm_search_has_sort(const json& request) {
    return request.contains("sorts") && !request.at("sorts").empty();
}

bool crm_search_before(const json& request, const CrmValues& a, const CrmValues& b) {
    if (!crm_search_has_sort(request)) {
        return false;
    }
    const json& sort = request.at("sorts").at(0);
    std::string name;
    bool descending = false;
    if (sort.is_string()) {
        name = sort.get<std::string>();
        if (!name.empty() && name.front() == '-') {
            descending = true;
            name.erase(0, 1);
        }
    } else {
        name = sort.at("propertyName").get<std::string>();
        descending = sort.value("direction", "ASCENDING") == "DESCENDING";
    }
    const auto value = [&](const CrmValues& v) {
        const auto it = v.find(name);
        return it != v.end() && it->second ? *it->second : std::string{};
    };
    const int c = compare(value(a), value(b));
    return descending ? c > 0 : c < 0;
}

} // namespace switchboard::sim
