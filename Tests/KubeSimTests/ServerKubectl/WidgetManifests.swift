/// A CRD exercising what kubectl relies on: status and scale subresources, printer columns
/// (plain, filtered and date), and a schema with required, enum, pattern, bounds, defaults,
/// int-or-string and preserve-unknown-fields.
enum WidgetManifests {
    static let crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
              scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
            additionalPrinterColumns:
            - {name: Replicas, type: integer, jsonPath: .spec.replicas}
            - {name: Phase, type: string, jsonPath: .status.phase}
            - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
            schema:
              openAPIV3Schema:
                type: object
                description: A widget, for kubesim's own tests.
                properties:
                  spec:
                    type: object
                    description: What the widget should look like.
                    required: [image]
                    properties:
                      image: {type: string, description: The image the widget runs., pattern: '^[a-z]'}
                      replicas: {type: integer, minimum: 0, maximum: 10, default: 1}
                      strategy: {type: string, enum: [Canary, BlueGreen], default: Canary}
                      port: {x-kubernetes-int-or-string: true}
                      extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                  status:
                    type: object
                    properties:
                      phase: {type: string}
                      replicas: {type: integer}
                      conditions:
                        type: array
                        items:
                          type: object
                          properties:
                            type: {type: string}
                            status: {type: string}
        """

    static func widget(_ name: String, image: String = "nginx", extraSpec: String = "") -> String {
        """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: \(name)}
        spec: {image: \(image), port: http\(extraSpec)}
        """
    }
}
