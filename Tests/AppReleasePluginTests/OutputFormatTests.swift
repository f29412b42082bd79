import KubeClient
import KubeModels
import Testing

@testable import AppReleasePlugin

@Suite("Output formats")
struct OutputFormatTests {
    static let value: JSONValue = [
        "metadata": ["name": "web", "labels": ["app": "web"]],
        "spec": ["replicas": 3, "image": "ghcr.io/acme/web@sha256:0123", "paused": false],
        "status": [
            "conditions": [["type": "Ready", "status": "True"], ["type": "Paused", "status": "False"]],
            "history": [],
            "message": "canary at 25%: step 2/5",
        ],
    ]

    @Test func yamlReadsBackAsTheSameJSON() throws {
        let yaml = OutputFormat.yaml.render(Self.value)
        #expect(yaml.contains("  replicas: 3\n"))
        #expect(yaml.contains("  conditions:\n  - status: \"True\"\n    type: Ready\n"))
        #expect(yaml.contains("  history: []\n"))
        #expect(yaml.contains("  message: \"canary at 25%: step 2/5\"\n"))
        let parsed = try YAMLParser.parseDocuments(yaml)
        #expect(parsed == [Self.value])
    }

    @Test func jsonIsIndentedWithSortedKeys() throws {
        let json = OutputFormat.json.render(Self.value)
        #expect(json.hasPrefix("{\n    \"metadata\": {\n"))
        #expect(try JSONValue(parsing: json) == Self.value)
    }
}
