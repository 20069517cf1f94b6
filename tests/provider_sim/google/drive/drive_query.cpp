#include "tests/provider_sim/google/drive/drive_query.hpp"

#include "tests/provider_sim/common/rfc3339.hpp"
#include "tests/provider_sim/common/text.hpp"

#include <algorithm>
#include <cctype>

namespace switchboard::sim {
namespace {

using Node = DriveQuery::Node;

struct Token {
    enum class Kind { word, string, op, open, close, end } kind = Kind::end;
    std::string text;
};

Error invalid_query(const std::string& why) {
    return Error(ErrorKind::invalid_input, "invalid_query", "Invalid Value: " + why);
}

Result<std::vector<Token>> tokenize(std::string_view q) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < q.size()) {
        const char c = q[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (c == '(' || c == ')') {
            out.push_back({c == '(' ? Token::Kind::open : Token::Kind::close, std::string(1, c)});
            ++i;
        } else if (c == '\'') {
            std::string s;
            ++i;
            while (i < q.size() && q[i] != '\'') {
                if (q[i] == '\\' && i + 1 < q.size()) {
                    ++i;
                }
                s.push_back(q[i++]);
            }
            if (i >= q.size()) {
                return invalid_query("unterminated string");
            }
            ++i;
            out.push_back({Token::Kind::string, s});
        } else if (c == '=' || c == '!' || c == '<' || c == '>') {
            std::string op(1, c);
            if (i + 1 < q.size() && q[i + 1] == '=') {
                op.push_back('=');
            }
            if (op == "!") {
                return invalid_query("'!' must be '!='");
            }
            i += op.size();
            out.push_back({Token::Kind::op, op});
        } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == ':') {
            std::string w;
            while (i < q.size() && (std::isalnum(static_cast<unsigned char>(q[i])) || q[i] == '_' ||
                                    q[i] == '.' || q[i] == '-' || q[i] == ':')) {
                w.push_back(q[i++]);
            }
            out.push_back({Token::Kind::word, w});
        } else {
            return invalid_query(std::string("unexpected character '") + c + "'");
        }
    }
    out.push_back({Token::Kind::end, ""});
    return out;
}

// Which operators each field takes, and the type of its value.
struct FieldRule {
    std::string_view field;
    std::string_view ops;  // space-separated
    std::string_view type; // "string", "bool", "time"
};
constexpr FieldRule kFields[] = {
    {"name", "= != contains", "string"},
    {"mimeType", "= != contains", "string"},
    {"fullText", "contains", "string"},
    {"trashed", "= !=", "bool"},
    {"starred", "= !=", "bool"},
    {"modifiedTime", "= != < <= > >=", "time"},
    {"createdTime", "= != < <= > >=", "time"},
};
constexpr std::string_view kInFields[] = {"parents", "owners", "writers", "readers"};

class DriveQueryParser {
public:
    explicit DriveQueryParser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

    Result<Node> parse() {
        auto node = any();
        if (!node) {
            return node;
        }
        if (peek().kind != Token::Kind::end) {
            return invalid_query("unexpected '" + peek().text + "'");
        }
        return node;
    }

private:
    const Token& peek() const { return t_[i_]; }
    bool keyword(std::string_view w) const {
        if (peek().kind != Token::Kind::word || peek().text.size() != w.size()) {
            return false;
        }
        return std::equal(w.begin(), w.end(), peek().text.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        });
    }

    Result<Node> any() {
        Node node{Node::Kind::any, {}, {}, {}, {}};
        do {
            auto child = all();
            if (!child) {
                return child;
            }
            node.children.push_back(std::move(*child));
        } while (keyword("or") && ++i_);
        return node.children.size() == 1 ? node.children.front() : node;
    }

    Result<Node> all() {
        Node node{Node::Kind::all, {}, {}, {}, {}};
        do {
            auto child = unary();
            if (!child) {
                return child;
            }
            node.children.push_back(std::move(*child));
        } while (keyword("and") && ++i_);
        return node.children.size() == 1 ? node.children.front() : node;
    }

    Result<Node> unary() {
        if (keyword("not")) {
            ++i_;
            auto child = unary();
            if (!child) {
                return child;
            }
            return Node{Node::Kind::negate, {std::move(*child)}, {}, {}, {}};
        }
        if (peek().kind == Token::Kind::open) {
            ++i_;
            auto inner = any();
            if (!inner) {
                return inner;
            }
            if (peek().kind != Token::Kind::close) {
                return invalid_query("missing ')'");
            }
            ++i_;
            return inner;
        }
        return term();
    }

    Result<Node> term() {
        if (peek().kind == Token::Kind::string) {
            const std::string value = t_[i_++].text;
            if (!keyword("in")) {
                return invalid_query("a quoted value must be followed by 'in'");
            }
            ++i_;
            if (peek().kind != Token::Kind::word ||
                std::find(std::begin(kInFields), std::end(kInFields), peek().text) == std::end(kInFields)) {
                return invalid_query("'in' must be followed by parents, owners, writers or readers");
            }
            return Node{Node::Kind::in, {}, t_[i_++].text, "in", value};
        }
        if (peek().kind != Token::Kind::word) {
            return invalid_query("a field name is expected");
        }
        const std::string field = t_[i_++].text;
        const FieldRule* rule = nullptr;
        for (const auto& f : kFields) {
            if (f.field == field) {
                rule = &f;
            }
        }
        if (!rule) {
            return invalid_query("unknown field '" + field + "'");
        }
        std::string op;
        if (peek().kind == Token::Kind::op) {
            op = t_[i_++].text;
        } else if (keyword("contains")) {
            op = "contains";
            ++i_;
        } else {
            return invalid_query("an operator is expected after '" + field + "'");
        }
        if ((" " + std::string(rule->ops) + " ").find(" " + op + " ") == std::string::npos) {
            return invalid_query("'" + field + "' does not take '" + op + "'");
        }
        nlohmann::json value;
        if (rule->type == "bool") {
            if (!keyword("true") && !keyword("false")) {
                return invalid_query("'" + field + "' compares with true or false");
            }
            value = keyword("true");
            ++i_;
        } else {
            if (peek().kind != Token::Kind::string) {
                return invalid_query("'" + field + "' compares with a quoted string");
            }
            value = t_[i_++].text;
            if (rule->type == "time" && !parse_rfc3339(value.get<std::string>())) {
                return invalid_query("'" + field + "' needs an RFC 3339 time");
            }
        }
        return Node{Node::Kind::compare, {}, field, op, value};
    }

    std::vector<Token> t_;
    std::size_t i_ = 0;
};

