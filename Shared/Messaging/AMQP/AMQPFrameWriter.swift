import CRabbitMQ
import Foundation

/// Outgoing publishes, acks and rejects, encoded as AMQP frames into one buffer and written
/// with one `send` per turn of the connection loop instead of librabbitmq's one `send` per
/// frame (three per publish, one per ack).
///
/// Fields are encoded by librabbitmq's own `amqp_encode_method` / `amqp_encode_properties`;
/// this type only frames them (type, channel, size, payload, frame-end) and splits bodies at
/// the negotiated frame size, as `amqp_basic_publish` does. Pure bytes: no I/O, no state
/// beyond the buffer, so it is unit-tested without a broker.
struct AMQPFrameWriter {
    private(set) var bytes: [UInt8] = []
    /// Largest frame the broker accepts (negotiated `frame_max`), header and end byte included.
    let frameMax: Int

    static let frameEnd: UInt8 = 0xCE
    private static let headerSize = 7  // type, channel, payload size

    init(frameMax: Int) {
        self.frameMax = max(frameMax, 4096)  // AMQP's minimum frame_max
    }

    var isEmpty: Bool { bytes.isEmpty }

    /// Forgets what was written (after a successful send, or a lost connection).
    mutating func reset() {
        if bytes.capacity > 1 << 20 {
            bytes = []
        } else {
            bytes.removeAll(keepingCapacity: true)
        }
    }

    /// Appends another writer's frames after these.
    mutating func append(_ other: AMQPFrameWriter) {
        bytes.append(contentsOf: other.bytes)
    }

    /// Drops the first `count` bytes (the part a short `send` wrote).
    mutating func consume(_ count: Int) {
        if count >= bytes.count { reset() } else { bytes.removeFirst(count) }
    }

    /// basic.publish + content header + body frames.
    mutating func publish(
        channel: amqp_channel_t, exchange: amqp_bytes_t, routingKey: amqp_bytes_t, mandatory: Bool,
        properties: inout amqp_basic_properties_t, body: UnsafeRawBufferPointer
    ) throws(AMQPError) {
        var method = amqp_basic_publish_t(
            ticket: 0, exchange: exchange, routing_key: routingKey, mandatory: mandatory ? 1 : 0, immediate: 0)
        let start = bytes.count
        do {
            try methodFrame(channel: channel, id: CIRRUS_BASIC_PUBLISH, &method, capacity: 16 + exchange.len + routingKey.len)
            try headerFrame(channel: channel, bodySize: body.count, &properties)
        } catch {
            bytes.removeSubrange(start...)  // never leave half a message in the stream
            throw error
        }
        let chunk = frameMax - Self.headerSize - 1
        var offset = 0
        while offset < body.count {
            let n = min(chunk, body.count - offset)
            frameHeader(type: CIRRUS_FRAME_BODY, channel: channel, size: n)
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: body[offset..<(offset + n)]))
            bytes.append(Self.frameEnd)
            offset += n
        }
    }

    mutating func ack(channel: amqp_channel_t, deliveryTag: UInt64, multiple: Bool) throws(AMQPError) {
        var m = amqp_basic_ack_t(delivery_tag: deliveryTag, multiple: multiple ? 1 : 0)
        try methodFrame(channel: channel, id: CIRRUS_BASIC_ACK, &m, capacity: 16)
    }

    mutating func reject(channel: amqp_channel_t, deliveryTag: UInt64, requeue: Bool) throws(AMQPError) {
        var m = amqp_basic_reject_t(delivery_tag: deliveryTag, requeue: requeue ? 1 : 0)
        try methodFrame(channel: channel, id: CIRRUS_BASIC_REJECT, &m, capacity: 16)
    }

    // MARK: - Framing

    private mutating func frameHeader(type: UInt8, channel: amqp_channel_t, size: Int) {
        bytes.append(type)
        bytes.append(UInt8(truncatingIfNeeded: channel >> 8))
        bytes.append(UInt8(truncatingIfNeeded: channel))
        let s = UInt32(size)
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: s >> UInt32(shift))) }
    }

    /// A method frame: class and method id, then the fields `amqp_encode_method` writes.
    private mutating func methodFrame<M>(
        channel: amqp_channel_t, id: amqp_method_number_t, _ method: inout M, capacity: Int
    ) throws(AMQPError) {
        let start = bytes.count
        frameHeader(type: CIRRUS_FRAME_METHOD, channel: channel, size: 0)
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: id >> UInt32(shift))) }
        let written = encode(capacity: capacity) { out in
            withUnsafeMutablePointer(to: &method) { amqp_encode_method(id, $0, out) }
        }
        try finish(frameStart: start, payload: 4, written, what: "method \(id)")
    }

    /// A content header frame: class id, weight, body size, then the encoded properties.
    private mutating func headerFrame(
        channel: amqp_channel_t, bodySize: Int, _ properties: inout amqp_basic_properties_t
    ) throws(AMQPError) {
        let start = bytes.count
        frameHeader(type: CIRRUS_FRAME_HEADER, channel: channel, size: 0)
        bytes.append(UInt8(truncatingIfNeeded: CIRRUS_BASIC_CLASS >> 8))
        bytes.append(UInt8(truncatingIfNeeded: CIRRUS_BASIC_CLASS))
        bytes.append(0)  // weight
        bytes.append(0)
        let size = UInt64(bodySize)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: size >> UInt64(shift))) }
        var capacity = 512
        while true {
            let mark = bytes.count
            let written = encode(capacity: capacity) { out in
                amqp_encode_properties(CIRRUS_BASIC_CLASS, &properties, out)
            }
            if written >= 0 {
                try finish(frameStart: start, payload: 12, written, what: "properties")
                return
            }
            bytes.removeSubrange(mark...)
            capacity *= 4  // large headers table: try again with room for it
            guard capacity <= frameMax else {  // ``publish(...)`` drops the half-written message
                throw AMQPError.connectionLost("basic.publish: message properties do not fit a frame (\(frameMax) bytes)")
            }
        }
    }

    /// Runs a librabbitmq encoder over `capacity` spare bytes at the end; returns what it wrote
    /// (negative: its error) and keeps exactly that many.
    private mutating func encode(capacity: Int, _ body: (amqp_bytes_t) -> Int32) -> Int {
        let mark = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: capacity))
        let written = bytes.withUnsafeMutableBytes { raw -> Int32 in
            body(amqp_bytes_t(len: capacity, bytes: raw.baseAddress! + mark))
        }
        bytes.removeSubrange((mark + max(Int(written), 0))...)
        return Int(written)
    }

    /// Writes the payload size into the frame header and appends the end byte.
    private mutating func finish(frameStart start: Int, payload prefix: Int, _ written: Int, what: String) throws(AMQPError) {
        guard written >= 0 else {
            bytes.removeSubrange(start...)
            throw AMQPError.connectionLost("encode \(what): \(String(cString: amqp_error_string2(Int32(written))))")
        }
        let size = UInt32(prefix + written)
        for k in 0..<4 { bytes[start + 3 + k] = UInt8(truncatingIfNeeded: size >> UInt32(24 - 8 * k)) }
        bytes.append(Self.frameEnd)
    }
}
