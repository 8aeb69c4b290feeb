extension ObjectStore {
  /// Ends every watch open now, as an API server restart would: each stream finishes, so each
  /// watch response ends. Unlike `closeWatches()`, new watches start as usual afterwards.
  /// Returns how many watches were ended.
  @discardableResult
  public func cutWatches() -> Int {
    let watchers = state.withLock { state in
      defer { state.watchers = [:] }
      return Array(state.watchers.values)
    }
    for watcher in watchers { watcher.continuation.finish() }
    return watchers.count
  }

  /// How many watches are open now.
  public var openWatchCount: Int { state.withLock { $0.watchers.count } }
}