bool evaluate(const Node& n, const nlohmann::json& file, const std::string& caller, const std::string& root_id) {
    switch (n.kind) {
    case Node::Kind::all:
        return std::all_of(n.children.begin(), n.children.end(),
                           [&](const Node& c) { return evaluate(c, file, caller, root_id); });
    case Node::Kind::any:
        return std::any_of(n.children.begin(), n.children.end(),
                           [&](const Node& c) { return evaluate(c, file, caller, root_id); });
    case Node::Kind::negate: return !evaluate(n.children.front(), file, caller, root_id);
    case Node::Kind::in: {
        const std::string value = n.value.get<std::string>();
        if (n.field == "parents") {
            // "root" is the alias of the My Drive folder's id, in a query as in a path.
            const std::string parent = value == "root" ? root_id : value;
            const auto parents = file.value("parents", nlohmann::json::array());
            return std::find(parents.begin(), parents.end(), parent) != parents.end();
        }
        // owners, writers, readers: the simulator's files have one owner and no sharing.
        const std::string who = value == "me" ? caller : value;
        for (const auto& o : file.value("owners", nlohmann::json::array())) {
            if (lower(o.value("emailAddress", "")) == lower(who)) {
                return true;
            }
        }
        return false;
    }
    case Node::Kind::compare: break;
    }
    if (n.field == "trashed" || n.field == "starred") {
        const bool actual = file.value(n.field, false);
        return n.op == "=" ? actual == n.value.get<bool>() : actual != n.value.get<bool>();
    }
    const std::string expected = n.value.get<std::string>();
    if (n.field == "modifiedTime" || n.field == "createdTime") {
        const auto a = parse_rfc3339(file.value(n.field, ""));
        const auto b = parse_rfc3339(expected);
        if (!a || !b) {
            return false;
        }
        if (n.op == "=") return *a == *b;
        if (n.op == "!=") return *a != *b;
        if (n.op == "<") return *a < *b;
        if (n.op == "<=") return *a <= *b;
        if (n.op == ">") return *a > *b;
        return *a >= *b;
    }
    const std::string actual =
        n.field == "fullText" ? file.value("name", "") + " " + file.value("description", "") : file.value(n.field, "");
    if (n.op == "contains") {
        return lower(actual).find(lower(expected)) != std::string::npos;
    }
    return n.op == "=" ? actual == expected : actual != expected;
}

} // namespace

Result<DriveQuery> DriveQuery::parse(std::string_view q) {
    DriveQuery query;
    if (q.find_first_not_of(" \t") == std::string_view::npos) {
        return query; // no condition: everything
    }
    auto tokens = tokenize(q);
    if (!tokens) {
        return tokens.error();
    }
    auto root = DriveQueryParser(std::move(*tokens)).parse();
    if (!root) {
        return root.error();
    }
    query.root_ = std::move(*root);
    return query;
}

bool DriveQuery::matches(const nlohmann::json& file, const std::string& caller_email,
                         const std::string& root_id) const {
    return evaluate(root_, file, caller_email, root_id);
}

} // namespace switchboard::sim
