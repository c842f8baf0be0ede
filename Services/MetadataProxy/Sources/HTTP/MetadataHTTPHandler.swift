import NIOCore
import NIOHTTP1

/// The SwiftNIO side of one connection: collects a request (bounded body), asks
/// ``MetadataService`` and writes the answer, keeping the connection alive when the client
/// wants it. Not thread-safe: confined to its channel's event loop.
final class MetadataHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let service: MetadataService
    let listener: MetadataRequest.Listener
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false
    private var peer: String?

    init(service: MetadataService, listener: MetadataRequest.Listener) {
        self.service = service
        self.listener = listener
    }

    func handlerAdded(context: ChannelHandlerContext) {
        peer = context.channel.remoteAddress?.ipAddress
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.removeAll(keepingCapacity: true)
            tooLarge = false
        case .body(var buffer):
            if tooLarge || body.count + buffer.readableBytes > service.options.maxBodyBytes {
                tooLarge = true
            } else if let bytes = buffer.readBytes(length: buffer.readableBytes) {
                body += bytes
            }
        case .end:
            guard let h = head else { return }
            head = nil
            if tooLarge {
                write(context: context, head: h, response: .error(413), close: true)
                return
            }
            let request = MetadataRequest(
                method: h.method.rawValue, target: h.uri, headers: h.headers.map { ($0.name, $0.value) }, body: body, peer: peer,
                listener: listener)
            switch service.handle(request) {
            case .done(let response):
                write(context: context, head: h, response: response, close: false)
            case .pending(let work):
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                let promise = context.eventLoop.makePromise(of: MetadataResponse.self)
                promise.completeWithTask { await work() }
                promise.futureResult.whenSuccess { response in
                    let (handler, ctx) = bound.value
                    handler.write(context: ctx, head: h, response: response, close: false)
                }
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func write(context: ChannelHandlerContext, head h: HTTPRequestHead, response r: MetadataResponse, close: Bool) {
        guard context.channel.isActive else { return }
        let keepAlive = h.isKeepAlive && !close
        var headers = HTTPHeaders()
        headers.reserveCapacity(4 + r.headers.count)
        headers.add(name: "Content-Type", value: r.contentType)
        headers.add(name: "Content-Length", value: String(r.body.count))
        for (name, value) in r.headers { headers.add(name: name, value: value) }
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if h.version.major == 1 && h.version.minor == 0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        let status = HTTPResponseStatus(statusCode: r.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: h.version, status: status, headers: headers))), promise: nil)
        if h.method != .HEAD && !r.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: r.body)))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
