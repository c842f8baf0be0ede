import CRabbitMQ
import Foundation
@testable import Messaging
import Testing

/// The frames the connection writes itself, checked byte by byte against AMQP 0-9-1 §4.2.
@Suite("AMQP frame writer")
struct AMQPFrameWriterTests {
    /// One frame read back: type, channel, payload.
    struct Frame: Equatable {
        var type: UInt8
        var channel: UInt16
        var payload: [UInt8]
    }

    static func frames(_ bytes: [UInt8]) -> [Frame]? {
        var out: [Frame] = []
        var i = 0
        while i < bytes.count {
            guard i + 7 <= bytes.count else { return nil }
            let size = bytes[(i + 3)..<(i + 7)].reduce(0) { $0 << 8 | Int($1) }
            guard i + 7 + size + 1 <= bytes.count, bytes[i + 7 + size] == 0xCE else { return nil }
            out.append(Frame(type: bytes[i], channel: UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i + 2]),
                             payload: Array(bytes[(i + 7)..<(i + 7 + size)])))
            i += 7 + size + 1
        }
        return out
    }

    static func be(_ v: UInt64, _ n: Int) -> [UInt8] {
        (0..<n).map { UInt8(truncatingIfNeeded: v >> UInt64(8 * (n - 1 - $0))) }
    }

    @Test("basic.ack and basic.reject are single method frames")
    func ackAndReject() throws {
        var w = AMQPFrameWriter(frameMax: 131_072)
        try w.ack(channel: 1, deliveryTag: 0x0102_0304_0506_0708, multiple: true)
        try w.reject(channel: 1, deliveryTag: 9, requeue: false)
        #expect(w.bytes == [1, 0, 1, 0, 0, 0, 13, 0, 60, 0, 80, 1, 2, 3, 4, 5, 6, 7, 8, 1, 0xCE]
            + [1, 0, 1, 0, 0, 0, 13, 0, 60, 0, 90] + Self.be(9, 8) + [0, 0xCE])
        w.reset()
        #expect(w.isEmpty)
    }

    @Test("basic.publish is a method frame, a content header and body frames split at frame_max")
    func publish() throws {
        var w = AMQPFrameWriter(frameMax: 4096)
        let body = [UInt8]((0..<10_000).map { UInt8(truncatingIfNeeded: $0) })
        let arena = AMQPArena()
        var props = amqp_basic_properties_t()
        props._flags = CIRRUS_FLAG_CONTENT_TYPE | CIRRUS_FLAG_DELIVERY_MODE | CIRRUS_FLAG_CORRELATION_ID
        props.content_type = arena.bytes("application/json")
        props.delivery_mode = 2
        props.correlation_id = arena.bytes("m1")
        try body.withUnsafeBytes { raw in
            try w.publish(
                channel: 2, exchange: arena.bytes("cirrus"), routingKey: arena.bytes("compute.host1"), mandatory: true,
                properties: &props, body: raw)
        }
        let f = try #require(Self.frames(w.bytes))
        #expect(f.count == 2 + 3)  // 4088 + 4088 + 1824 body bytes
        #expect(f.allSatisfy { $0.channel == 2 })
        #expect(f[0].type == 1)
        #expect(f[0].payload == [0, 60, 0, 40, 0, 0, 6] + Array("cirrus".utf8) + [13] + Array("compute.host1".utf8) + [1])
        #expect(f[1].type == 2)
        #expect(Array(f[1].payload[0..<12]) == [0, 60, 0, 0] + Self.be(10_000, 8))
        // flags: content-type (bit 15), delivery-mode (bit 12), correlation-id (bit 10)
        #expect(Array(f[1].payload[12...]) == [0x94, 0x00, 16] + Array("application/json".utf8) + [2, 2] + Array("m1".utf8))
        #expect(f[2...].allSatisfy { $0.type == 3 })
        #expect(f[2...].map(\.payload.count) == [4088, 4088, 1824])
        #expect(f[2...].flatMap(\.payload) == body)
    }

    @Test("an empty body sends no body frame; a failed encode leaves nothing behind")
    func emptyBodyAndFailure() throws {
        var w = AMQPFrameWriter(frameMax: 131_072)
        let arena = AMQPArena()
        var props = amqp_basic_properties_t()
        try w.publish(
            channel: 1, exchange: arena.bytes(""), routingKey: arena.bytes("q"), mandatory: false, properties: &props,
            body: UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(try #require(Self.frames(w.bytes)).map(\.type) == [1, 2])
        let before = w.bytes
        let long = String(repeating: "x", count: 300)  // a shortstr holds 255 bytes at most
        #expect(throws: AMQPError.self) {
            try w.publish(
                channel: 1, exchange: arena.bytes(long), routingKey: arena.bytes("q"), mandatory: false,
                properties: &props, body: UnsafeRawBufferPointer(start: nil, count: 0))
        }
        #expect(w.bytes == before)
    }
}
