import ArgumentParser
import AxiomGrammar
import AxiomRecords
import Foundation

/// The `axiomc` command line: each subcommand parses its options, calls one library function
/// and maps errors to a message and a non-zero exit code.
public struct Axiomc: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "axiomc",
        abstract: "Compile axiomatic-training corpora for causal reasoning, and check and score them.",
        version: version,
        subcommands: [
            Compile.self, ManifestCommand.self, Check.self, Eval.self, Query.self, GrammarCommand.self, Sample.self,
            Solve.self,
            Recipes.self, Tasks.self, Init.self, RewardCommand.self, Effect.self, Episodes.self,
        ]
    )

    public init() {}
}

/// A usage error found by a command itself (the library's errors are thrown as they are).
struct CLIError: UserError {
    var description: String
    /// Whether the message already starts with `where: error:`.
    var isLocated: Bool
    init(_ description: String) {
        self.description = description
        self.isLocated = false
    }
    /// A message about `file`: printed as `file: error: message`.
    init(file: String, _ message: String) {
        self.description = UserErrorLine.located(file: file, message)
        self.isLocated = true
    }
}

extension Axiomc {
    /// Runs the command; a `UserError` is printed once, as its `reportLine`, with exit code 1.
    /// Everything else (usage errors, `--help`, exit codes) is ArgumentParser's.
    public static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as any UserError {
            FileHandle.standardError.write(Data((error.reportLine + "\n").utf8))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}

/// Where a command finds grammars: `--grammars DIR` first, then `$AXIOMC_GRAMMARS`, `Grammars/`
/// in each `$AXIOMC_PATH` directory and in the working directory, then the built-in grammars.
/// Each command builds one catalog, so a grammar is parsed once per process.
struct GrammarSource: ParsableArguments {
    @Option(
        name: .customLong("grammars"),
        help: ArgumentHelp("A folder of grammar files to look in first.", valueName: "dir")
    )
    var directory: String?

    func catalog() -> GrammarCatalog {
        let standard = GrammarCatalog.standard()
        guard let directory else { return standard }
        return GrammarCatalog(directories: [directory] + standard.directories)
    }
}

/// Looks up a grammar for the CLI.
func loadGrammar(_ name: String, from catalog: GrammarCatalog) throws -> Grammar { try catalog.grammar(name) }
