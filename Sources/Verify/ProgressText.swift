/// The words of `gonogo verify`'s live line for a check that runs long: a latency item counts down its warm-up and
/// sampling (`sampling ID · 4 s left`), any other check counts up (`running ID · 3 s`).
public enum ProgressText {
    public static func running(
        done: Int, total: Int, id: String, elapsed: Duration, expected: Duration?
    ) -> String {
        let head = "[\(done)/\(max(total, done))] "
        let id = id.count > 50 ? "…" + id.suffix(49) : id
        if let expected {
            let left = Int((expected - elapsed).components.seconds)
            return head + "sampling \(id) · " + (left > 0 ? "\(left) s left" : "finishing")
        }
        return head + "running \(id) · \(Int(elapsed.components.seconds)) s"
    }
}
