#include "core/plugin/regex_constraints.hpp"

#include <re2/re2.h>
#include <valijson/internal/adapter.hpp>
#include <valijson/constraint_builder.hpp>
#include <valijson/constraints/concrete_constraints.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>

#include <memory>
#include <new>
#include <stdexcept>
#include <string>

namespace switchboard::plugin {
namespace {

using valijson::ValidationResults;
using valijson::adapters::Adapter;
using valijson::constraints::Constraint;
using valijson::constraints::PolyConstraint;
using Context = std::vector<std::string>;

// The text of a string instance; other types pass `pattern` and `format` (strict typing, as
// the catalog's Validator uses).
bool string_value(const Adapter& target, std::string& text) {
    return target.isString() && target.asString(text);
}

class PatternConstraint final : public PolyConstraint {
public:
    explicit PatternConstraint(std::shared_ptr<const re2::RE2> regex) : regex_(std::move(regex)) {}

    bool validate(const Adapter& target, const Context& context,
                  ValidationResults* results) const override {
        std::string text;
        if (!string_value(target, text) || re2::RE2::PartialMatch(text, *regex_)) {
            return true;
        }
        if (results != nullptr) {
            results->pushError(context, "Failed to match regex specified by 'pattern' constraint.");
        }
        return false;
    }

private:
    Constraint* cloneInto(void* where) const override { return new (where) PatternConstraint(*this); }
    size_t sizeOf() const override { return sizeof(PatternConstraint); }

    std::shared_ptr<const re2::RE2> regex_;
};

// Valijson 1.0's expressions for the formats it checks (validation_visitor.hpp), unanchored
// because RE2::FullMatch anchors them.
const re2::RE2& date_regex() {
    static const re2::RE2 regex("([0-9]+)-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])");
    return regex;
}

const re2::RE2& time_regex() {
    static const re2::RE2 regex("([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(\\.[0-9]+)?"
                                "(([Zz])|([\\+|\\-]([01][0-9]|2[0-3]):[0-5][0-9]))");
    return regex;
}

const re2::RE2& date_time_regex() {
    static const re2::RE2 regex(
        "([0-9]+)-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):([0-5][0-9]):"
        "([0-5][0-9]|60)(\\.[0-9]+)?(([Zz])|([\\+|\\-]([01][0-9]|2[0-3]):[0-5][0-9]))");
    return regex;
}

// Valijson's day-of-month limit: 29 in February (leap years are not told apart), 30 or 31.
bool day_within_month(int month, int day) {
    if (month == 2) {
        return day <= 29;
    }
    const bool thirty = month <= 7 ? month % 2 == 0 : month % 2 != 0;
    return day <= (thirty ? 30 : 31);
}

enum class Format { date, time, date_time, unchecked };

bool matches_format(Format format, const std::string& text) {
    re2::StringPiece year;
    int month = 0;
    int day = 0;
    switch (format) {
    case Format::date:
        return re2::RE2::FullMatch(text, date_regex(), &year, &month, &day) &&
               day_within_month(month, day);
    case Format::time:
        return re2::RE2::FullMatch(text, time_regex());
    case Format::date_time:
        return re2::RE2::FullMatch(text, date_time_regex(), &year, &month, &day) &&
               day_within_month(month, day);
    case Format::unchecked:
        return true;
    }
    return true;
}

class FormatConstraint final : public PolyConstraint {
public:
    FormatConstraint(Format format, std::string message)
        : format_(format), message_(std::move(message)) {}

    bool validate(const Adapter& target, const Context& context,
                  ValidationResults* results) const override {
        if (format_ == Format::unchecked) {
            return true;
        }
        std::string text;
        if (!string_value(target, text) || matches_format(format_, text)) {
            return true;
        }
        if (results != nullptr) {
            results->pushError(context, message_);
        }
        return false;
    }

private:
    Constraint* cloneInto(void* where) const override { return new (where) FormatConstraint(*this); }
    size_t sizeOf() const override { return sizeof(FormatConstraint); }

    Format format_;
    std::string message_;
};

std::string keyword_string(const Adapter& value, std::string_view keyword) {
    std::string text;
    if (!value.isString() || !value.asString(text)) {
        throw std::runtime_error(std::string(keyword) + " must be a string");
    }
    return text;
}

class PatternBuilder final : public valijson::ConstraintBuilder {
public:
    Constraint* make(const Adapter& value) const override {
        const std::string pattern = keyword_string(value, "pattern");
        re2::RE2::Options options;
        options.set_log_errors(false);
        auto regex = std::make_shared<const re2::RE2>(pattern, options);
        if (!regex->ok()) {
            throw std::runtime_error("pattern " + pattern + " cannot be compiled: " + regex->error());
        }
        return new PatternConstraint(std::move(regex));
    }
};

class FormatBuilder final : public valijson::ConstraintBuilder {
public:
    Constraint* make(const Adapter& value) const override {
        const std::string format = keyword_string(value, "format");
        if (format == "date") {
            return new FormatConstraint(Format::date, "String should be a valid date");
        }
        if (format == "time") {
            return new FormatConstraint(Format::time, "String should be a valid time");
        }
        if (format == "date-time") {
            return new FormatConstraint(Format::date_time, "String should be a valid date-time");
        }
        return new FormatConstraint(Format::unchecked, {});
    }
};

} // namespace

void add_regex_constraints(valijson::SchemaParser& parser) {
    // The parser owns (and deletes) its builders.
    parser.addConstraintBuilder(std::string(regex_pattern_keyword), new PatternBuilder);
    parser.addConstraintBuilder(std::string(regex_format_keyword), new FormatBuilder);
}

} // namespace switchboard::plugin
