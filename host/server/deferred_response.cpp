#include "host/server/deferred_response.hpp"

namespace switchboard::server {

DeferredResponse::DeferredResponse(std::chrono::milliseconds timeout, Response fallback)
    : timeout_(timeout), fallback_(std::move(fallback)) {
    fallback_.deferred.reset();
}

bool DeferredResponse::complete(Response response) {
    response.deferred.reset();
    std::function<void(Response)> deliver;
    {
        std::lock_guard lock(mutex_);
        if (done_) return false;
        done_ = true;
        if (!deliver_) {
            early_ = std::move(response);
            return true;
        }
        deliver = std::move(deliver_);
    }
    // Outside the lock: delivering posts onto the connection's strand.
    deliver(std::move(response));
    return true;
}

bool DeferredResponse::done() const {
    std::lock_guard lock(mutex_);
    return done_;
}

void DeferredResponse::attach(std::function<void(Response)> deliver) {
    std::optional<Response> early;
    {
        std::lock_guard lock(mutex_);
        if (!early_) {
            if (!done_) deliver_ = std::move(deliver);
            return;
        }
        early = std::move(early_);
        early_.reset();
    }
    deliver(std::move(*early));
}

void DeferredResponse::expire() {
    Response fallback;
    {
        std::lock_guard lock(mutex_);
        if (done_) return;
        fallback = fallback_;
    }
    complete(std::move(fallback));
}

void DeferredResponse::abandon() {
    std::lock_guard lock(mutex_);
    done_ = true;
    deliver_ = nullptr;
    early_.reset();
}

} // namespace switchboard::server
