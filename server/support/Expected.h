#pragma once
// A value or an error, for the server's error-as-value style (std::expected is C++23).

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

namespace berth {

template <class E>
struct Unexpected
{
    E error;
};

template <class E>
Unexpected<std::decay_t<E>> unexpected(E&& error)
{
    return {std::forward<E>(error)};
}

template <class T, class E>
class [[nodiscard]] Expected
{
public:
    using value_type = T;
    using error_type = E;

    template <class U = T>
        requires std::is_constructible_v<T, U&&>
    Expected(U&& value) : m_state(std::in_place_index<0>, std::forward<U>(value))
    {
    }
    template <class G>
    Expected(Unexpected<G> failure) : m_state(std::in_place_index<1>, std::move(failure.error))
    {
    }

    bool hasValue() const { return m_state.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    T& value() &
    {
        assert(hasValue());
        return std::get<0>(m_state);
    }
    const T& value() const&
    {
        assert(hasValue());
        return std::get<0>(m_state);
    }
    T&& value() &&
    {
        assert(hasValue());
        return std::get<0>(std::move(m_state));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const E& error() const&
    {
        assert(!hasValue());
        return std::get<1>(m_state);
    }
    E&& error() &&
    {
        assert(!hasValue());
        return std::get<1>(std::move(m_state));
    }

private:
    std::variant<T, E> m_state;
};

template <class E>
class [[nodiscard]] Expected<void, E>
{
public:
    using value_type = void;
    using error_type = E;

    Expected() = default;
    template <class G>
    Expected(Unexpected<G> failure) : m_error(std::move(failure.error))
    {
    }

    bool hasValue() const { return !m_error.has_value(); }
    explicit operator bool() const { return hasValue(); }
    void value() const { assert(hasValue()); }

    const E& error() const&
    {
        assert(!hasValue());
        return *m_error;
    }
    E&& error() &&
    {
        assert(!hasValue());
        return std::move(*m_error);
    }

private:
    std::optional<E> m_error;
};

} // namespace berth
