import AxiomCore
import AxiomRecords
import Foundation

@testable import AxiomCorpus

let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A fresh temporary directory, removed by the caller when it wants.
func temporaryDirectory(_ name: String = #function) -> String {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent(
            "axiomc-tests-\(getpid())-\(name.filter(\.isLetter))-\(UInt64.random(in: 0...UInt64.max))"
        ).path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Runs `body` with the working directory at the repository root (grammars resolve from there).
func inRepo<T>(_ body: () throws -> T) rethrows -> T {
    let old = FileManager.default.currentDirectoryPath
    _ = FileManager.default.changeCurrentDirectoryPath(repoRoot)
    defer { _ = FileManager.default.changeCurrentDirectoryPath(old) }
    return try body()
}

func smokeRecipe() throws -> Recipe {
    try inRepo { try Recipe.load(path: "Corpora/smoke.yaml", grammars: .standard()) }
}

func decodeError(_ yaml: String) -> String? {
    inRepo {
        do {
            _ = try Recipe.decode(yaml, file: "r.yaml", grammars: .standard())
            return nil
        } catch {
            return "\(error)"
        }
    }
}

/// Every file under `dir` (relative path → bytes), hidden bookkeeping included.
func snapshot(_ dir: String) -> [String: Data] {
    var out: [String: Data] = [:]
    let e = FileManager.default.enumerator(atPath: dir)!
    while let path = e.nextObject() as? String {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir + "/" + path, isDirectory: &isDir), !isDir.boolValue {
            out[path] = FileManager.default.contents(atPath: dir + "/" + path)
        }
    }
    return out
}
