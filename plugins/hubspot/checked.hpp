// Checked<T>: a value or the error Outcome that stops an action, for the steps between the
// params and the provider's answer (C++20 has no std::expected).
#pragma once

#include "switchboard/outcome.hpp"

#include <utility>
#include <variant>

namespace switchboard::plugins::hubspot {

template <class T>
class Checked {
public:
    Checked(T value) : state_(std::in_place_index<0>, std::move(value)) {}          // NOLINT
    Checked(sdk::Outcome error) : state_(std::in_place_index<1>, std::move(error)) {} // NOLINT

    bool ok() const noexcept { return state_.index() == 0; }
    const T& value() const& { return std::get<0>(state_); }
    T& value() & { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    const sdk::Outcome& error() const& { return std::get<1>(state_); }

private:
    std::variant<T, sdk::Outcome> state_;
};

} // namespace switchboard::plugins::hubspot
