import Foundation
import ServiceLifecycle

/// Hands create requests' background work to the ``BootOrchestrator``: the HTTP handler
/// submits and answers 202 at once; ``run()`` (a `Service`) works through the jobs with
/// bounded concurrency, and on graceful shutdown finishes those already submitted.
/// `inline` queues run each job inside `submit` (for tests: deterministic, no timing).
public final class BootQueue: Service, Sendable {
    public let orchestrator: BootOrchestrator
    public let concurrency: Int
    let inline: Bool
    let stream: AsyncStream<BootJob>
    let continuation: AsyncStream<BootJob>.Continuation

    public init(orchestrator: BootOrchestrator, concurrency: Int = 64, inline: Bool = false) {
        self.orchestrator = orchestrator
        self.concurrency = max(1, concurrency)
        self.inline = inline
        (stream, continuation) = AsyncStream.makeStream(of: BootJob.self)
    }

    public func submit(_ job: BootJob) async {
        if inline {
            await orchestrator.schedule(job)
        } else {
            continuation.yield(job)
        }
    }

    public func run() async throws {
        let continuation = self.continuation
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                var active = 0
                for await job in stream {
                    if active >= concurrency {
                        await group.next()
                        active -= 1
                    }
                    group.addTask { await self.orchestrator.schedule(job) }
                    active += 1
                }
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
    }
}
