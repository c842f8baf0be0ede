// C shim over Debian's librabbitmq (rabbitmq-c 0.11, flat headers; 0.12+ nests them).
// Swift cannot call variadic C functions or import function-like/cast macros, so this
// header re-exports what the Messaging module needs as typed values and inline functions.
#ifndef CIRRUS_CRABBITMQ_SHIM_H
#define CIRRUS_CRABBITMQ_SHIM_H

#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#include <rabbitmq-c/tcp_socket.h>
#include <rabbitmq-c/framing.h>
#else
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <amqp_framing.h>
#endif
#include <sys/time.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/random.h>

static const amqp_method_number_t CIRRUS_BASIC_DELIVER = AMQP_BASIC_DELIVER_METHOD;
static const amqp_method_number_t CIRRUS_BASIC_ACK = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t CIRRUS_BASIC_NACK = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t CIRRUS_BASIC_RETURN = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t CIRRUS_BASIC_CANCEL = AMQP_BASIC_CANCEL_METHOD;
static const amqp_method_number_t CIRRUS_CHANNEL_CLOSE = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t CIRRUS_CONNECTION_CLOSE = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_method_number_t CIRRUS_CONNECTION_BLOCKED = AMQP_CONNECTION_BLOCKED_METHOD;
static const amqp_method_number_t CIRRUS_CONNECTION_UNBLOCKED = AMQP_CONNECTION_UNBLOCKED_METHOD;
static const amqp_method_number_t CIRRUS_BASIC_PUBLISH = AMQP_BASIC_PUBLISH_METHOD;
static const amqp_method_number_t CIRRUS_BASIC_REJECT = AMQP_BASIC_REJECT_METHOD;
static const uint16_t CIRRUS_BASIC_CLASS = AMQP_BASIC_CLASS;

static const amqp_flags_t CIRRUS_FLAG_CONTENT_TYPE = AMQP_BASIC_CONTENT_TYPE_FLAG;
static const amqp_flags_t CIRRUS_FLAG_CONTENT_ENCODING = AMQP_BASIC_CONTENT_ENCODING_FLAG;
static const amqp_flags_t CIRRUS_FLAG_HEADERS = AMQP_BASIC_HEADERS_FLAG;
static const amqp_flags_t CIRRUS_FLAG_DELIVERY_MODE = AMQP_BASIC_DELIVERY_MODE_FLAG;
static const amqp_flags_t CIRRUS_FLAG_CORRELATION_ID = AMQP_BASIC_CORRELATION_ID_FLAG;
static const amqp_flags_t CIRRUS_FLAG_REPLY_TO = AMQP_BASIC_REPLY_TO_FLAG;
static const amqp_flags_t CIRRUS_FLAG_EXPIRATION = AMQP_BASIC_EXPIRATION_FLAG;
static const amqp_flags_t CIRRUS_FLAG_MESSAGE_ID = AMQP_BASIC_MESSAGE_ID_FLAG;

static const uint8_t CIRRUS_FRAME_METHOD = AMQP_FRAME_METHOD;
static const uint8_t CIRRUS_FRAME_HEADER = AMQP_FRAME_HEADER;
static const uint8_t CIRRUS_FRAME_BODY = AMQP_FRAME_BODY;
static const uint8_t CIRRUS_FRAME_HEARTBEAT = AMQP_FRAME_HEARTBEAT;

/// Logs in with PLAIN credentials and client properties (variadic in C).
static inline amqp_rpc_reply_t cirrus_login(amqp_connection_state_t state, const char *vhost,
                                            int channel_max, int frame_max, int heartbeat,
                                            const amqp_table_t *properties,
                                            const char *user, const char *password) {
    return amqp_login_with_properties(state, vhost, channel_max, frame_max, heartbeat, properties,
                                      AMQP_SASL_METHOD_PLAIN, user, password);
}

/// A zero timeval for non-blocking frame reads.
static inline struct timeval cirrus_timeval(long seconds, long microseconds) {
    struct timeval tv;
    tv.tv_sec = seconds;
    tv.tv_usec = microseconds;
    return tv;
}

/// A non-blocking, close-on-exec eventfd used to wake the connection thread.
/* getrandom(2): Glibc's Swift module does not export <sys/random.h>. */
static inline long cirrus_getrandom(void *buf, size_t len) { return (long)getrandom(buf, len, 0); }

static inline int cirrus_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

/// Sets TCP_USER_TIMEOUT so a dead peer is noticed even while blocked in a send.
static inline int cirrus_set_user_timeout(int fd, unsigned int ms) {
    return setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof(ms));
}

#endif
