#include "host/server/router.hpp"

#include <boost/url/pct_string_view.hpp>

#include <bitset>
#include <stdexcept>
#include <utility>

namespace switchboard::server {

// One node per path position reachable by some pattern: the literal children, at most one
// parameter child, at most one rest parameter child (which ends its patterns), and the routes
// that end here (one per method).
struct Router::Node {
    std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
    std::unique_ptr<Node> param;
    std::string param_name;
    std::unique_ptr<Node> rest;
    std::string rest_name;
    std::vector<const Route*> routes;

    Node* literal(std::string_view segment) const {
        for (const auto& [text, child] : literals) {
            if (text == segment) {
                return child.get();
            }
        }
        return nullptr;
    }

    const Route* route_for(http::verb method) const {
        for (const Route* route : routes) {
            if (route->method == method) {
                return route;
            }
        }
        return nullptr;
    }
};

namespace {

constexpr std::size_t verb_count = static_cast<std::size_t>(http::verb::patch) + 1;
using VerbSet = std::bitset<verb_count>;

[[noreturn]] void bad_pattern(std::string_view pattern, const std::string& why) {
    throw std::invalid_argument("route pattern '" + std::string(pattern) + "' " + why);
}

bool is_param_name(std::string_view name) {
    if (name.empty()) {
        return false;
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!(alpha || (i > 0 && digit))) {
            return false;
        }
    }
    return true;
}

// The segments of a path or pattern after its leading '/'; "/" has none.
std::vector<std::string_view> split_segments(std::string_view path) {
    std::vector<std::string_view> segments;
    if (path.size() <= 1) {
        return segments;
    }
    std::size_t start = 1;
    while (true) {
        const auto slash = path.find('/', start);
        segments.push_back(path.substr(start, slash == std::string_view::npos ? slash
                                                                               : slash - start));
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    return segments;
}

} // namespace

// A depth-first walk of the nodes that can match the path, literal branches first, then a
// parameter, then a rest parameter. Each node is visited at most once (its depth is its
// position), so the walk is linear in the number of nodes whatever the path.
struct Router::Matcher {
    const std::vector<std::string_view>& segments;
    // The path as received and its segments before decoding, for rest parameters.
    std::string_view raw_path;
    const std::vector<std::string_view>& raw_segments;
    http::verb method;
    std::vector<std::pair<const std::string*, std::string_view>> bound; // name, value
    VerbSet allowed;
    const Route* found = nullptr;

