// A request's or a response's header fields: ordered name/value pairs, names compared
// without regard to ASCII case (RFC 9110, section 5.1). The server's own header map; the
// session copies the codec's fields into it and out of it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::server {

class HeaderField {
public:
    HeaderField(std::string_view name, std::string_view value) : name_(name), value_(value) {}
    std::string_view name() const noexcept { return name_; }
    std::string_view value() const noexcept { return value_; }

private:
    std::string name_;
    std::string value_;
};

class Headers {
public:
    using const_iterator = std::vector<HeaderField>::const_iterator;

    // Replaces every field named `name` by one with `value`.
    void set(std::string_view name, std::string_view value);
    // Appends a field, keeping those of the same name (Vary, Set-Cookie...).
    void add(std::string_view name, std::string_view value);
    // Removes every field named `name`.
    void erase(std::string_view name);

    // The first field named `name`, or end().
    const_iterator find(std::string_view name) const;
    // The first value of `name`, empty when absent.
    std::string_view get(std::string_view name) const;
    bool contains(std::string_view name) const { return find(name) != end(); }

    const_iterator begin() const { return fields_.begin(); }
    const_iterator end() const { return fields_.end(); }
    std::size_t size() const { return fields_.size(); }
    bool empty() const { return fields_.empty(); }

private:
    std::vector<HeaderField> fields_;
};

// ASCII case-insensitive equality, as header names and tokens compare.
bool iequals(std::string_view a, std::string_view b) noexcept;

} // namespace switchboard::server
