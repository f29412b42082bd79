import Hummingbird
import NIOCore

/// Request context that remembers which TCP connection a request came on: for HTTP/2 the
/// stream channel's parent is the connection, for HTTP/1 the channel itself is. An accepted
/// connection has the listening channel as its parent, so only a channel whose parent has a
/// parent of its own is a stream.
struct SimRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let connection: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        if let parent = source.channel.parent, parent.parent != nil {
            connection = parent
        } else {
            connection = source.channel
        }
    }
}
