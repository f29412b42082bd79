import ArgumentParser

extension ParsableCommand {
    /// `parseAsRoot` for a command line that may spell boolean flags as Kubernetes tools do
    /// (`--leader-elect=false`); see `KubernetesBooleanFlags`.
    public static func parseAsRoot(kubernetesStyle arguments: [String]) throws -> any ParsableCommand {
        try parseAsRoot(KubernetesBooleanFlags(of: self).rewrite(arguments))
    }

    /// `parse` for a command line that may spell boolean flags as Kubernetes tools do.
    public static func parse(kubernetesStyle arguments: [String]) throws -> Self {
        try parse(KubernetesBooleanFlags(of: self).rewrite(arguments))
    }
}

extension AsyncParsableCommand {
    /// ArgumentParser's `main()` for the process's command line, accepting boolean flags as
    /// Kubernetes tools spell them. A `@main` command calls it from its own `static func main()`.
    public static func mainKubernetesStyle() async {
        let arguments: [String]
        do {
            arguments = try KubernetesBooleanFlags(of: self).rewrite(Array(CommandLine.arguments.dropFirst()))
        } catch {
            exit(withError: error)
        }
        await main(arguments)
    }
}
