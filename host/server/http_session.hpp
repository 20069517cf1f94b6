// One HTTP/1.1 connection: reads requests, hands them to route handlers, writes the answers
// back in request order. Everything runs on the connection's strand; handlers run on the
// worker pool and post their response back onto that strand.
//
// A request is decided on its header before its body is read: the route is matched, a
// CORS preflight or OPTIONS is answered, a full worker queue answers 503, the route's gate
// (authentication) runs, and the body's announced size is checked against the route's limit
// (the large one only for a caller the gate admitted). Any of these answers at once, without
// reading the body (the connection then closes); otherwise `Expect: 100-continue` is
// answered and the body is read within that limit.
//
// A streamed route (BodyMode::streamed) gets its request right after the gate, without the
// body: its handler reads the body through Request::body_stream, piece by piece, each read a
// step on this strand with read_timeout as the time allowed for some bytes to arrive. A
// handler on a worker may answer with a streamed body (Response::stream), which this session
// writes as the producer hands it over, holding at most a few pieces. No further request is
// read on the connection until a streamed request is answered, and if its handler left some
// of its body unread, the connection closes after the answer (streaming in
// http_session_streaming.cpp).
//
// Reading ahead (pipelining) continues while fewer than `pipeline_limit` answers are
// pending and those finished but not yet sent are small: a client that never reads its
// answers cannot make the host hold many. Three timers bound a connection: `idle_timeout`
// while it waits for a request and nothing is in flight, `read_timeout` from a request's
// first byte to its last (408 then close), `write_timeout` per response. A connection that is
// closed after a response first shuts down its sending side and discards what the client still
// sends for a moment, so the client reads the answer instead of a reset. A connection past
// the server's connection caps gets one 503 and is closed. A deferred answer (a long poll)
// holds its place in the queue, without a worker, until it is completed, times out, or the
// server stops.
//
// Over TLS (session_stream.hpp) the same code runs on the TLS stream: the handshake comes
// first, after the connection caps (a refused connection gets its 503 over TLS), bounded by
// read_timeout; a handshake that fails or times out closes that connection only and is
// counted in switchboard_http_tls_handshake_failures_total.
#pragma once

#include "host/server/deferred_response.hpp"
#include "host/server/request.hpp"
#include "host/server/response.hpp"
#include "host/server/session_context.hpp"
#include "host/server/session_stream.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

namespace switchboard::server {

// A streamed answer's state and the producer's hand-over to the session
// (http_session_streaming.cpp).
struct StreamedAnswer;
struct StreamChannel;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    // `stream`'s socket must have been accepted on a strand of its own.
    HttpSession(SessionStream&& stream, SessionContext& context);
    // Plain HTTP on `socket`.
    HttpSession(boost::asio::ip::tcp::socket&& socket, SessionContext& context)
        : HttpSession(SessionStream(std::move(socket)), context) {}
    ~HttpSession();

    HttpSession(const HttpSession&) = delete;
    HttpSession& operator=(const HttpSession&) = delete;

    // Registers with the connection registry and starts reading (or, past the caps, answers
    // 503 and closes).
    void run();
    // Graceful: read no new request, answer those in flight, then close. Thread-safe.
    void shutdown();
    // Now: close the socket, drop what is pending. Thread-safe.
    void close();

private:
    // One request, from the moment its header is read to the moment its answer is written.
    struct Pending {
        std::string request_id;
        std::string method;
        std::string path; // never the query string, which may carry OAuth codes
        std::string route;
        std::string origin; // the Origin header, for the CORS headers of the answer
        std::string tenant; // for the access log, once known
        std::chrono::steady_clock::time_point started;
        unsigned version = 11;
        bool keep_alive = true;
        bool head = false;
        bool close_after = false;        // the server ends the connection after this answer
        bool in_flight = false;          // counted in the in-flight gauge until answered
        bool connection_refused = false; // no request was read: the 503 of a capped connection
        std::size_t bytes_in = 0;
        std::size_t unsent_bytes = 0; // of the answer's body, counted in unsent_bytes_
        unsigned status = 0;
        std::optional<boost::beast::http::response<boost::beast::http::string_body>> response;
        // A long poll waiting for its answer (see deferred_response.hpp), with its timeout.
        std::shared_ptr<DeferredResponse> deferred;
        std::unique_ptr<boost::asio::steady_timer> deferred_timer;
        // The request's body is read by its handler (a streamed route).
        bool streamed_request = false;
        // The handler answered with a streamed body: the header alone goes out as `response`
        // (HEAD, or a status without a body), with this length if it was announced...
        bool streamed_header_only = false;
        std::optional<std::uint64_t> streamed_length;
        // ...or the body follows as its producer writes it.
        std::shared_ptr<StreamedAnswer> streamed;
    };

    // The request whose header was read and whose body is being read.
    struct Incoming {
        Request request; // without its body until on_body
        const Route* route = nullptr;
        std::shared_ptr<Pending> pending;
        std::uint64_t body_limit = 0;
    };

