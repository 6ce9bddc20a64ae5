import Dispatch

/// The record-level half of `check` on several threads: each worker owns a `RecordCheck` and
/// checks a contiguous run of a batch's lines; the split-level bookkeeping then reads the
/// results in line order, so the report is the same for any number of workers.
struct RecordCheckPool {
    /// One line's outcome: its problems, and the record when it could be read.
    typealias Outcome = (problems: [RecordCheck.Problem], record: CheckedRecord?)

    /// Lines per batch: enough to amortize the threads' start, few enough to keep memory flat.
    static let batch = 2048

    private var workers: [RecordCheck]
    private(set) var outcomes: [Outcome]

    /// - Parameter make: a fresh `RecordCheck` for worker `w` (none shares a task's state).
    init(jobs: Int, make: (_ w: Int) -> RecordCheck) {
        workers = (0..<max(1, jobs)).map(make)
        outcomes = Array(repeating: ([], nil), count: Self.batch)
    }

    /// Explanations replayed by all workers so far.
    var explanations: Int { workers.reduce(0) { $0 + $1.explanations } }

    /// Checks `lines` (at most `batch` ranges of `bytes`) into `outcomes[0..<lines.count]`.
    mutating func check(_ bytes: [UInt8], lines: ArraySlice<Range<Int>>, split: String) {
        precondition(lines.count <= Self.batch)
        let n = lines.count
        let per = (n + workers.count - 1) / workers.count
        let used = per == 0 ? 0 : (n + per - 1) / per
        let first = lines.startIndex
        bytes.withUnsafeBufferPointer { raw in
            if used <= 1 {
                for i in 0..<n { outcomes[i] = Self.outcome(&workers[0], raw, lines[first + i], split) }
                return
            }
            workers.withUnsafeMutableBufferPointer { states in
                outcomes.withUnsafeMutableBufferPointer { out in
                    let shared = Shared(raw: raw, states: states, out: out)
                    DispatchQueue.concurrentPerform(iterations: used) { w in
                        for i in (w * per)..<min(n, (w + 1) * per) {
                            shared.out[i] = Self.outcome(&shared.states[w], shared.raw, lines[first + i], split)
                        }
                    }
                }
            }
        }
    }

    private static func outcome(
        _ state: inout RecordCheck,
        _ raw: UnsafeBufferPointer<UInt8>,
        _ line: Range<Int>,
        _ split: String
    ) -> Outcome {
        let problems = state.check(UnsafeBufferPointer(rebasing: raw[line]), split: split)
        return (problems, state.record)
    }

    /// The buffers the workers share: each writes only its own state and its own outcomes.
    ///
    /// `@unchecked` stays (not a `Mutex`): these are unsafe pointers into storage that outlives
    /// `concurrentPerform`, and the workers write disjoint slots without a lock by design; a
    /// `Mutex` would serialize the checking it exists to spread over threads.
    private struct Shared: @unchecked Sendable {
        let raw: UnsafeBufferPointer<UInt8>
        let states: UnsafeMutableBufferPointer<RecordCheck>
        let out: UnsafeMutableBufferPointer<Outcome>
    }

    /// The non-empty lines of `bytes` (without their newline), in order.
    static func lines(_ bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        for end in bytes.indices where bytes[end] == 0x0A {
            if end > start { out.append(start..<end) }
            start = end + 1
        }
        if start < bytes.count { out.append(start..<bytes.count) }
        return out
    }
}
