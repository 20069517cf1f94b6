// HttpSession's streamed bodies: a streamed route's request body read by its handler, and a
// handler's streamed answer written as its producer hands it over (see http_session.hpp and
// body_stream.hpp). The handler and the producer run on a worker and block; every step that
// touches the socket runs on the connection's strand.
#include "host/server/http_session.hpp"

#include "host/server/fail.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>

namespace switchboard::server {

namespace net = boost::asio;
namespace beast = boost::beast;

namespace {

// What a producer may have handed over and the connection not yet taken: a slow client slows
// the producer down (its write blocks) instead of filling memory.
constexpr std::size_t max_queued_bytes = 256 * 1024;
// The room the connection's buffer gets while a streamed body is read: one read of Beast's
// (it reads at most 64 KB at a time).
constexpr std::size_t streamed_read_bytes = 64 * 1024;

Error interrupted() {
    return Error(ErrorKind::unavailable, "request_body_interrupted",
                 "the request body could not be read to its end (the client closed, sent a "
                 "malformed body, or the server is stopping)");
}

Error client_gone() {
    return Error(ErrorKind::unavailable, "client_gone",
                 "the client closed the connection or stopped reading the answer");
}

} // namespace

// The producer's hand-over: pieces of body, and how it ended.
struct StreamChannel {
    std::mutex mutex;
    std::condition_variable space; // a piece was taken, or the connection gave up
    std::deque<std::string> pieces;
    std::size_t queued = 0;
    bool done = false;   // the producer returned
    bool failed = false; // ...with an error, or short of the announced length
    bool gone = false;   // the connection takes no more
};

// A streamed answer on its way out: the message whose body points at the piece being written.
struct StreamedAnswer {
    beast::http::response<beast::http::buffer_body> message;
    std::optional<beast::http::response_serializer<beast::http::buffer_body>> serializer;
    std::shared_ptr<StreamChannel> channel;
    std::string piece;
    std::uint64_t bytes_out = 0;
    bool close = false;
};

class HttpSession::BodyReader final : public RequestBodyStream {
public:
    BodyReader(std::shared_ptr<HttpSession> session, std::optional<std::uint64_t> length)
        : session_(std::move(session)), length_(length) {}

    Result<std::size_t> read(char* into, std::size_t size) override {
        if (size == 0) {
            return std::size_t{0};
        }
        auto done = std::make_shared<ReadPromise>();
        auto answer = done->get_future();
        net::post(session_->stream_.get_executor(), [session = session_, into, size, done] {
            session->read_streamed(into, size, done);
        });
        try {
            return answer.get();
        } catch (const std::future_error&) {
            return interrupted(); // the server stopped before the step ran
        }
    }

    std::optional<std::uint64_t> content_length() const override { return length_; }

private:
    std::shared_ptr<HttpSession> session_;
    std::optional<std::uint64_t> length_;
};

class HttpSession::BodyWriter final : public ResponseBodyWriter {
public:
    BodyWriter(std::shared_ptr<HttpSession> session, std::shared_ptr<StreamChannel> channel,
               std::optional<std::uint64_t> length)
        : session_(std::move(session)), channel_(std::move(channel)), length_(length) {}

    Result<void> write(std::string_view data) override {
        if (data.empty()) {
            return {};
        }
        if (length_ && data.size() > *length_ - written_) {
            return Error(ErrorKind::internal, "response_length_exceeded",
                         "the streamed answer is longer than its announced length");
        }
        {
            std::unique_lock lock(channel_->mutex);
            channel_->space.wait(lock, [this] {
                return channel_->gone || channel_->queued < max_queued_bytes;
            });
            if (channel_->gone) {
                return client_gone();
            }
            channel_->pieces.emplace_back(data);
            channel_->queued += data.size();
        }
        written_ += data.size();
        net::post(session_->stream_.get_executor(), [session = session_] { session->maybe_write(); });
        return {};
    }

