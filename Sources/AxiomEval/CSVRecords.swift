/// RFC 4180 records assembled from the lines `LineReader` yields, as Python's `csv` module and
/// pandas write them: quoted cells may hold commas, doubled quotes and line breaks (kept as
/// "\n"); CRLF line ends are dropped by the line reader; a UTF-8 byte order mark before the first
/// line is dropped; a blank line outside a quoted cell is skipped. Like Python's reader it is
/// lenient about a quote inside an unquoted cell and text after a closing quote (kept as text).
///
/// The cells of the current record live back to back in one reused byte buffer: reading a record
/// allocates only for the cells a caller turns into strings.
struct CSVRecords {
    /// The bytes of the current record's cells, back to back.
    private var bytes: [UInt8] = []
    /// `ends[k]`: where cell k ends in `bytes` (cell k starts at `ends[k - 1]`, or 0).
    private var ends: [Int] = []
    /// The line the current record starts on.
    private(set) var startLine = 0
    private var state = State.cellStart
    /// The record continues on the next line (a quoted cell holds a line break).
    private(set) var isOpen = false
    /// The longest record accepted, in bytes.
    let maxBytes: Int

    private enum State {
        case cellStart, unquoted, quoted, quoteInQuoted
    }

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
        bytes.reserveCapacity(4096)
        ends.reserveCapacity(16)
    }

    /// The number of cells of the record `feed` completed.
    var count: Int { ends.count }

    /// Cell `k` of the record `feed` completed.
    func cell(_ k: Int) -> String {
        let start = k == 0 ? 0 : ends[k - 1]
        return bytes.withUnsafeBufferPointer { String(decoding: $0[start..<ends[k]], as: UTF8.self) }
    }

    /// Reads line `number`; true when it completes a record (read it with `count` and `cell`
    /// before the next call).
    ///
    /// - Throws: `CSVRecords.TooLong` when the record grows past `maxBytes`.
    mutating func feed(_ line: UnsafeBufferPointer<UInt8>, number: Int) throws -> Bool {
        var line = line
        if number == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = UnsafeBufferPointer(rebasing: line[3...]) }
        if isOpen {
            bytes.append(0x0A)
        } else {
            if line.isEmpty { return false }
            bytes.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            startLine = number
            state = .cellStart
        }
        for b in line { step(b) }
        if bytes.count > maxBytes { throw TooLong(line: startLine, limit: maxBytes) }
        isOpen = state == .quoted
        if isOpen { return false }
        ends.append(bytes.count)
        return true
    }

    private mutating func step(_ b: UInt8) {
        let quote: UInt8 = 0x22
        let comma: UInt8 = 0x2C
        switch state {
        case .cellStart:
            if b == quote {
                state = .quoted
            } else if b == comma {
                ends.append(bytes.count)
            } else {
                bytes.append(b)
                state = .unquoted
            }
        case .unquoted:
            if b == comma {
                ends.append(bytes.count)
                state = .cellStart
            } else {
                bytes.append(b)
            }
        case .quoted:
            if b == quote { state = .quoteInQuoted } else { bytes.append(b) }
        case .quoteInQuoted:
            if b == quote {
                bytes.append(quote)
                state = .quoted
            } else if b == comma {
                ends.append(bytes.count)
                state = .cellStart
            } else {
                bytes.append(b)
                state = .unquoted
            }
        }
    }

    /// A record longer than the limit.
    struct TooLong: Error {
        var line: Int
        var limit: Int
    }

    /// The cells of one line (a header), quotes removed; for format detection.
    static func cells(of line: Substring) -> [String] {
        var reader = CSVRecords(maxBytes: .max)
        var utf8 = Array(line.utf8)
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8.removeFirst(3) }
        let complete = utf8.withUnsafeBufferPointer { (try? reader.feed($0, number: 2)) ?? false }
        guard complete || reader.isOpen else { return [] }
        if reader.isOpen { reader.ends.append(reader.bytes.count) }
        return (0..<reader.count).map { reader.cell($0) }
    }
}
