// A Storage (getItem/setItem) in memory, for tests of code that keeps state in
// localStorage or sessionStorage.
export class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
}
