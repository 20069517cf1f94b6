// Many raw TCP connections to one port, driven together on one thread: each writes the bytes
// it is given (a request head, part of a body, a header that never ends) and then simply
// stays open, as a hostile client does. Every wait is bounded; failures (the server closed or
// refused the connection) are counted, never thrown.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::testing {

class HostileClients {
public:
    explicit HostileClients(std::uint16_t port) : port_(port) {}

    // Opens `count` connections from the loopback address `source` (127.0.0.1, 127.0.0.2...:
    // Linux routes all of 127/8 to the loopback interface, so each is a distinct client
    // address to the server). Returns how many were connected.
    std::size_t open(std::size_t count, const std::string& source = "127.0.0.1") {
        namespace net = boost::asio;
        std::size_t opened = 0;
        for (std::size_t i = 0; i < count; ++i) {
            auto socket = std::make_unique<net::ip::tcp::socket>(io_);
            boost::system::error_code ec;
            socket->open(net::ip::tcp::v4(), ec);
            if (!ec) {
                socket->bind({net::ip::make_address(source), 0}, ec);
            }
            if (!ec) {
                socket->connect({net::ip::make_address("127.0.0.1"), port_}, ec);
            }
            if (!ec) {
                ++opened;
                sockets_.push_back(std::move(socket));
            }
        }
        return opened;
    }

    // Writes `bytes` on every open connection at once; returns when each write finished or
    // failed, or when `timeout` passed (the writes still pending are then cancelled). The
    // answer is how many writes completed in full. `bytes` must outlive the call.
    std::size_t write_all(std::string_view bytes, std::chrono::milliseconds timeout) {
        namespace net = boost::asio;
        std::size_t completed = 0;
        for (auto& socket : sockets_) {
            net::async_write(*socket, net::buffer(bytes.data(), bytes.size()),
                             [&completed](boost::system::error_code ec, std::size_t) {
                                 completed += ec ? 0 : 1;
                             });
        }
        run_for(timeout);
        return completed;
    }

    // Reads what each connection received within `timeout` (until the server closed it, or
    // the time ran out) and returns those texts.
    std::vector<std::string> read_all(std::chrono::milliseconds timeout) {
        namespace net = boost::asio;
        std::vector<std::string> received(sockets_.size());
        for (std::size_t i = 0; i < sockets_.size(); ++i) {
            net::async_read(*sockets_[i], net::dynamic_buffer(received[i]),
                            [](boost::system::error_code, std::size_t) {});
        }
        run_for(timeout);
        return received;
    }

    std::size_t size() const { return sockets_.size(); }
    void close_all() { sockets_.clear(); }

private:
    void run_for(std::chrono::milliseconds timeout) {
        io_.restart();
        io_.run_for(timeout);
        if (!io_.stopped()) {
            for (auto& socket : sockets_) {
                boost::system::error_code ignored;
                socket->cancel(ignored);
            }
            io_.restart();
            io_.run();
        }
    }

    std::uint16_t port_;
    boost::asio::io_context io_;
    std::vector<std::unique_ptr<boost::asio::ip::tcp::socket>> sockets_;
};

} // namespace switchboard::testing
