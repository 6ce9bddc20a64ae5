import Foundation

/// A write or read failure with the path and the system's reason.
public struct IOError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public static func errno(_ path: String, _ action: String) -> IOError {
        IOError(path: path, message: "\(action) failed: \(System.describe(System.errno))")
    }
}

/// A file written to a temporary name, synced, then renamed into place: readers see the whole
/// file or none of it, and a rerun after a crash starts clean.
///
/// It owns its descriptor and temporary file (non-copyable): dropped without `commit()` — a
/// throw between open and commit included — it closes the descriptor and removes the temporary.
public struct AtomicFile: ~Copyable {
    public let path: String
    let temporary: String
    private var fd: Int32
    private var committed = false

    public init(path: String) throws {
        let temporary = path + ".tmp-\(System.processID)"
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw IOError(path: directory, message: "cannot create the directory: \(error.localizedDescription)")
        }
        let fd = System.createForWriting(temporary)
        if fd < 0 { throw IOError.errno(temporary, "open") }
        self.path = path
        self.temporary = temporary
        self.fd = fd
    }

    deinit {
        guard !committed else { return }
        if fd >= 0 { System.close(fd) }
        System.remove(temporary)
    }

    public mutating func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public mutating func write(_ raw: UnsafeRawBufferPointer) throws {
        guard fd >= 0 else { throw IOError(path: path, message: "write after the file was closed") }
        if !System.writeAll(fd, raw) { throw IOError.errno(path, "write") }
    }

    /// Syncs, closes and renames into place.
    public consuming func commit() throws {
        if !System.sync(fd) { throw IOError.errno(path, "fsync") }
        let closed = System.close(fd)
        fd = -1
        if !closed { throw IOError.errno(path, "close") }
        if !System.rename(temporary, path) { throw IOError.errno(path, "rename") }
        committed = true
    }

    /// Closes and removes the temporary file, leaving nothing behind.
    public consuming func discard() {}

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        var f = try AtomicFile(path: path)
        try f.write(bytes)
        try f.commit()
    }
}

extension AtomicFile {
    /// `name`'s final name and writer's process id, when `name` is a temporary name
    /// (`<final>.tmp-<pid>`).
    public static func temporaryOwner(_ name: String) -> (final: String, pid: Int32)? {
        guard let marker = name.range(of: ".tmp-", options: .backwards), marker.lowerBound > name.startIndex else {
            return nil
        }
        let digits = name[marker.upperBound...]
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let pid = Int32(digits)
        else { return nil }
        return (String(name[..<marker.lowerBound]), pid)
    }

    /// The temporary files under `directory`, as paths relative to it, in sorted order.
    public static func temporaries(in directory: String) -> [(path: String, final: String, pid: Int32)] {
        guard let walk = FileManager.default.enumerator(atPath: directory) else { return [] }
        var out: [(path: String, final: String, pid: Int32)] = []
        while let path = walk.nextObject() as? String {
            if let owner = temporaryOwner(path) { out.append((path, owner.final, owner.pid)) }
        }
        return out.sorted { $0.path < $1.path }
    }

    /// Whether a process with this id runs on this machine.
    public static func isAlive(_ pid: Int32) -> Bool { System.isAlive(pid) }
}
