import Hummingbird
import NIOCore

/// Request context that remembers which TCP connection a request came on: for HTTP/2 the
/// stream channel's parent is the connection, for HTTP/1 the channel itself is.
struct SimRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let connection: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        connection = source.channel.parent ?? source.channel
    }
}