    enum class ReadState {
        idle,    // waiting for the first byte of the next request
        reading, // a request has started arriving
        paused,  // not reading: too many answers pending, or between two steps
        done,    // no more requests on this connection
    };

    void refuse_connection(std::string_view reason, std::string_view message);
    // Runs `next` once the TLS handshake is done (at once without TLS); a failed handshake
    // closes the connection instead.
    void after_handshake(std::function<void()> next);

    void start_reading();
    void on_readable(boost::beast::error_code ec);
    void read_request();
    void on_header(boost::beast::error_code ec, std::size_t bytes);
    std::optional<Response> admit(Incoming& incoming);
    std::optional<Response> run_gate(const Route& route, Request& request) const;
    void answer_early(Response response);
    void on_continue_written(boost::beast::error_code ec, std::size_t bytes);
    void read_body();
    void on_body(boost::beast::error_code ec, std::size_t bytes);
    void on_read_error(boost::beast::error_code ec);

    std::shared_ptr<Pending> pending_from_header() const;
    void dispatch(Incoming incoming);
    Response busy_response(const std::string& request_id) const;
    void reject(std::shared_ptr<Pending> pending, http::status status, std::string_view code,
                std::string_view message);
    void respond(const std::shared_ptr<Pending>& pending, Response response);
    void finalize(Pending& pending, Response response);
    void defer(const std::shared_ptr<Pending>& pending, std::shared_ptr<DeferredResponse> later);
    // Ends every long poll: with its fallback (stopping) or with nothing (closed).
    void expire_deferred();
    void abandon_deferred();
    bool has_deferred() const;

    void maybe_write();
    void on_write(bool close, boost::beast::error_code ec, std::size_t bytes);
    void record(const Pending& pending, std::size_t bytes_out, boost::beast::error_code ec);

    void finish_if_idle();
    void linger();
    void drain();
    void close_socket();

    void arm_read_timer(std::chrono::steady_clock::duration duration);
    void cancel_read_timer();
    void on_read_timeout();
    void arm_write_timer();
    void cancel_write_timer();

    // ---- streamed bodies (http_session_streaming.cpp) ----
    class BodyReader;
    class BodyWriter;
    using ReadPromise = std::promise<Result<std::size_t>>;

    // Hands the request whose header was read to its streamed route, body unread.
    void start_streamed(bool expects_continue);
    void read_streamed(char* into, std::size_t size, std::shared_ptr<ReadPromise> done);
    void on_streamed_read(char* into, std::size_t size, std::shared_ptr<ReadPromise> done,
                          boost::beast::error_code ec);
    // On the worker that ran the handler: sends the header, runs the producer.
    void produce(const std::shared_ptr<Pending>& pending, Response response, bool head);
    void respond_streamed(const std::shared_ptr<Pending>& pending, Response response,
                          std::shared_ptr<StreamChannel> channel);
    void write_streamed(Pending& pending);
    void on_streamed_write(boost::beast::error_code ec, std::size_t bytes);
    // The headers every answer gets (request id, security, CORS, handler's), on `fields`.
    void decorate(Pending& pending, Response& response,
                  boost::beast::http::fields& fields) const;
    // The connection can take no more of `answer`: its producer's writes fail from now on.
    static void abandon(StreamedAnswer& answer);
    // After an answer went out whole: read on, linger or wait.
    void after_answer(bool close);

    SessionStream stream_;
    SessionContext& context_;
    std::string remote_;
    std::uint64_t registry_id_ = 0;

    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    // A streamed request's body, read by its handler through a BodyReader.
    std::optional<boost::beast::http::request_parser<boost::beast::http::buffer_body>>
        body_parser_;
    std::shared_ptr<Pending> streaming_; // the streamed request being handled, if any
    bool continue_owed_ = false;         // its `Expect: 100-continue`, answered on first read
    bool streamed_read_active_ = false;
    std::uint64_t streamed_body_limit_ = 0;
    std::optional<Incoming> incoming_;
    boost::beast::http::response<boost::beast::http::empty_body> continue_;
    std::chrono::steady_clock::time_point request_started_;
    std::deque<std::shared_ptr<Pending>> queue_; // request order; front is written next
    std::size_t unsent_bytes_ = 0; // answer bodies in queue_, finished and not yet written

    boost::asio::steady_timer read_timer_;
    boost::asio::steady_timer write_timer_;
    std::uint64_t read_timer_generation_ = 0;
    std::uint64_t write_timer_generation_ = 0;

    ReadState read_state_ = ReadState::paused;
    bool no_more_requests_ = false;
    bool read_timed_out_ = false;
    bool handshaking_ = false;
    bool writing_ = false;
    bool shutting_down_ = false;
    bool lingering_ = false;
    bool closed_ = false;
    std::size_t drained_ = 0;
};

} // namespace switchboard::server
