#include "net/listener.hpp"

#include <boost/asio/strand.hpp>

#include "log.hpp"

#include "net/http_session.hpp"

namespace tandem {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& ioc, ServerContext& ctx)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), ctx_(ctx) {}

Status Listener::bind(const tcp::endpoint& endpoint) {
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Status::IoError("cannot listen on " + endpoint.address().to_string() + ":" +
                                 std::to_string(endpoint.port()) + ": " + ec.message());
  return Status::Ok();
}

std::uint16_t Listener::port() const { return acceptor_.local_endpoint().port(); }

void Listener::run() { do_accept(); }

void Listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->acceptor_.close(ec);
  });
}

void Listener::do_accept() {
  acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    static log::Limiter limiter;  // out of descriptors, each accept fails at once
    log::limited(limiter, log::Level::kError, "accept: %s", ec.message().c_str());
  } else {
    socket.set_option(tcp::no_delay(true), ec);
    // Counted open while the session lives (the gauge tandem_connections{kind="http"}):
    // a deleter, since the session's own header declares no destructor.
    bump(ctx_.metrics.http_connections_open);
    std::shared_ptr<HttpSession>(new HttpSession(std::move(socket), ctx_), [&metrics = ctx_.metrics](HttpSession* s) {
      delete s;
      metrics.http_connections_open.fetch_sub(1, std::memory_order_relaxed);
    })->run();
  }
  do_accept();
}

}  // namespace tandem
