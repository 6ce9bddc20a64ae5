import AxiomCore
import Dispatch
import Synchronization

/// The record-level half of `check` on several threads: each worker owns a `RecordCheck` and
/// checks a contiguous run of a batch's lines; the split-level bookkeeping then reads the
/// results in line order, so the report is the same for any number of workers.
struct RecordCheckPool {
    /// One line's outcome: its problems, and the record when it could be read.
    typealias Outcome = (problems: [RecordCheck.Problem], record: CheckedRecord?)

    /// Lines per batch: enough to amortize the threads' start, few enough to keep memory flat.
    static let batch = 2048

    /// Each worker's state (nil only while it is out on a thread).
    private var workers: [RecordCheck?]
    private(set) var outcomes: [Outcome]

    /// - Parameter make: a fresh `RecordCheck` for worker `w` (none shares a task's state).
    init(jobs: Int, make: (_ w: Int) -> RecordCheck) {
        workers = (0..<max(1, jobs)).map(make)
        outcomes = Array(repeating: ([], nil), count: Self.batch)
    }

    /// Explanations replayed by all workers so far.
    var explanations: Int { workers.reduce(0) { $0 + ($1?.explanations ?? 0) } }

    /// Checks `lines` (at most `batch` ranges of `bytes`) into `outcomes[0..<lines.count]`.
    mutating func check(_ bytes: [UInt8], lines: ArraySlice<Range<Int>>, split: String) {
        precondition(lines.count <= Self.batch)
        let n = lines.count
        let per = (n + workers.count - 1) / workers.count
        let used = per == 0 ? 0 : (n + per - 1) / per
        let first = lines.startIndex
        if used <= 1 {
            bytes.withUnsafeBufferPointer { raw in
                for i in 0..<n { outcomes[i] = Self.outcome(&workers[0]!, raw, lines[first + i], split) }
            }
            return
        }
        // Each worker takes its own state out of its slot, checks its run of lines, and puts the
        // state back with the outcomes: one lock per worker and batch, none per record.
        let slots = Mutex<[Slot]>((0..<used).map { Slot(state: workers[$0].take()) })
        let lines = Array(lines)
        @Sendable func checkRun(_ w: Int) {
            var state = slots.withLock { $0[w].state.take()! }
            var mine: [Outcome] = []
            mine.reserveCapacity(per)
            bytes.withUnsafeBufferPointer { raw in
                for i in (w * per)..<min(n, (w + 1) * per) { mine.append(Self.outcome(&state, raw, lines[i], split)) }
            }
            slots.withLock { $0[w] = Slot(state: state, outcomes: mine) }
        }
        let catalog = TaskCatalog.scope
        DispatchQueue.concurrentPerform(iterations: used) { w in
            catalog.run { checkRun(w) }
        }
        slots.withLock { slots in
            for w in 0..<used {
                workers[w] = slots[w].state.take()
                for (k, outcome) in slots[w].outcomes.enumerated() { outcomes[w * per + k] = outcome }
            }
        }
    }

    /// A worker's state while it is out, and the outcomes it brings back.
    private struct Slot {
        var state: RecordCheck?
        var outcomes: [Outcome] = []
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
