import Foundation
import Hummingbird
import Metrics
import Prometheus

/// `GET /metrics`: the Prometheus text format of everything chat-api records through swift-metrics (requests and
/// their latency by route and status from Hummingbird's `MetricsMiddleware`, model latency) plus the process's
/// resident memory, read at each scrape.
struct MetricsController: Sendable {
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<ChatRequestContext>) {
        let memory = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "process", metricName: "resident_memory", unitName: "bytes",
                helpText: "Resident memory size in bytes."))
        router.get("/metrics") { _, _ -> Response in
            if let bytes = Self.residentBytes() { memory.set(Double(bytes)) }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    /// Resident set size from `/proc/self/statm` (Linux), in bytes.
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// The process-wide metrics backend: bootstrapped once, on first use, with a Prometheus registry.
public enum ChatMetrics {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