    void finish(const Result<void>& produced) {
        const bool short_body = produced && length_ && written_ != *length_;
        if (!produced) {
            spdlog::info("streamed answer abandoned: {} ({})", produced.error().code,
                         produced.error().message);
        } else if (short_body) {
            spdlog::error("streamed answer ended after {} of its announced {} bytes", written_,
                          *length_);
        }
        {
            std::lock_guard lock(channel_->mutex);
            channel_->done = true;
            channel_->failed = !produced || short_body;
        }
        net::post(session_->stream_.get_executor(), [session = session_] { session->maybe_write(); });
    }

private:
    std::shared_ptr<HttpSession> session_;
    std::shared_ptr<StreamChannel> channel_;
    std::optional<std::uint64_t> length_;
    std::uint64_t written_ = 0;
};

void HttpSession::abandon(StreamedAnswer& answer) {
    {
        std::lock_guard lock(answer.channel->mutex);
        answer.channel->gone = true;
    }
    answer.channel->space.notify_all();
}

// ---- the request body ------------------------------------------------------------------

void HttpSession::start_streamed(bool expects_continue) {
    cancel_read_timer(); // from here on, read_timeout bounds each read of the body
    const auto length = parser_->content_length();
    // The same header, with a body the handler reads piece by piece into its own buffers.
    body_parser_.emplace(std::move(*parser_));
    parser_.reset();
    // Beast reads as much as the buffer has room for beyond its contents, and at least 512
    // bytes: after the header that room was about 1 KB, and a body arrived 521 bytes a read
    // (a 100 MB upload took 200,000 reads). The room goes back when the request ends.
    buffer_.reserve(streamed_read_bytes);
    body_parser_->body_limit(incoming_->body_limit);
    streamed_body_limit_ = incoming_->body_limit;
    continue_owed_ = expects_continue;
    Incoming incoming = std::move(*incoming_);
    incoming_.reset();
    incoming.pending->streamed_request = true;
    streaming_ = incoming.pending;
    incoming.request.body_stream = std::make_shared<BodyReader>(
        shared_from_this(),
        length ? std::optional<std::uint64_t>(*length) : std::optional<std::uint64_t>());
    read_state_ = ReadState::paused; // the next request waits for this one's answer
    dispatch(std::move(incoming));
}

void HttpSession::read_streamed(char* into, std::size_t size, std::shared_ptr<ReadPromise> done) {
    if (closed_ || !body_parser_) {
        done->set_value(interrupted());
        return;
    }
    if (body_parser_->is_done()) {
        done->set_value(std::size_t{0});
        return;
    }
    if (continue_owed_) {
        continue_owed_ = false;
        // Only when no earlier answer is owed; otherwise the client sends its body after its
        // own short wait, as RFC 9110 lets it.
        if (queue_.size() == 1 && !writing_) {
            continue_ = {beast::http::status::continue_, body_parser_->get().version()};
            writing_ = true;
            arm_write_timer();
            stream_.visit([&](auto& stream) {
                beast::http::async_write(
                    stream, continue_,
                    [self = shared_from_this(), into, size, done](beast::error_code ec,
                                                                  std::size_t) {
                        self->cancel_write_timer();
                        self->writing_ = false;
                        if (ec) {
                            fail(ec, "write 100-continue");
                            self->close_socket();
                            done->set_value(interrupted());
                            return;
                        }
                        self->read_streamed(into, size, done);
                    });
            });
            return;
        }
    }
    body_parser_->get().body().data = into;
    body_parser_->get().body().size = size;
    streamed_read_active_ = true;
    read_state_ = ReadState::reading;
    arm_read_timer(context_.options.read_timeout);
    stream_.visit([&](auto& stream) {
        beast::http::async_read_some(
            stream, buffer_, *body_parser_,
            [self = shared_from_this(), into, size, done](beast::error_code ec, std::size_t) {
                self->on_streamed_read(into, size, done, ec);
            });
    });
}

void HttpSession::on_streamed_read(char* into, std::size_t size, std::shared_ptr<ReadPromise> done,
                                   beast::error_code ec) {
    cancel_read_timer();
    streamed_read_active_ = false;
    if (read_state_ == ReadState::reading) {
        read_state_ = ReadState::paused;
    }
    if (ec == beast::http::error::need_buffer) {
        ec = {}; // the handler's buffer is full: a normal end of this step
    }
    if (!ec && !body_parser_) {
        ec = net::error::operation_aborted;
    }
    if (ec) {
        // The body cannot be read on: the connection ends after the answer.
        no_more_requests_ = true;
        if (ec == beast::http::error::body_limit) {
            done->set_value(Error(ErrorKind::payload_too_large, "body_too_large",
                                  "request body is larger than " +
                                      std::to_string(streamed_body_limit_) + " bytes"));
        } else if (read_timed_out_) {
            done->set_value(Error(ErrorKind::unavailable, "request_timeout",
                                  "nothing of the request body arrived within the read "
                                  "timeout"));
        } else {
            fail(ec, "read body");
            done->set_value(interrupted());
        }
        return;
    }
    const std::size_t got = size - body_parser_->get().body().size;
    if (streaming_) {
        streaming_->bytes_in += got;
    }
    if (got == 0 && !body_parser_->is_done()) {
        read_streamed(into, size, std::move(done)); // only framing arrived (a chunk header)
        return;
    }
    done->set_value(got);
}

// ---- the answer ------------------------------------------------------------------------

void HttpSession::produce(const std::shared_ptr<Pending>& pending, Response response, bool head) {
    BodyProducer producer = std::move(response.stream);
    response.stream = nullptr;
    const unsigned status = http::to_int(response.status);
    if (head || (status >= 100 && status < 200) || status == 204 || status == 304) {
        // No body goes out: the header alone, with the announced length (for HEAD).
        pending->streamed_header_only = true;
        pending->streamed_length = response.stream_length;
        net::post(stream_.get_executor(),
                  [self = shared_from_this(), pending, response = std::move(response)]() mutable {
                      self->respond(pending, std::move(response));
                  });
        producer = nullptr; // released here: what it holds may block as it goes
        return;
    }
    auto channel = std::make_shared<StreamChannel>();
    BodyWriter writer(shared_from_this(), channel, response.stream_length);
    net::post(stream_.get_executor(), [self = shared_from_this(), pending,
                                       response = std::move(response), channel]() mutable {
        self->respond_streamed(pending, std::move(response), std::move(channel));
    });
    Result<void> produced;
    try {
        produced = producer(writer);
    } catch (const std::exception& e) {
        spdlog::error("the body producer of {} {} threw: {}", pending->method, pending->route,
                      e.what());
        produced = Error(ErrorKind::internal, "internal", "internal error");
    } catch (...) {
        spdlog::error("the body producer of {} {} threw a non-standard exception",
                      pending->method, pending->route);
        produced = Error(ErrorKind::internal, "internal", "internal error");
    }
    producer = nullptr;
    writer.finish(produced);
}

void HttpSession::respond_streamed(const std::shared_ptr<Pending>& pending, Response response,
                                   std::shared_ptr<StreamChannel> channel) {
    if (pending->in_flight) {
        pending->in_flight = false;
        context_.metrics.request_finished();
    }
    auto answer = std::make_shared<StreamedAnswer>();
    answer->channel = std::move(channel);
    if (closed_) {
        abandon(*answer);
        return;
    }
    pending->status = http::to_int(response.status);
    if (!response.tenant.empty()) {
        pending->tenant = std::move(response.tenant);
    }
    auto& message = answer->message;
    message.version(pending->version);
    message.result(pending->status);
    decorate(*pending, response, message);
    if (response.stream_length) {
        message.content_length(*response.stream_length);
    } else if (pending->version >= 11) {
        message.chunked(true);
    } else {
        pending->close_after = true; // HTTP/1.0: the body ends with the connection
    }
    message.body().data = nullptr;
    message.body().more = true;
    pending->streamed = std::move(answer);
    maybe_write();
}

void HttpSession::write_streamed(Pending& pending) {
    StreamedAnswer& answer = *pending.streamed;
    auto on_written = beast::bind_front_handler(&HttpSession::on_streamed_write, shared_from_this());
    if (!answer.serializer) {
        answer.close = pending.close_after || !pending.keep_alive ||
                       (queue_.size() == 1 && no_more_requests_ &&
                        read_state_ != ReadState::reading) ||
                       (pending.streamed_request && body_parser_ && !body_parser_->is_done());
        answer.message.keep_alive(!answer.close);
        answer.serializer.emplace(answer.message);
        writing_ = true;
        arm_write_timer();
        stream_.visit([&](auto& stream) {
            beast::http::async_write_header(stream, *answer.serializer, std::move(on_written));
        });
        return;
    }
    bool failed = false;
    {
        std::unique_lock lock(answer.channel->mutex);
        if (!answer.channel->pieces.empty()) {
            answer.piece = std::move(answer.channel->pieces.front());
            answer.channel->pieces.pop_front();
            answer.channel->queued -= answer.piece.size();
            lock.unlock();
            answer.channel->space.notify_all();
            answer.message.body().data = answer.piece.data();
            answer.message.body().size = answer.piece.size();
            answer.message.body().more = true;
            writing_ = true;
            arm_write_timer();
            stream_.visit([&](auto& stream) {
                beast::http::async_write(stream, *answer.serializer, std::move(on_written));
            });
            return;
        }
        if (!answer.channel->done) {
            return; // the producer's next piece, or its end, calls maybe_write again
        }
        failed = answer.channel->failed;
    }
    if (failed) {
        // Ending the connection is the only way to tell the client the body is not whole.
        const auto doomed = queue_.front();
        queue_.pop_front();
        record(*doomed, answer.bytes_out, net::error::operation_aborted);
        close_socket();
        return;
    }
    answer.message.body().data = nullptr;
    answer.message.body().size = 0;
    answer.message.body().more = false;
    writing_ = true;
    arm_write_timer();
    stream_.visit([&](auto& stream) {
        beast::http::async_write(stream, *answer.serializer, std::move(on_written));
    });
}

void HttpSession::on_streamed_write(beast::error_code ec, std::size_t bytes) {
    cancel_write_timer();
    writing_ = false;
    if (queue_.empty() || !queue_.front()->streamed) {
        return; // closed meanwhile
    }
    const auto pending = queue_.front();
    StreamedAnswer& answer = *pending->streamed;
    answer.bytes_out += bytes;
    if (ec == beast::http::error::need_buffer) {
        ec = {}; // the piece is out: the serializer waits for the next
    }
    if (ec) {
        queue_.pop_front();
        abandon(answer);
        record(*pending, answer.bytes_out, ec);
        fail(ec, "write");
        close_socket();
        return;
    }
    if (!answer.serializer->is_done()) {
        maybe_write();
        return;
    }
    queue_.pop_front();
    record(*pending, answer.bytes_out, ec);
    if (pending->streamed_request) {
        streaming_.reset();
        body_parser_.reset();
        buffer_.shrink_to_fit();
    }
    after_answer(answer.close);
}

} // namespace switchboard::server
