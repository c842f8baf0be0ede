import ServiceLifecycle

/// Returns freed heap to the kernel every `[metadata] memory_trim_interval` seconds: a boot
/// storm's thousand connections leave their buffers in malloc's free lists otherwise.
public struct MemoryTrim: Service {
    let interval: Double

    public init(interval: Double) {
        self.interval = interval
    }

    public func run() async throws {
        guard interval > 0 else { return await gracefulShutdownOrCancel() }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                _ = releaseFreeMemory(0)
            }
        }
    }

    private func gracefulShutdownOrCancel() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        }
    }
}
