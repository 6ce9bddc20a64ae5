import AxiomCore
import Foundation

@testable import AxiomGrammar

/// The repository root, found from this file's path.
let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

func shipped(_ name: String) throws -> Grammar {
    try Grammar.load(path: repoRoot + "/Grammars/\(name).xml")
}

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
func bytes(_ names: [String]) -> [[UInt8]] { names.map { Array($0.utf8) } }

/// Loads a grammar from a string, expecting an error; returns its description.
func loadError(_ xml: String) -> String? {
    do {
        _ = try Grammar.load(bytes: Array(xml.utf8), file: "bad.xml")
        return nil
    } catch {
        return "\(error)"
    }
}

/// The paper grammar's text with `replace` applied, to make broken variants.
func paperXML(_ replace: (String) -> String = { $0 }) throws -> String {
    replace(try String(contentsOfFile: repoRoot + "/Grammars/paper.xml", encoding: .utf8))
}
