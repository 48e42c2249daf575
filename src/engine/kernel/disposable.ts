/** Something that holds a resource (a process, a watcher, a listener) until disposed. */
export interface Disposable {
  dispose(): void;
}
