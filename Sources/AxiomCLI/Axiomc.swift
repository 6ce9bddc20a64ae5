import ArgumentParser

/// The `axiomc` command line: each subcommand parses its options, calls one library function
/// and maps errors to a message and a non-zero exit code.
public struct Axiomc: ParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "axiomc",
        abstract: "Compile axiomatic-training corpora for causal reasoning, and check and score them.",
        version: version,
        subcommands: [Compile.self, ManifestCommand.self, Check.self, Eval.self, Query.self, GrammarCommand.self, Sample.self, Solve.self,
                      Recipes.self, Init.self, RewardCommand.self]
    )

    public init() {}
}

/// An error the CLI reports as one line (ArgumentParser prints it after "Error: ").
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