    bool visit(const Node& node, std::size_t depth);
    // Whether `node` answers `method`; otherwise adds its methods to `allowed`.
    bool take(const Node& node);
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::add(http::verb method, std::string_view pattern, Handler handler,
                 Execution execution) {
    add(method, pattern, std::move(handler), RouteOptions{execution, {}, BodyLimit::standard});
}

void Router::add(http::verb method, std::string_view pattern, Handler handler,
                 RouteOptions options) {
    if (pattern.empty() || pattern.front() != '/') {
        bad_pattern(pattern, "must start with '/'");
    }
    if (method == http::verb::unknown) {
        bad_pattern(pattern, "has no known method");
    }
    if (!handler) {
        bad_pattern(pattern, "has an empty handler");
    }
    if (options.body_limit == BodyLimit::large_after_gate && !options.gate) {
        // A large body is for callers the server knows; without a gate it would be for anyone.
        bad_pattern(pattern, "takes large bodies but has no gate");
    }
    if (options.body_mode == BodyMode::streamed &&
        (!options.gate || options.execution == Execution::io_thread)) {
        // Reading a body as it arrives blocks the handler: a worker's job, for a known caller.
        bad_pattern(pattern, "streams its body but has no gate or runs on the I/O thread");
    }
    Node* node = root_.get();
    std::vector<std::string_view> names;
    const auto segments = split_segments(pattern);
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto segment = segments[i];
        if (segment.empty()) {
            bad_pattern(pattern, "has an empty segment");
        }
        if (segment.front() == '{' && segment.ends_with("...}")) {
            const auto name = segment.substr(1, segment.size() - 5);
            if (!is_param_name(name)) {
                bad_pattern(pattern, "has a rest parameter that is not {name...} with name in "
                                     "[A-Za-z_][A-Za-z0-9_]*");
            }
            if (i + 1 != segments.size()) {
                bad_pattern(pattern, "has a rest parameter {" + std::string(name) +
                                         "...} before its last segment");
            }
            for (const auto other : names) {
                if (other == name) {
                    bad_pattern(pattern, "names the parameter {" + std::string(name) + "} twice");
                }
            }
            if (!node->rest) {
                node->rest = std::make_unique<Node>();
                node->rest_name = name;
            } else if (node->rest_name != name) {
                bad_pattern(pattern, "names a rest parameter {" + std::string(name) +
                                         "...} where another route has {" + node->rest_name +
                                         "...}");
            }
            node = node->rest.get();
            continue;
        }
        if (segment.front() == '{') {
            if (segment.back() != '}' || !is_param_name(segment.substr(1, segment.size() - 2))) {
                bad_pattern(pattern, "has a parameter that is not {name} with name in "
                                     "[A-Za-z_][A-Za-z0-9_]*");
            }
            const auto name = segment.substr(1, segment.size() - 2);
            for (const auto other : names) {
                if (other == name) {
                    bad_pattern(pattern, "names the parameter {" + std::string(name) + "} twice");
                }
            }
            names.push_back(name);
            if (!node->param) {
                node->param = std::make_unique<Node>();
                node->param_name = name;
            } else if (node->param_name != name) {
                bad_pattern(pattern, "names a parameter {" + std::string(name) +
                                         "} where another route has {" + node->param_name + "}");
            }
            node = node->param.get();
            continue;
        }
        if (segment.find_first_of("{}%?#") != std::string_view::npos) {
            bad_pattern(pattern, "has a literal segment with one of {}%?#");
        }
        Node* child = node->literal(segment);
        if (child == nullptr) {
            node->literals.emplace_back(std::string(segment), std::make_unique<Node>());
            child = node->literals.back().second.get();
        }
        node = child;
    }
    if (node->route_for(method) != nullptr) {
        bad_pattern(pattern, "is already registered for " +
                                 std::string(http::to_string(method)));
    }
    routes_.push_back(std::make_unique<Route>(
        Route{method, std::string(pattern), std::move(handler), options.execution,
              std::move(options.gate), options.body_limit, options.body_mode,
              options.streamed_body_limit_bytes}));
    node->routes.push_back(routes_.back().get());
}

bool Router::Matcher::take(const Node& node) {
    if (node.routes.empty()) {
        return false;
    }
    found = node.route_for(method);
    if (found == nullptr && method == http::verb::head) {
        found = node.route_for(http::verb::get);
    }
    if (found != nullptr) {
        return true;
    }
    for (const Route* route : node.routes) {
        allowed.set(static_cast<std::size_t>(route->method));
        if (route->method == http::verb::get) {
            allowed.set(static_cast<std::size_t>(http::verb::head));
        }
    }
    return false;
}

bool Router::Matcher::visit(const Node& node, std::size_t depth) {
    if (depth == segments.size()) {
        return take(node);
    }
    const auto segment = segments[depth];
    if (const Node* child = node.literal(segment); child != nullptr) {
        if (visit(*child, depth + 1)) {
            return true;
        }
    }
    // A parameter is never empty and never holds a NUL, which no identifier contains and
    // which C APIs further down would silently truncate at.
    if (node.param && !segment.empty() && segment.find('\0') == std::string_view::npos) {
        bound.emplace_back(&node.param_name, segment);
        if (visit(*node.param, depth + 1)) {
            return true;
        }
        bound.pop_back();
    }
    // A rest parameter takes every remaining segment, as received (trailing '/' included).
    if (node.rest) {
        const auto offset = static_cast<std::size_t>(raw_segments[depth].data() - raw_path.data());
        bound.emplace_back(&node.rest_name, raw_path.substr(offset));
        if (take(*node.rest)) {
            return true;
        }
        bound.pop_back();
    }
    return false;
}

namespace {

// "/api/v1/connectors/" answers as "/api/v1/connectors"; "/" stays "/".
std::string_view without_trailing_slash(std::string_view path) {
    if (path.size() > 1 && path.back() == '/') {
        path.remove_suffix(1);
    }
    return path;
}

std::string allow_list(const std::bitset<verb_count>& allowed) {
    std::string allow;
    for (std::size_t i = 0; i < verb_count; ++i) {
        if (allowed.test(i)) {
            if (!allow.empty()) {
                allow += ", ";
            }
            allow += http::to_string(static_cast<http::verb>(i));
        }
    }
    return allow;
}

} // namespace

RouteMatch Router::match(http::verb method, std::string_view path) const {
    if (method == http::verb::unknown) {
        RouteMatch result;
        result.outcome = RouteMatch::Outcome::method_not_implemented;
        return result;
    }
    return match_path(method, path);
}

std::string Router::allowed_methods(std::string_view path) const {
    // No route is registered for `unknown`, so the walk finds none and collects the methods
    // of every route on the path.
    return match_path(http::verb::unknown, path).allow;
}

RouteMatch Router::match_path(http::verb method, std::string_view path) const {
    RouteMatch result;
    if (path.empty() || path.front() != '/') {
        return result;
    }
    const std::string_view raw_path = path;
    path = without_trailing_slash(path);
    // Decode each segment on its own, so an encoded '/' (%2F) stays inside its segment.
    const std::vector<std::string_view> raw_segments = split_segments(path);
    std::vector<std::string_view> segments = raw_segments;
    std::vector<std::string> decoded;
    decoded.reserve(segments.size()); // the views below point into it: no reallocation
    for (auto& segment : segments) {
        if (segment.find('%') == std::string_view::npos) {
            continue;
        }
        const auto encoded = boost::urls::make_pct_string_view(segment);
        if (!encoded) {
            return result; // not a valid percent-encoding: no pattern can match it
        }
        decoded.push_back(encoded->decode());
        segment = decoded.back();
    }

    Matcher matcher{segments, raw_path, raw_segments, method, {}, {}, nullptr};
    if (matcher.visit(*root_, 0)) {
        result.outcome = RouteMatch::Outcome::found;
        result.route = matcher.found;
        for (const auto& [name, value] : matcher.bound) {
            result.path_params.add(*name, std::string(value));
        }
        return result;
    }
    if (matcher.allowed.any()) {
        result.outcome = RouteMatch::Outcome::method_not_allowed;
        result.allow = allow_list(matcher.allowed);
    }
    return result;
}

std::vector<const Route*> Router::routes() const {
    std::vector<const Route*> all;
    all.reserve(routes_.size());
    for (const auto& route : routes_) {
        all.push_back(route.get());
    }
    return all;
}

} // namespace switchboard::server
