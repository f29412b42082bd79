import AppReleasePlugin

/// `kubectl apprelease …`: kubectl finds this executable on the PATH by its name.
@main
enum KubectlAppRelease {
    static func main() async {
        await PluginCommand.main()
    }
}
